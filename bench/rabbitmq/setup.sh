#!/usr/bin/env bash
# Sets up a private RabbitMQ (Debian package rabbitmq-server) for the side-by-side bench.
#
#   bench/rabbitmq/setup.sh        (run as root)
#
# Idempotent: installs the package if missing, keeps the packaged system service out of the way, starts its own node
# from $RABBITMQ_DIR (data, logs, config), waits until it accepts AMQP on 127.0.0.1:$AMQP_PORT. Everything binds to
# 127.0.0.1: AMQP, Erlang distribution (fixed port) and epmd. The bench logs in as guest/guest, which RabbitMQ allows
# from loopback only. bench/rabbitmq/stop.sh stops it and deletes its data (the bench's queues with it).
#
# Config choices (so the comparison is fair to RabbitMQ): defaults for durability (durable queues, persistent
# messages, fsync on publisher confirm), no management plugin, loglevel warning, no memory/disk alarms tighter than
# the defaults.
set -euo pipefail
trap 'echo "[rabbitmq-setup] ERROR: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

RABBITMQ_DIR="${RABBITMQ_DIR:-/tmp/herald-bench-rabbitmq}"
NODE="herald-bench-rabbit@localhost"
AMQP_PORT="${RABBITMQ_BENCH_PORT:-5673}"
DIST_PORT="${RABBITMQ_BENCH_DIST_PORT:-25673}"
APT_OPTS=(-o Apt::Key::gpgvcommand=/usr/bin/gpgv)

log() { printf '[rabbitmq-setup] %s\n' "$*"; }
die() { printf '[rabbitmq-setup] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, and RabbitMQ runs as the rabbitmq user via setpriv)"

if ! dpkg-query -W -f='${Status}' rabbitmq-server 2>/dev/null | grep -q 'install ok installed'; then
  log "installing rabbitmq-server (Debian package)"
  apt-get "${APT_OPTS[@]}" update -q || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends rabbitmq-server || die "apt-get install rabbitmq-server failed"
else
  log "rabbitmq-server already installed: $(dpkg-query -W -f='${Version}' rabbitmq-server)"
fi
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl stop rabbitmq-server.service >/dev/null 2>&1 || true
fi

mkdir -p "$RABBITMQ_DIR/mnesia" "$RABBITMQ_DIR/logs"
cat > "$RABBITMQ_DIR/rabbitmq.conf" <<CFG
# Written by bench/rabbitmq/setup.sh: loopback-only RabbitMQ for the Herald side-by-side bench.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
log.file.level = warning
log.console = false
loopback_users.guest = true
CFG
chown -R rabbitmq:rabbitmq "$RABBITMQ_DIR"

# The same environment for the server and rabbitmqctl; HOME is where the rabbitmq user's Erlang cookie lives.
AS_RABBITMQ=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups
  env HOME="$(getent passwd rabbitmq | cut -d: -f6)" USER=rabbitmq LOGNAME=rabbitmq
  RABBITMQ_NODENAME="$NODE" RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq" RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  RABBITMQ_LOG_BASE="$RABBITMQ_DIR/logs" RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  RABBITMQ_DIST_PORT="$DIST_PORT" ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
echo '[].' > "$RABBITMQ_DIR/enabled_plugins"
chown rabbitmq:rabbitmq "$RABBITMQ_DIR/enabled_plugins"
CTL=("${AS_RABBITMQ[@]}" rabbitmqctl -n "$NODE")

if "${CTL[@]}" status >/dev/null 2>&1; then
  log "node $NODE already running"
else
  nofile=$(ulimit -Hn)
  [[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
  ulimit -n "$nofile"
  log "starting node $NODE (AMQP 127.0.0.1:$AMQP_PORT, data $RABBITMQ_DIR)"
  setsid "${AS_RABBITMQ[@]}" rabbitmq-server > "$RABBITMQ_DIR/logs/console.log" 2>&1 < /dev/null &
  disown || true
fi
# await_startup fails at once while the node is not yet reachable (on a busy machine that lasts a while after the
# start above): ask again until it answers, for at most 300 s in all.
deadline=$((SECONDS + 300))
until timeout 60 "${CTL[@]}" await_startup >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { tail -n 30 "$RABBITMQ_DIR/logs/console.log" || true; die "RabbitMQ did not start within 300 s"; }
  sleep 2
done
log "ready: $NODE, AMQP 127.0.0.1:$AMQP_PORT, beam.smp pid(s) $(pgrep -u rabbitmq -x beam.smp | tr '\n' ' ')"
