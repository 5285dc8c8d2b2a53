package dashboard_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// loadgenVar, set in the environment of this test binary run as a child
// process, makes TestFanoutLoadGenerator open that many event streams on
// the URL in loadgenURLVar.
const (
	loadgenVar    = "DASHKIT_FANOUT_VIEWERS"
	loadgenURLVar = "DASHKIT_FANOUT_URL"
)

// BenchmarkFanout measures the time from a computed update to every
// subscriber: N event streams over loopback HTTP watch one view, and each
// iteration is one refresh interval. The data function stamps the update
// with the time it was computed; every subscriber notes when the update's
// frame reached it. Reported: the p50 and p99 over all subscribers and
// intervals of that delay, the p99 of the slowest subscriber per interval,
// and the dashboard's memory per idle viewer (resident set and Go heap,
// measured after the streams connect and before the first interval, less
// the same before they connect).
//
// The viewers run in a second process (this test binary again, as
// TestFanoutLoadGenerator), so that 10,000 of them fit under the
// file-descriptor limit (each process raises its soft limit to the hard
// one) and the dashboard's memory is its own; both compete for the same
// two cores.
func BenchmarkFanout(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("viewers=%d", n), func(b *testing.B) { benchFanout(b, n) })
	}
}

func benchFanout(b *testing.B, viewers int) {
	if lim := raiseFileLimit(); lim < uint64(viewers)+512 {
		b.Skipf("the file-descriptor limit %d is below %d viewers", lim, viewers)
	}
	refresh := 200 * time.Millisecond * time.Duration(max(1, viewers/2000))
	d, err := dashboard.New("bench", dashboard.Options{Assets: fakeECharts, Heartbeat: time.Hour, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "p", Title: "P", Refresh: refresh, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: "computed", Subtitle: "ts=" + strconv.FormatInt(time.Now().UnixNano(), 10) + ";"}, nil
		}},
	}}}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(d)
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Start()
	defer func() {
		_ = d.Close(context.Background())
		srv.Close()
	}()
	rss0, heap0 := memory()

	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestFanoutLoadGenerator$", "-test.count=1")
	cmd.Env = append(os.Environ(), loadgenVar+"="+strconv.Itoa(viewers), loadgenURLVar+"="+srv.URL+"/events")
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	type arrival struct{ computed, got int64 }
	arrivals := make(chan arrival, viewers*4)
	defer func() {
		go func() {
			for range arrivals { // keep the generator's output flowing until it exits
			}
		}()
		stdin.Close() // the generator exits when its stdin closes
		_ = cmd.Wait()
	}()
	ready := make(chan struct{})
	go func() {
		// Updates that reach viewers while the others still connect are
		// skipped: nobody reads arrivals before "ready", and at 10,000
		// viewers they would fill the channel (and then the pipe) before
		// "ready" could be read.
		connected := false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if line == "ready" {
				connected = true
				close(ready)
				continue
			}
			if !connected {
				continue
			}
			c, g, ok := strings.Cut(line, " ")
			if !ok {
				continue
			}
			ct, _ := strconv.ParseInt(c, 10, 64)
			gt, _ := strconv.ParseInt(g, 10, 64)
			arrivals <- arrival{ct, gt}
		}
		close(arrivals)
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Minute):
		b.Fatal("the viewers did not connect")
	}
	// Drain updates until one has reached every viewer (the interval in
	// flight at "ready" reached some of them unrecorded); then measure the
	// idle viewers' memory.
	seen := map[int64]int{}
	for complete := false; !complete; {
		a, ok := <-arrivals
		if !ok {
			b.Fatal("the load generator ended")
		}
		seen[a.computed]++
		complete = seen[a.computed] == viewers
	}
	rss1, heap1 := memory()
	idle := viewers

	var all, slowest []float64
	missed := 0
	b.ResetTimer()
	for b.Loop() {
		// Wait for one interval's update to reach every viewer, or for
		// five intervals: a viewer the dashboard dropped for falling
		// behind (its browser would reconnect; this one does not) counts
		// as missed.
		var lat []float64
		var stamp int64
		timeout := time.After(5 * refresh)
	wait:
		for len(lat) < viewers {
			select {
			case a, ok := <-arrivals:
				if !ok {
					b.Fatal("the load generator ended")
				}
				if _, old := seen[a.computed]; old {
					continue
				}
				if stamp == 0 {
					stamp = a.computed
				}
				if a.computed != stamp {
					continue // a later interval overtook this one; count it next time
				}
				lat = append(lat, float64(a.got-a.computed)/1e6)
			case <-timeout:
				missed += viewers - len(lat)
				viewers = len(lat)
				break wait
			}
		}
		seen[stamp] = viewers
		all = append(all, lat...)
		slowest = append(slowest, slices.Max(lat))
	}
	b.StopTimer()
	slices.Sort(all)
	slices.Sort(slowest)
	b.ReportMetric(pct(all, 0.50), "p50-ms")
	b.ReportMetric(pct(all, 0.99), "p99-ms")
	b.ReportMetric(pct(slowest, 0.99), "p99-last-ms")
	b.ReportMetric((float64(rss1)-float64(rss0))/float64(idle)/1024, "rss-KB/viewer")
	b.ReportMetric((float64(heap1)-float64(heap0))/float64(idle)/1024, "heap-KB/viewer")
	b.ReportMetric(float64(missed), "missed")
	b.ReportMetric(0, "ns/op")
}

// TestFanoutLoadGenerator is BenchmarkFanout's viewers, run in a second
// process: it opens the streams, prints "ready", then one line per update
// received ("<computed> <received>", Unix nanoseconds) until its stdin
// closes.
func TestFanoutLoadGenerator(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(loadgenVar))
	if n == 0 {
		t.Skip("runs only as BenchmarkFanout's load generator")
	}
	raiseFileLimit()
	url := os.Getenv(loadgenURLVar)
	ctx, cancel := context.WithCancel(context.Background())
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}
	client := &http.Client{Transport: tr}
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	var outMu sync.Mutex
	var wg, ready sync.WaitGroup
	sem := make(chan struct{}, 64) // connect at most 64 at a time
	for range n {
		ready.Add(1)
		wg.Go(func() {
			sem <- struct{}{}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			res, err := client.Do(req)
			<-sem
			ready.Done()
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			br := bufio.NewReaderSize(res.Body, 512)
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				i := bytes.Index(line, []byte("ts="))
				if i < 0 {
					continue
				}
				got := time.Now().UnixNano()
				j := bytes.IndexByte(line[i:], ';')
				outMu.Lock()
				fmt.Fprintf(out, "%s %d\n", line[i+3:i+j], got)
				outMu.Unlock()
			}
		})
	}
	ready.Wait()
	outMu.Lock()
	fmt.Fprintln(out, "ready")
	out.Flush()
	outMu.Unlock()
	flush := time.NewTicker(5 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	for loop := true; loop; {
		select {
		case <-flush.C:
			outMu.Lock()
			out.Flush()
			outMu.Unlock()
		case <-done:
			loop = false
		}
	}
	flush.Stop()
	cancel()
	wg.Wait()
	tr.CloseIdleConnections()
}

// raiseFileLimit raises the soft limit on open files to the hard one (Go
// does so at start on Linux; this says so and reports it).
func raiseFileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

// memory returns the process's resident set (from /proc, 0 elsewhere) and
// Go heap in use, after a collection.
func memory() (rss, heap uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseUint(f[1], 10, 64)
			rss = pages * uint64(os.Getpagesize())
		}
	}
	return rss, ms.HeapInuse + ms.StackInuse
}

func pct(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}
