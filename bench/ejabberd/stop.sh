#!/usr/bin/env bash
# Stops the private ejabberd started by bench/ejabberd/setup.sh (leaves its data in $EJABBERD_DIR).
#   bench/ejabberd/stop.sh [--purge]     --purge also deletes $EJABBERD_DIR
set -uo pipefail

EJABBERD_DIR="${EJABBERD_DIR:-/tmp/herald-bench-ejabberd}"
NODE="herald-bench@localhost"
log() { printf '[ejabberd-stop] %s\n' "$*"; }

if [[ ! -f "$EJABBERD_DIR/ejabberdctl.cfg" ]]; then
  log "nothing to stop: $EJABBERD_DIR/ejabberdctl.cfg not found"
  exit 0
fi

# Same user switch as setup.sh (setpriv, not su: see there).
AS_EJABBERD=(setpriv --reuid=ejabberd --regid=ejabberd --init-groups
  env HOME="$(getent passwd ejabberd | cut -d: -f6)" USER=ejabberd LOGNAME=ejabberd)
CTL=("${AS_EJABBERD[@]}" /usr/sbin/ejabberdctl --config-dir "$EJABBERD_DIR" --config "$EJABBERD_DIR/ejabberd.yml"
     --ctl-config "$EJABBERD_DIR/ejabberdctl.cfg" --spool "$EJABBERD_DIR/spool" --logs "$EJABBERD_DIR/logs")

if "${CTL[@]}" status >/dev/null 2>&1; then
  log "stopping ejabberd node $NODE"
  "${CTL[@]}" stop >/dev/null 2>&1 || true
  # Wait up to 60 s for the VM to go away.
  for ((i = 0; i < 120; i++)); do
    pgrep -u ejabberd -f "beam.*$NODE" >/dev/null || break
    sleep 0.5
  done
else
  log "ejabberd node $NODE is not answering"
fi

pids=$(pgrep -u ejabberd -f "beam.*$NODE" || true)
if [[ -n "$pids" ]]; then
  log "VM still running, sending TERM to pid(s): $(tr '\n' ' ' <<<"$pids")"
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  sleep 2
fi
pgrep -u ejabberd -f "beam.*$NODE" >/dev/null && { log "ERROR: ejabberd is still running"; exit 1; }

if [[ "${1:-}" == "--purge" ]]; then
  log "removing $EJABBERD_DIR"
  rm -rf -- "$EJABBERD_DIR"
fi
log "stopped"
