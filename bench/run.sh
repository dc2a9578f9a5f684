#!/usr/bin/env bash
# Runs the benchmark: builds Herald and the load generator in Release, raises the open-file limit (100,000 idle
# devices need that many sockets on each side), and passes its arguments on, e.g.
#   bench/run.sh                          all scenarios, full size
#   bench/run.sh --scenario single --scale 0.1
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 300000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build -c Release bench/Herald.Bench --nologo -v quiet
exec dotnet bench/Herald.Bench/bin/Release/net10.0/Herald.Bench.dll "$@"
