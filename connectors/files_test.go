package connectors

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestScanFilesMergesAndReportsProgress(t *testing.T) {
	dir := t.TempDir()
	var want Agg
	wantRes := NewResampler[Category](time.Hour)
	for i := range 6 {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("part-%d.csv", i)))
		require.NoError(t, err)
		require.NoError(t, writeSample(f, 5_000+i*1_000, uint64(i)))
		require.NoError(t, f.Close())
		// Independent: each file read alone, one pass.
		f, _ = os.Open(f.Name())
		r, err := NewCSV[sample](f, CSVOptions{})
		require.NoError(t, err)
		for chunk, err := range r.Chunks() {
			require.NoError(t, err)
			for _, s := range chunk {
				want.Add(s.Value)
				wantRes.Add(s.Device, s.Time, s.Value)
			}
		}
		f.Close()
	}
	paths, err := Glob(filepath.Join(dir, "part-*.csv"))
	require.NoError(t, err)
	require.Len(t, paths, 6)

	aggs := make([]Agg, len(paths))
	res := make([]*Resampler[Category], len(paths))
	for i := range res {
		res[i] = NewResampler[Category](time.Hour)
	}
	var last Progress
	calls := 0
	err = ScanFiles(context.Background(), paths, FilesOptions{Parallel: 2, Progress: func(p Progress) {
		require.GreaterOrEqual(t, p.Rows, last.Rows, "progress never goes back")
		require.GreaterOrEqual(t, p.BytesDone, last.BytesDone)
		last = p
		calls++
	}}, func(file int, chunk []sample) error {
		for _, s := range chunk {
			aggs[file].Add(s.Value)
			res[file].Add(s.Device, s.Time, s.Value)
		}
		return nil
	})
	require.NoError(t, err)
	var got Agg
	for i := range aggs {
		got.Merge(aggs[i])
		if i > 0 {
			res[0].Merge(res[i])
		}
	}
	require.Equal(t, want.N, got.N)
	require.InEpsilon(t, want.Mean(), got.Mean(), 1e-12)
	require.Equal(t, want.Min, got.Min)
	require.Equal(t, want.Max, got.Max)
	for _, k := range wantRes.Keys(Ascending[Category]) {
		w, g := wantRes.Series(k), res[0].Series(k)
		require.Len(t, g, len(w))
		for j := range w {
			require.Equal(t, w[j].N, g[j].N)
			require.InDelta(t, w[j].Mean(), g[j].Mean(), 1e-9)
		}
	}
	require.Equal(t, Progress{Files: 6, FilesDone: 6, Bytes: last.Bytes, BytesDone: last.Bytes, Rows: want.N}, last)
	require.Greater(t, calls, 6)

	// A bad file fails the scan, naming the file, line and column.
	bad := filepath.Join(dir, "part-9.csv")
	require.NoError(t, os.WriteFile(bad, []byte("date,value,category,device_id,timestamp\n2026-01-01,x,c,d,2026-01-01T00:00:00Z\n"), 0o600))
	err = ScanFiles(context.Background(), append(paths, bad), FilesOptions{}, func(int, []sample) error { return nil })
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, bad, pe.File)
	require.Equal(t, 2, pe.Line)

	// An error from fn stops the rest.
	boom := errors.New("boom")
	err = ScanFiles(context.Background(), paths, FilesOptions{Parallel: 1}, func(file int, _ []sample) error {
		if file == 0 {
			return boom
		}
		t.Errorf("file %d read after the first failed", file)
		return nil
	})
	require.ErrorIs(t, err, boom)

	_, err = Glob(filepath.Join(dir, "nothing-*.csv"))
	require.ErrorContains(t, err, "no files match")
	require.Error(t, ScanFiles(context.Background(), []string{filepath.Join(dir, "missing.csv")}, FilesOptions{}, func(int, []sample) error { return nil }))
}

// A bad row deep in a file read in parts is reported at its line in the
// file, not in its part.
func TestScanFileErrorNamesFileLine(t *testing.T) {
	path, _ := sampleFile(t, 20_000)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[15_000] = "2026-10-01,oops,cat1,dev1,2026-10-01T00:00:00Z\n" // file line 15,001
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
	for _, parts := range []int{1, 2, 3} {
		err := ScanFile(context.Background(), path, parts, CSVOptions{}, func(int, []sample) error { return nil })
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "parts=%d", parts)
		require.Equal(t, 15_001, pe.Line, "parts=%d", parts)
		require.Equal(t, 2, pe.Column)
		require.Equal(t, path, pe.File)
	}
}
