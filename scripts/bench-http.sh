#!/usr/bin/env bash
# Throughput of a cached dashboard panel against a bare net/http handler that
# writes the same bytes, under wrk on loopback, alternating runs so both see
# the same machine noise. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
go build -o bin/benchserve ./internal/tools/cmd/benchserve
bin/benchserve -dashboard 127.0.0.1:18081 -bare 127.0.0.1:18082 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18082/ >/dev/null && break; sleep 0.1; done
rps() { wrk -t2 -c64 -d10s "$1" | awk '/Requests\/sec/ {print $2}'; }
for i in $(seq 1 "$runs"); do
  bare=$(rps http://127.0.0.1:18082/)
  dash=$(rps http://127.0.0.1:18081/panels/kpi)
  printf 'run %d: bare %s req/s, dashboard %s req/s, ratio %.2f\n' "$i" "$bare" "$dash" "$(echo "$dash / $bare" | bc -l)"
done
