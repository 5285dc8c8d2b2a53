package cache_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dashkit/dashkit/cache"
)

// A slow query memoized: the second call is answered from memory.
func ExampleNew() {
	queries := 0
	slowQuery := func(ctx context.Context, sector string) (float64, error) {
		queries++
		time.Sleep(10 * time.Millisecond) // the database
		return 1_250_000, nil
	}

	exposure, err := cache.New(slowQuery, cache.Options[string, float64]{
		Namespace: "exposure",
		TTL:       30 * time.Second,
	})
	if err != nil {
		panic(err)
	}
	defer exposure.Close()

	for range 3 {
		v, err := exposure.Get(context.Background(), "Energy")
		if err != nil {
			panic(err)
		}
		fmt.Println(v)
	}
	fmt.Println("queries:", queries)
	// Output:
	// 1.25e+06
	// 1.25e+06
	// 1.25e+06
	// queries: 1
}

// Struct keys need no key function: fields are encoded one by one.
func ExampleCache_Get_structKey() {
	type view struct {
		Facility string
		Day      time.Time
	}
	oee, err := cache.New(func(ctx context.Context, v view) (float64, error) {
		return 0.85, nil
	}, cache.Options[view, float64]{Namespace: "oee"})
	if err != nil {
		panic(err)
	}
	defer oee.Close()
	v, err := oee.Get(context.Background(), view{"Lyon", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	fmt.Println(v, err)
	// Output: 0.85 <nil>
}

// A panicking load function is an error for its callers, not a crash.
func ExampleErrLoaderPanic() {
	c, err := cache.New(func(context.Context, string) (int, error) {
		panic("index out of range")
	}, cache.Options[string, int]{Namespace: "fragile"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	_, err = c.Get(context.Background(), "k")
	fmt.Println(errors.Is(err, cache.ErrLoaderPanic))
	// Output: true
}

// GetOrLoad lets each caller hand the load what it already holds — here a
// validated request — instead of rebuilding it from the key.
func ExampleCache_GetOrLoad() {
	c, err := cache.New[string, string](nil, cache.Options[string, string]{Namespace: "example-getorload"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	type request struct{ region string }
	req := request{region: "EMEA"}
	v, err := c.GetOrLoad(context.Background(), "report:"+req.region, func(ctx context.Context, key string) (string, error) {
		return "report for " + req.region, nil
	})
	fmt.Println(v, err)
	// Output: report for EMEA <nil>
}
