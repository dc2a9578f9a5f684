#!/usr/bin/env bash
# Starts the servers the tests drive for real, unless they are already up: a throwaway PostgreSQL cluster and a
# nats-server, both on loopback only. Sourced by test.sh; prints nothing on success but exports where they are:
#   HERALD_TEST_POSTGRES       an admin connection string (tests create and drop a database each)
#   HERALD_TEST_POSTGRES_DATA  the cluster's data directory (privacy tests scan its files for clear text)
#   HERALD_TEST_NATS           the NATS URL
# Usage: source scripts/test-services.sh   (or run it to start them and see the variables)

pg_dir=${HERALD_TEST_PG_DIR:-/tmp/herald-test-pg}
pg_port=${HERALD_TEST_PG_PORT:-54329}
nats_port=${HERALD_TEST_NATS_PORT:-42229}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

if [ -z "$pg_bin" ] || ! command -v nats-server >/dev/null 2>&1; then
  echo "PostgreSQL and nats-server are needed by the tests; test.sh installs them." >&2
  return 1 2>/dev/null || exit 1
fi

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user (or to whoever runs this).
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! as_owner "$pg_bin/pg_isready" -q -h "$pg_dir" -p "$pg_port" 2>/dev/null; then
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    mkdir -p "$pg_dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
    as_owner "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 >/dev/null
  fi
  # Only a Unix socket in $pg_dir and 127.0.0.1; fsync stays on, as in production.
  as_owner "$pg_bin/pg_ctl" -s -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=256MB" start
fi

if ! (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null; then
  nohup nats-server -a 127.0.0.1 -p "$nats_port" >/tmp/herald-test-nats.log 2>&1 &
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break; sleep 0.1; done
fi

export HERALD_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
export HERALD_TEST_POSTGRES_DATA="$pg_dir/data"
export HERALD_TEST_NATS="nats://127.0.0.1:$nats_port"
[ "${BASH_SOURCE[0]}" = "$0" ] && env | grep '^HERALD_TEST_'
true
