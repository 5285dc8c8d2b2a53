// Package promutil holds the Prometheus plumbing dashkit's packages share:
// building dashkit_* collectors, labelling a registry with a namespace,
// registering a set of collectors all or nothing, and reading a metric back
// in tests.
package promutil

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Counter is the counter dashkit_<subsystem>_<name>.
func Counter(subsystem, name, help string) prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "dashkit", Subsystem: subsystem, Name: name, Help: help})
}

// CounterVec is the counter dashkit_<subsystem>_<name> with labels.
func CounterVec(subsystem, name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "dashkit", Subsystem: subsystem, Name: name, Help: help}, labels)
}

// Gauge is the gauge dashkit_<subsystem>_<name>.
func Gauge(subsystem, name, help string) prometheus.Gauge {
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "dashkit", Subsystem: subsystem, Name: name, Help: help})
}

// Namespaced returns reg labelling every metric namespace="<namespace>", so
// that several dashboards or caches share one registry; nil for a nil reg.
func Namespaced(reg prometheus.Registerer, namespace string) prometheus.Registerer {
	if reg == nil {
		return nil
	}
	return prometheus.WrapRegistererWith(prometheus.Labels{"namespace": namespace}, reg)
}

// Register registers every collector with reg, or none: on the first
// failure it unregisters those already registered and returns the error. A
// nil reg registers nothing.
func Register(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	if reg == nil {
		return nil
	}
	for i, c := range cs {
		if err := reg.Register(c); err != nil {
			Unregister(reg, cs[:i]...)
			return err
		}
	}
	return nil
}

// Unregister unregisters the collectors from reg; a nil reg is a no-op.
func Unregister(reg prometheus.Registerer, cs ...prometheus.Collector) {
	if reg == nil {
		return
	}
	for _, c := range cs {
		reg.Unregister(c)
	}
}

// Sum gathers g and sums the samples of the metric called name: counter and
// gauge values, and histogram sample counts.
func Sum(g prometheus.Gatherer, name string) (float64, error) {
	mfs, err := g.Gather()
	if err != nil {
		return 0, err
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum, nil
}
