#!/usr/bin/env bash
# Runs the benchmark: builds Herald and the load generator in Release, raises the open-file limit (100,000 idle
# devices need that many sockets on each side), and passes its arguments on, e.g.
#   bench/run.sh                          all scenarios, full size
#   bench/run.sh --scenario single --scale 0.1
#   bench/run.sh --scenario single --store postgres --nodes 2     two nodes over PostgreSQL and NATS
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 300000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# --store postgres / --nodes N: start a local PostgreSQL cluster and nats-server unless HERALD_BENCH_* point elsewhere.
if [[ " $* " == *" postgres "* && -z "${HERALD_BENCH_POSTGRES:-}" ]]; then
  source scripts/test-services.sh
fi
dotnet build -c Release bench/Herald.Bench --nologo -v quiet
exec dotnet bench/Herald.Bench/bin/Release/net10.0/Herald.Bench.dll "$@"
