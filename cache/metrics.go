package cache

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dashkit/dashkit/internal/promutil"
)

// metrics are a Cache's Prometheus collectors, labelled with its namespace
// when registered.
type metrics struct {
	reg                                        prometheus.Registerer
	hits, misses, loads, loadErrors, refreshes prometheus.Counter
	storeErrors                                *prometheus.CounterVec
	loadSeconds                                prometheus.Histogram
	leases                                     *prometheus.CounterVec
	shared                                     prometheus.Gauge
	leasing                                    bool
}

// newMetrics builds the collectors; leasing adds the lease metrics, for a
// Cache whose store is a [Leaser].
func newMetrics(reg prometheus.Registerer, namespace string, leasing bool) (*metrics, error) {
	counter := func(name, help string) prometheus.Counter { return promutil.Counter("cache", name, help) }
	m := &metrics{
		hits:       counter("hits_total", "Gets answered from the store."),
		misses:     counter("misses_total", "Gets the store could not answer."),
		loads:      counter("loads_total", "Calls of the load function."),
		loadErrors: counter("load_errors_total", "Calls of the load function that returned an error or panicked."),
		refreshes:  counter("refreshes_total", "Background refresh-ahead loads started."),
		storeErrors: promutil.CounterVec("cache", "store_errors_total",
			"Store calls that failed (the value was computed instead), by operation.", "op"),
		loadSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "dashkit", Subsystem: "cache", Name: "load_duration_seconds",
			Help:    "Time the load function took.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}),
		leases: promutil.CounterVec("cache", "leases_total",
			"Loads through a shared store's lease, by outcome: held (this replica computed), waited (another replica's value was used), timeout (the wait ran out and this replica computed).", "outcome"),
		shared: promutil.Gauge("cache", "shared",
			"1 while replicas compute each key once between them (the store's leases work), 0 while this replica computes locally (degraded)."),
		leasing: leasing,
		reg:     promutil.Namespaced(reg, namespace),
	}
	if err := promutil.Register(m.reg, m.collectors()...); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *metrics) collectors() []prometheus.Collector {
	cs := []prometheus.Collector{m.hits, m.misses, m.loads, m.loadErrors, m.refreshes, m.storeErrors, m.loadSeconds}
	if m.leasing {
		cs = append(cs, m.leases, m.shared)
	}
	return cs
}

func (m *metrics) unregister() {
	promutil.Unregister(m.reg, m.collectors()...)
}
