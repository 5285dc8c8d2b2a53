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
	if reg != nil {
		reg = prometheus.WrapRegistererWith(prometheus.Labels{"namespace": namespace}, reg)
	}
	m := &metrics{
		reg: reg,
		computeSecs: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "dashkit", Subsystem: "panel", Name: "compute_seconds",
			Help:    "Time a panel's data function and rendering took.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"panel"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "dashkit", Subsystem: "panel", Name: "errors_total",
			Help: "Panel computations that failed, timed out or panicked.",
		}, []string{"panel"}),
		subscribers: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "dashkit", Subsystem: "sse", Name: "subscribers",
			Help: "Open event streams.",
		}),
		pushes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "dashkit", Subsystem: "sse", Name: "pushes_total",
			Help: "Updates written to event streams.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "dashkit", Subsystem: "sse", Name: "dropped_clients_total",
			Help: "Event streams closed because the viewer fell behind.",
		}),
		forwarded: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "dashkit", Subsystem: "broker", Name: "forwarded_total",
			Help: "Updates another replica computed and published, received for this replica's viewers.",
		}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "dashkit", Subsystem: "broker", Name: "publish_errors_total",
			Help: "Updates this replica computed but could not publish to the others (they compute or read the cache instead).",
		}),
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
