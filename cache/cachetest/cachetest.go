// Package cachetest is the conformance suite for [cache.Store]
// implementations. A store passes when [Run] passes against it; dashkit runs
// it against the memory store, real Redis and the two-level chain.
//
//	func TestMyStore(t *testing.T) {
//		cachetest.Run(t, cachetest.Options{ExactDeletePrefix: true}, func(t *testing.T) cache.Store[cachetest.Value] {
//			return newMyStore(t)
//		})
//	}
package cachetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
)

// Value is the entry type the suite stores: a struct with the field kinds a
// codec must round-trip.
type Value struct {
	Name  string
	N     int64
	F     float64
	Tags  []string
	Inner struct{ OK bool }
}

// Options describe what a store promises beyond the [cache.Store] contract.
type Options struct {
	// ExactDeletePrefix says DeletePrefix removes only the keys with the
	// prefix (a store that cannot enumerate keys may remove more).
	ExactDeletePrefix bool
}

// Run runs every conformance test. newStore is called once per subtest and
// may share a backend between calls: every key the suite writes starts with
// a prefix unique to the run, and is removed when the subtest ends.
func Run(t *testing.T, opts Options, newStore func(t *testing.T) cache.Store[Value]) {
	run := rand.Text()[:10]
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s cache.Store[Value], p string)
	}{
		{"MissIsErrNotFound", testMiss},
		{"RoundTrip", testRoundTrip},
		{"ZeroValueIsAHit", testZeroValue},
		{"NegativeEntry", testNegative},
		{"Overwrite", testOverwrite},
		{"Expiry", testExpiry},
		{"Delete", testDelete},
		{"DeletePrefix", func(t *testing.T, s cache.Store[Value], p string) { testDeletePrefix(t, s, p, opts.ExactDeletePrefix) }},
		{"AwkwardKeys", testAwkwardKeys},
		{"NonPositiveTTL", testNonPositiveTTL},
		{"Concurrent", testConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			prefix := "cachetest:" + run + ":" + tc.name + ":"
			t.Cleanup(func() { _ = s.DeletePrefix(context.Background(), prefix) })
			tc.test(t, s, prefix)
		})
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func value(i int) Value {
	v := Value{Name: fmt.Sprintf("v%d <&>\"'", i), N: int64(i) * 1_000_000_007, F: float64(i) + 0.25, Tags: []string{"a", fmt.Sprint(i)}}
	v.Inner.OK = i%2 == 0
	return v
}

func entry(i int) cache.Entry[Value] {
	return cache.Entry[Value]{Value: value(i), Stored: time.Unix(1_700_000_000, int64(i)*1_000_003)}
}

func requireEntry(t *testing.T, want, got cache.Entry[Value]) {
	t.Helper()
	require.Equal(t, want.Value, got.Value)
	require.Equal(t, want.Err, got.Err)
	require.True(t, want.Stored.Equal(got.Stored), "stored %v, got %v", want.Stored, got.Stored)
}

func testMiss(t *testing.T, s cache.Store[Value], p string) {
	_, err := s.Get(ctx(t), p+"absent")
	require.ErrorIs(t, err, cache.ErrNotFound)
}

func testRoundTrip(t *testing.T, s cache.Store[Value], p string) {
	for i := range 3 {
		require.NoError(t, s.Set(ctx(t), fmt.Sprint(p, i), entry(i), time.Minute))
	}
	for i := range 3 {
		got, err := s.Get(ctx(t), fmt.Sprint(p, i))
		require.NoError(t, err)
		requireEntry(t, entry(i), got)
	}
}

func testZeroValue(t *testing.T, s cache.Store[Value], p string) {
	zero := cache.Entry[Value]{Stored: time.Unix(1, 0)}
	require.NoError(t, s.Set(ctx(t), p+"zero", zero, time.Minute))
	got, err := s.Get(ctx(t), p+"zero")
	require.NoError(t, err, "a zero value is a result, not a miss")
	require.Equal(t, Value{}.Name, got.Value.Name)
	require.Zero(t, got.Value.N)
	require.Empty(t, got.Value.Tags)
}

func testNegative(t *testing.T, s cache.Store[Value], p string) {
	neg := cache.Entry[Value]{Err: "backend down: <timeout>", Stored: time.Unix(2, 0)}
	require.NoError(t, s.Set(ctx(t), p+"neg", neg, time.Minute))
	got, err := s.Get(ctx(t), p+"neg")
	require.NoError(t, err)
	require.Equal(t, neg.Err, got.Err)
}

func testOverwrite(t *testing.T, s cache.Store[Value], p string) {
	require.NoError(t, s.Set(ctx(t), p+"k", entry(1), time.Minute))
	require.NoError(t, s.Set(ctx(t), p+"k", entry(2), time.Minute))
	got, err := s.Get(ctx(t), p+"k")
	require.NoError(t, err)
	requireEntry(t, entry(2), got)
}

func testExpiry(t *testing.T, s cache.Store[Value], p string) {
	require.NoError(t, s.Set(ctx(t), p+"short", entry(1), 300*time.Millisecond))
	require.NoError(t, s.Set(ctx(t), p+"long", entry(2), time.Minute))
	_, err := s.Get(ctx(t), p+"short")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := s.Get(ctx(t), p+"short")
		return errors.Is(err, cache.ErrNotFound)
	}, 3*time.Second, 20*time.Millisecond, "an expired entry is a miss")
	_, err = s.Get(ctx(t), p+"long")
	require.NoError(t, err, "expiry is per entry")
}

func testDelete(t *testing.T, s cache.Store[Value], p string) {
	require.NoError(t, s.Set(ctx(t), p+"a", entry(1), time.Minute))
	require.NoError(t, s.Set(ctx(t), p+"b", entry(2), time.Minute))
	require.NoError(t, s.Delete(ctx(t), p+"a"))
	_, err := s.Get(ctx(t), p+"a")
	require.ErrorIs(t, err, cache.ErrNotFound)
	_, err = s.Get(ctx(t), p+"b")
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx(t), p+"never-set"), "deleting a missing key is not an error")
}

func testDeletePrefix(t *testing.T, s cache.Store[Value], p string, exact bool) {
	keys := []string{p + "ns1:a", p + "ns1:b", p + "ns1:*", p + "ns1:[x]"}
	for i, k := range keys {
		require.NoError(t, s.Set(ctx(t), k, entry(i), time.Minute))
	}
	require.NoError(t, s.Set(ctx(t), p+"ns2:a", entry(9), time.Minute))
	require.NoError(t, s.DeletePrefix(ctx(t), p+"ns1:"))
	for _, k := range keys {
		_, err := s.Get(ctx(t), k)
		require.ErrorIs(t, err, cache.ErrNotFound, k)
	}
	// Glob characters in a prefix are literal: "g*" removes "g*x" and,
	// in a store that deletes exactly, leaves "gab" alone.
	require.NoError(t, s.Set(ctx(t), p+"g*x", entry(1), time.Minute))
	require.NoError(t, s.Set(ctx(t), p+"gab", entry(2), time.Minute))
	require.NoError(t, s.DeletePrefix(ctx(t), p+"g*"))
	_, err := s.Get(ctx(t), p+"g*x")
	require.ErrorIs(t, err, cache.ErrNotFound)
	if exact {
		_, err = s.Get(ctx(t), p+"ns2:a")
		require.NoError(t, err, "another prefix survives")
		_, err = s.Get(ctx(t), p+"gab")
		require.NoError(t, err, "a glob character in the prefix is literal")
	}
}

func testAwkwardKeys(t *testing.T, s cache.Store[Value], p string) {
	keys := []string{p + "with space", p + "ünïcødé ✓", p + "a:b:c", p + "*?[]^-\\", p + "line\nbreak", p + "quote\"'", p}
	for i, k := range keys {
		require.NoError(t, s.Set(ctx(t), k, entry(i), time.Minute), "%q", k)
	}
	for i, k := range keys {
		got, err := s.Get(ctx(t), k)
		require.NoError(t, err, "%q", k)
		requireEntry(t, entry(i), got)
	}
}

func testNonPositiveTTL(t *testing.T, s cache.Store[Value], p string) {
	require.Error(t, s.Set(ctx(t), p+"k", entry(1), 0))
	require.Error(t, s.Set(ctx(t), p+"k", entry(1), -time.Second))
}

func testConcurrent(t *testing.T, s cache.Store[Value], p string) {
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := fmt.Sprintf("%s%d:%d", p, g, i)
				if err := s.Set(ctx(t), k, entry(i), time.Minute); err != nil {
					errs <- err
					return
				}
				got, err := s.Get(ctx(t), k)
				if err != nil {
					errs <- fmt.Errorf("%s: %w", k, err)
					return
				}
				if got.Value.N != value(i).N {
					errs <- fmt.Errorf("%s: got %d", k, got.Value.N)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
