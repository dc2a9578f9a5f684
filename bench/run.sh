#!/usr/bin/env bash
# Runs the benchmark: builds Herald and the load generator in Release, raises the open-file limit (100,000 idle
# devices need that many sockets on each side), and passes its arguments on, e.g.
#   bench/run.sh                          all scenarios, full size, ending with issue #15's target table
#   bench/run.sh --scenario single --scale 0.1
#   bench/run.sh --scenario accept-only   wrk against POST /v1/messages (offline consumer) and GET /healthz
#   bench/run.sh --scenario single --store postgres --nodes 2     two nodes over PostgreSQL and NATS
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 300000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
args=" $* "
# No --scenario, or --scenario all, runs every scenario; the flag's values are the words after it.
runs_all=false
[[ "$args" != *" --scenario"* || "$args" == *" all "* ]] && runs_all=true
# --store postgres, --nodes N, the single-postgres scenario and `all` (which includes it): start a local PostgreSQL
# cluster and nats-server unless HERALD_BENCH_* point elsewhere.
if [[ ( "$args" == *postgres* || $runs_all == true ) && -z "${HERALD_BENCH_POSTGRES:-}" ]]; then
  source scripts/test-services.sh
fi
# accept-only drives the server with wrk (the Debian package), installed here as test.sh installs what tests need.
if [[ ( "$args" == *" accept-only "* || $runs_all == true ) ]] && ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (needed by the accept-only scenario)..."
  apt_opts=(-o Apt::Key::gpgvcommand=/usr/bin/gpgv -qq)
  { apt-get "${apt_opts[@]}" update && DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y wrk; } ||
    { echo "Could not install wrk: install the Debian package yourself (apt-get install wrk, as root)." >&2; exit 1; }
fi
dotnet build -c Release bench/Herald.Bench --nologo -v quiet
exec dotnet bench/Herald.Bench/bin/Release/net10.0/Herald.Bench.dll "$@"
