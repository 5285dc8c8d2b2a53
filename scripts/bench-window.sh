#!/usr/bin/env bash
# Side-by-side runs of issue 20's risk benchmarks: the window set (floor,
# VaR+ES, report, push) and the layouts and passes in one test binary, the
# example's tick, and the numpy peer on the same returns, in alternating
# rounds so that every figure of a round shares the machine's minutes.
#
#   scripts/bench-window.sh [rounds] > /tmp/window-bench.txt
set -euo pipefail
rounds=${1:-5}
cd "$(dirname "$0")/.."
go test -c -o /tmp/risk.test ./risk
go test -c -o /tmp/riskexample.test ./examples/risk
[ -f /tmp/prices.f64 ] || go run ./internal/tools/cmd/genprices -o /tmp/prices.f64 >/dev/null
for r in $(seq "$rounds"); do
	echo "## round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
	/tmp/risk.test -test.run '^$' -test.bench 'Window$|WindowPasses|WindowLayout' -test.benchmem | grep '^Benchmark'
	/tmp/riskexample.test -test.run '^$' -test.bench 'Tick' -test.benchtime 20x -test.benchmem | grep '^Benchmark'
	OPENBLAS_NUM_THREADS=2 /usr/bin/python3 scripts/risk_baseline.py /tmp/prices.f64 21 window
done
