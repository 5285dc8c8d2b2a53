#!/usr/bin/env bash
# Side-by-side runs of issue 20's risk benchmarks: the window set (floor,
# VaR+ES, report, tracked report, push) and the layouts and passes in one
# test binary, the example's tick (cold and steady), and the numpy peer on
# the same returns, in alternating rounds so that every figure of a round
# shares the machine's minutes. With BASE set to a commit, that commit's
# risk and example benchmarks run in every round too, just before this
# tree's, for before/after ratios from the same minutes.
#
#   scripts/bench-window.sh [rounds] > /tmp/window-bench.txt
#   BASE=049128a scripts/bench-window.sh 5 > /tmp/window-bench.txt
#
# The test binaries go to a private temporary directory, so that runs from
# other worktrees cannot overwrite them.
set -euo pipefail
rounds=${1:-5}
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -c -o "$bin/risk.test" ./risk
go test -c -o "$bin/riskexample.test" ./examples/risk
if [ -n "${BASE:-}" ]; then
	mkdir "$bin/base"
	git archive "$BASE" | tar -x -C "$bin/base"
	(cd "$bin/base" && go test -c -o "$bin/risk.base.test" ./risk && go test -c -o "$bin/riskexample.base.test" ./examples/risk)
fi
[ -f /tmp/prices.f64 ] || go run ./internal/tools/cmd/genprices -o /tmp/prices.f64 >/dev/null
for r in $(seq "$rounds"); do
	echo "## round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ -n "${BASE:-}" ]; then
		(cd risk && "$bin/risk.base.test" -test.run '^$' -test.bench 'Window$' -test.benchmem | grep '^Benchmark' | sed 's/^/base /')
		(cd examples/risk && "$bin/riskexample.base.test" -test.run '^$' -test.bench 'Tick' -test.benchtime 20x -test.benchmem | grep '^Benchmark' | sed 's/^/base /')
	fi
	(cd risk && "$bin/risk.test" -test.run '^$' -test.bench 'Window$|WindowPasses|WindowLayout' -test.benchmem | grep '^Benchmark')
	(cd examples/risk && "$bin/riskexample.test" -test.run '^$' -test.bench 'Tick' -test.benchtime 20x -test.benchmem | grep '^Benchmark')
	OPENBLAS_NUM_THREADS=2 /usr/bin/python3 scripts/risk_baseline.py /tmp/prices.f64 21 window
done
