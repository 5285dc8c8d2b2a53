package connectors

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sync/errgroup"
)

// ScanFile decodes a CSV file on several goroutines: the bytes after the
// header are split into parts ranges aligned on line ends, and each part
// is read by its own [CSV] reader, which calls fn with the part's index and
// each chunk. The first error cancels the rest. Parts must not split a
// quoted field holding a newline: use parts = 1 for such files. parts = 0
// means 2.
func ScanFile[T any](ctx context.Context, path string, parts int, opts CSVOptions, fn func(part int, chunk []T) error) error {
	if parts <= 0 {
		parts = 2
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if opts.File == "" {
		opts.File = path
	}
	header, err := bufio.NewReader(io.NewSectionReader(f, 0, fi.Size())).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	bounds, err := splitLines(f, int64(len(header)), fi.Size(), parts)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for i := range len(bounds) - 1 {
		from, to := bounds[i], bounds[i+1]
		g.Go(func() error {
			in := io.MultiReader(bytes.NewReader(header), io.NewSectionReader(f, from, to-from))
			r, err := NewCSV[T](in, opts)
			if err != nil {
				return err
			}
			for chunk, err := range r.Chunks() {
				if err != nil {
					// The part's reader counted lines from its own start
					// (its line 1 being the header); make them the file's.
					var pe *ParseError
					if errors.As(err, &pe) && i > 0 {
						if n, cerr := countLines(f, int64(len(header)), from); cerr == nil {
							pe.Line += n
						}
					}
					return fmt.Errorf("part %d (bytes %d–%d): %w", i, from, to, err)
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := fn(i, chunk); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// splitLines returns parts+1 offsets from start to size, each moved to just
// after a newline.
func splitLines(f io.ReaderAt, start, size int64, parts int) ([]int64, error) {
	bounds := []int64{start}
	buf := make([]byte, 64<<10)
	for i := 1; i < parts; i++ {
		at := start + (size-start)*int64(i)/int64(parts)
		if at <= bounds[len(bounds)-1] {
			continue
		}
		for {
			n, err := f.ReadAt(buf, at)
			if k := bytes.IndexByte(buf[:n], '\n'); k >= 0 {
				at += int64(k) + 1
				break
			}
			at += int64(n)
			if err != nil || n == 0 {
				at = size
				break
			}
		}
		if at >= size {
			break
		}
		bounds = append(bounds, at)
	}
	return append(bounds, size), nil
}

// countLines counts the newlines in [from, to) of f: on an error only, so
// the cost is never paid on the happy path.
func countLines(f io.ReaderAt, from, to int64) (int, error) {
	buf := make([]byte, 1<<20)
	n := 0
	for off := from; off < to; {
		m, err := f.ReadAt(buf[:min(int64(len(buf)), to-off)], off)
		n += bytes.Count(buf[:m], []byte{'\n'})
		off += int64(m)
		if err != nil && off < to {
			return 0, err
		}
	}
	return n, nil
}
