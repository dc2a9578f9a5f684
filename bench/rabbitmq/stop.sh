#!/usr/bin/env bash
# Stops the private RabbitMQ started by bench/rabbitmq/setup.sh and deletes its data (queues and messages).
set -uo pipefail
RABBITMQ_DIR="${RABBITMQ_DIR:-/tmp/herald-bench-rabbitmq}"
NODE="herald-bench-rabbit@localhost"
log() { printf '[rabbitmq-stop] %s\n' "$*"; }

AS_RABBITMQ=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups
  env HOME="$(getent passwd rabbitmq | cut -d: -f6)" USER=rabbitmq LOGNAME=rabbitmq RABBITMQ_NODENAME="$NODE" ERL_EPMD_ADDRESS=127.0.0.1)
if "${AS_RABBITMQ[@]}" rabbitmqctl -n "$NODE" status >/dev/null 2>&1; then
  log "stopping node $NODE"
  "${AS_RABBITMQ[@]}" rabbitmqctl -n "$NODE" stop >/dev/null 2>&1 || true
fi
for ((i = 0; i < 60; i++)); do
  pgrep -u rabbitmq -x beam.smp >/dev/null || break
  sleep 0.5
done
pids=$(pgrep -u rabbitmq -x beam.smp || true)
[[ -n "$pids" ]] && { log "sending TERM to $(tr '\n' ' ' <<<"$pids")"; for p in $pids; do kill "$p" 2>/dev/null || true; done; sleep 2; }
pgrep -u rabbitmq -x beam.smp >/dev/null && { log "ERROR: RabbitMQ is still running"; exit 1; }
# The epmd the node started (bound to loopback), unless another Erlang node still uses it.
ERL_EPMD_ADDRESS=127.0.0.1 "$(ls /usr/lib/erlang/erts-*/bin/epmd | head -1)" -kill >/dev/null 2>&1 || true
rm -rf -- "$RABBITMQ_DIR"
log "stopped, $RABBITMQ_DIR removed"
