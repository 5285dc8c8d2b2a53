package dashboard_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// BenchmarkFanout measures the time from a computed update to the 1,000th
// subscriber: 1,000 event streams over loopback HTTP watch one view, and each
// iteration is one refresh interval. The data function stamps the update
// with the time it was computed; every subscriber notes when the update's
// frame reached it. Reported: the p50 and p99 over all subscribers and
// intervals of that delay, and the p99 of the slowest subscriber per interval
// (the 1,000th). Subscribers run in the same process, so their reading
// competes for the same two cores.
func BenchmarkFanout(b *testing.B) {
	const viewers = 1000
	const refresh = 200 * time.Millisecond
	d, err := dashboard.New("bench", dashboard.Options{Assets: fakeECharts, Heartbeat: time.Hour, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "p", Title: "P", Refresh: refresh, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: "computed", Subtitle: "ts=" + strconv.FormatInt(time.Now().UnixNano(), 10) + ";"}, nil
		}},
	}}}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(d)
	defer func() {
		_ = d.Close(context.Background())
		srv.Close()
	}()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: viewers}}
	defer client.CloseIdleConnections()

	type arrival struct{ computed, got int64 }
	arrivals := make(chan arrival, viewers*4)
	var ready sync.WaitGroup
	for range viewers {
		ready.Add(1)
		go func() {
			res, err := client.Get(srv.URL + "/events")
			if err != nil {
				b.Error(err)
				ready.Done()
				return
			}
			defer res.Body.Close()
			ready.Done()
			sc := bufio.NewScanner(res.Body)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				line := sc.Bytes()
				i := bytes.Index(line, []byte("ts="))
				if i < 0 {
					continue
				}
				got := time.Now().UnixNano()
				j := bytes.IndexByte(line[i:], ';')
				ts, _ := strconv.ParseInt(string(line[i+3:i+j]), 10, 64)
				arrivals <- arrival{ts, got}
			}
		}()
	}
	ready.Wait()
	// Drain the first update, which every viewer gets on connecting.
	seen := map[int64]int{}
	for len(seen) == 0 || seen[firstKey(seen)] < viewers {
		a := <-arrivals
		seen[a.computed]++
	}

	var all, slowest []float64
	b.ResetTimer()
	for b.Loop() {
		// Wait for one interval's update to reach every viewer.
		var lat []float64
		var stamp int64
		for len(lat) < viewers {
			a := <-arrivals
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
	b.ReportMetric(pct(slowest, 0.99), "p99-1000th-ms")
	b.ReportMetric(0, "ns/op")
}

func firstKey(m map[int64]int) int64 {
	for k := range m {
		return k
	}
	return 0
}

func pct(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}
