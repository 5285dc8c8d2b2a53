package dashboard

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dashkit/dashkit/internal/promutil"
)

// metrics are the dashboard's Prometheus collectors. The panel cache
// registers its own (dashkit_cache_*, labelled with the cache namespace).
type metrics struct {
	reg           prometheus.Registerer
	computeSecs   *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	subscribers   prometheus.Gauge
	pushes        prometheus.Counter
	dropped       prometheus.Counter
	forwarded     prometheus.Counter
	publishErrors prometheus.Counter
}

// newMetrics registers the dashboard's collectors on reg (nil: none),
// labelled namespace="<CacheNamespace>" like the cache's, so several
// dashboards share one registry.
func newMetrics(reg prometheus.Registerer, namespace string) (*metrics, error) {
	reg = promutil.Namespaced(reg, namespace)
	m := &metrics{
		reg: reg,
		computeSecs: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "dashkit", Subsystem: "panel", Name: "compute_seconds",
			Help:    "Time a panel's data function and rendering took.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"panel"}),
		errors:      promutil.CounterVec("panel", "errors_total", "Panel computations that failed, timed out or panicked.", "panel"),
		subscribers: promutil.Gauge("sse", "subscribers", "Open event streams."),
		pushes:      promutil.Counter("sse", "pushes_total", "Updates written to event streams."),
		dropped:     promutil.Counter("sse", "dropped_clients_total", "Event streams closed because the viewer fell behind."),
		forwarded: promutil.Counter("broker", "forwarded_total",
			"Updates another replica computed and published, received for this replica's viewers."),
		publishErrors: promutil.Counter("broker", "publish_errors_total",
			"Updates this replica computed but could not publish to the others (they compute or read the cache instead)."),
	}
	if err := promutil.Register(reg, m.collectors()...); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.computeSecs, m.errors, m.subscribers, m.pushes, m.dropped, m.forwarded, m.publishErrors}
}

func (m *metrics) observe(panel string, d time.Duration, err error) {
	m.computeSecs.WithLabelValues(panel).Observe(d.Seconds())
	if err != nil {
		m.errors.WithLabelValues(panel).Inc()
	}
}

func (m *metrics) unregister() { promutil.Unregister(m.reg, m.collectors()...) }
