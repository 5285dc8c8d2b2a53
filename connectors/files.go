package connectors

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Progress is how far [ScanFiles] has got, in files, bytes and rows.
type Progress struct {
	Files, FilesDone int
	Bytes, BytesDone int64
	Rows             int64
}

// FilesOptions configure [ScanFiles].
type FilesOptions struct {
	// CSV configures each file's reader; File is set per file.
	CSV CSVOptions
	// Parallel is how many files are read at once; zero means GOMAXPROCS.
	Parallel int
	// Progress, if set, is called after every chunk and when a file ends.
	// Calls are serialized, never concurrent.
	Progress func(Progress)
}

// ScanFiles decodes many CSV files, Parallel at a time (the original's Dask
// step over a directory of exports). fn receives the file's index in paths
// and each chunk; it is called from several goroutines at once, but never
// concurrently for the same file, so per-file partials (an [Agg], a
// [Resampler]) indexed by file need no locks and merge at the end. The
// first error — opening, decoding or from fn — cancels the rest and is
// returned naming its file.
func ScanFiles[T any](ctx context.Context, paths []string, opts FilesOptions, fn func(file int, chunk []T) error) error {
	opts.Parallel = positiveOr(opts.Parallel, runtime.GOMAXPROCS(0))
	var total int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("connectors: %w", err)
		}
		total += fi.Size()
	}
	var (
		mu        sync.Mutex
		bytesDone atomic.Int64
		rows      atomic.Int64
		filesDone atomic.Int64
	)
	report := func() {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		opts.Progress(Progress{
			Files: len(paths), FilesDone: int(filesDone.Load()),
			Bytes: total, BytesDone: bytesDone.Load(), Rows: rows.Load(),
		})
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Parallel)
	for i, path := range paths {
		g.Go(func() error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f, err := os.Open(path)
			if err != nil {
				return fmt.Errorf("connectors: %w", err)
			}
			defer f.Close()
			o := opts.CSV
			o.File = path
			r, err := NewCSV[T](&countingReader{r: f, n: &bytesDone}, o)
			if err != nil {
				return err
			}
			for chunk, err := range r.Chunks() {
				if err != nil {
					return err
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := fn(i, chunk); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				rows.Add(int64(len(chunk)))
				report()
			}
			filesDone.Add(1)
			report()
			return nil
		})
	}
	return g.Wait()
}

// Glob is filepath.Glob that fails when nothing matches, so a mistyped
// pattern is an error rather than an empty, plausible result.
func Glob(pattern string) ([]string, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("connectors: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("connectors: no files match %q", pattern)
	}
	return paths, nil
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
