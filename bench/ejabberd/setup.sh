#!/usr/bin/env bash
# Sets up a private ejabberd 23.01 (Debian package) for the side-by-side bench.
#
#   bench/ejabberd/setup.sh [USERS]      (default USERS=100; run as root)
#
# Idempotent: installs the package if missing, keeps the packaged system service
# out of the way, writes its own config under $EJABBERD_DIR, starts ejabberd from
# that config (if it is not already running), waits for c2s 127.0.0.1:5222 and
# HTTP 127.0.0.1:5280, and registers user1..userUSERS with password "pw".
# Everything binds to 127.0.0.1 only: c2s, HTTP, and Erlang distribution
# (fixed port, no epmd).  bench/ejabberd/stop.sh stops it.
#
# Config choices (so the comparison is fair to ejabberd):
#   - no TLS, SASL PLAIN on loopback; passwords stored plain (no SCRAM hashing);
#   - no c2s shaper (the packaged config throttles users to 3000 B/s);
#   - mod_offline is OFF: every bench client is connected, and a message for a
#     user who is not online is dropped (the bench counts it as an error)
#     instead of piling up in mnesia;
#   - loglevel warning, only the modules the run needs.
set -euo pipefail
trap 'echo "[ejabberd-setup] ERROR: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

USERS="${1:-100}"
EJABBERD_DIR="${EJABBERD_DIR:-/tmp/herald-bench-ejabberd}"
NODE="herald-bench@localhost"
DIST_PORT="${EJABBERD_DIST_PORT:-5210}"   # Erlang distribution, loopback only
C2S_PORT=5222
HTTP_PORT=5280
APT_OPTS=(-o Apt::Key::gpgvcommand=/usr/bin/gpgv)

log() { printf '[ejabberd-setup] %s\n' "$*"; }
die() { printf '[ejabberd-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$USERS" =~ ^[0-9]+$ ]] && (( USERS >= 1 && USERS <= 100000 )) || die "USERS must be 1..100000, got '$USERS'"
[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, and ejabberd runs as the ejabberd user via setpriv)"

# --- 1. package -----------------------------------------------------------------
if ! dpkg-query -W -f='${Status}' ejabberd 2>/dev/null | grep -q 'install ok installed'; then
  log "installing ejabberd (Debian package)"
  apt-get "${APT_OPTS[@]}" update -q || die "apt-get update failed"
  # policy-rc.d may or may not let the package start its service: handled below.
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q ejabberd || die "apt-get install ejabberd failed"
else
  log "ejabberd already installed: $(dpkg-query -W -f='${Version}' ejabberd)"
fi

# --- 2. keep the packaged system service out of the way --------------------------
# It would listen on :: 5222/5280 with the packaged config and node ejabberd@localhost.
if command -v systemctl >/dev/null 2>&1; then
  if [[ -d /run/systemd/system ]]; then
    systemctl stop ejabberd.service >/dev/null 2>&1 || true
  fi
  systemctl disable ejabberd.service >/dev/null 2>&1 || true
fi
# (Only talk to the packaged node if its VM is actually running: an ejabberdctl call
# against the packaged config would otherwise start an epmd listening on all interfaces.)
if pgrep -f -- '-sname ejabberd@localhost' >/dev/null; then
  log "stopping the packaged ejabberd@localhost node (system service)"
  /usr/sbin/ejabberdctl stop >/dev/null 2>&1 || true
  for ((i = 0; i < 120; i++)); do
    pgrep -f -- '-sname ejabberd@localhost' >/dev/null || break
    sleep 0.5
  done
  pgrep -f -- '-sname ejabberd@localhost' >/dev/null && die "the packaged ejabberd@localhost node would not stop"
fi

# --- 3. our own config ------------------------------------------------------------
mkdir -p "$EJABBERD_DIR/spool" "$EJABBERD_DIR/logs"
config_sum() { { cat "$EJABBERD_DIR/ejabberdctl.cfg" "$EJABBERD_DIR/inetrc" "$EJABBERD_DIR/ejabberd.yml" 2>/dev/null || true; } | sha256sum; }
old_config=$(config_sum)

cat > "$EJABBERD_DIR/ejabberdctl.cfg" <<CFG
# Written by bench/ejabberd/setup.sh: Erlang distribution on a fixed loopback port, no epmd.
ERLANG_NODE=$NODE
ERL_DIST_PORT=$DIST_PORT
INET_DIST_INTERFACE=127.0.0.1
ERL_EPMD_ADDRESS=127.0.0.1
POLL=true
ERL_MAX_PORTS=65536
ERL_PROCESSES=250000
ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"
EJABBERD_BYPASS_WARNINGS=true
CFG

cat > "$EJABBERD_DIR/inetrc" <<'CFG'
{lookup,["file","native"]}.
{host,{127,0,0,1}, ["localhost"]}.
CFG

cat > "$EJABBERD_DIR/ejabberd.yml" <<CFG
# Written by bench/ejabberd/setup.sh — loopback-only ejabberd for the Herald side-by-side bench.
loglevel: warning
log_rotate_count: 0
hosts:
  - localhost
acme:
  auto: false
auth_method: internal
auth_password_format: plain
disable_sasl_mechanisms:
  - "digest-md5"
  - "X-OAUTH2"

listen:
  -
    port: $C2S_PORT
    ip: "127.0.0.1"
    module: ejabberd_c2s
    backlog: 1024
    max_stanza_size: 262144
    access: c2s
    starttls: false
    starttls_required: false
  -
    port: $HTTP_PORT
    ip: "127.0.0.1"
    module: ejabberd_http
    backlog: 1024
    tls: false
    request_handlers:
      /api: mod_http_api

acl:
  loopback:
    ip:
      - 127.0.0.0/8

access_rules:
  local:
    allow: all
  c2s:
    allow: all

api_permissions:
  "console commands":
    from:
      - ejabberd_ctl
    who: all
    what: "*"
  "bench over loopback http":
    from:
      - mod_http_api
    who:
      ip: 127.0.0.1/8
    what:
      - send_message
      - register
      - unregister
      - status
      - connected_users_number
      - registered_users

shaper_rules:
  max_user_sessions: 10

modules:
  mod_admin_extra: {}
  mod_http_api: {}
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
CFG

chown -R ejabberd:ejabberd "$EJABBERD_DIR"
chmod 750 "$EJABBERD_DIR"

# ejabberdctl run as root would switch to the ejabberd user with `su`, whose PAM session
# (pam_limits) drops the open-file soft limit to 1024: ejabberd then fails accept() with
# "too many open files" past ~1000 clients.  setpriv switches user without PAM, so the VM keeps
# the limit set here; HOME is where the ejabberd user's Erlang cookie lives.
AS_EJABBERD=(setpriv --reuid=ejabberd --regid=ejabberd --init-groups
  env HOME="$(getent passwd ejabberd | cut -d: -f6)" USER=ejabberd LOGNAME=ejabberd)
CTL=("${AS_EJABBERD[@]}" /usr/sbin/ejabberdctl --config-dir "$EJABBERD_DIR" --config "$EJABBERD_DIR/ejabberd.yml"
     --ctl-config "$EJABBERD_DIR/ejabberdctl.cfg" --spool "$EJABBERD_DIR/spool" --logs "$EJABBERD_DIR/logs")

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# --- 4. start ------------------------------------------------------------------------
# One socket per client: use the hard open-file limit (at most 65536, as the packaged unit does).
nofile=$(ulimit -Hn)
[[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
ulimit -n "$nofile"
if "${CTL[@]}" status >/dev/null 2>&1 && [[ "$(config_sum)" != "$old_config" ]]; then
  log "config in $EJABBERD_DIR changed: restarting ejabberd"
  "$(dirname "$0")/stop.sh" || die "could not stop the running ejabberd"
fi
if "${CTL[@]}" status >/dev/null 2>&1; then
  log "ejabberd node $NODE already running from $EJABBERD_DIR"
else
  for p in $C2S_PORT $HTTP_PORT $DIST_PORT; do
    port_open "$p" && die "127.0.0.1:$p is taken by another process (ss -ltnp | grep :$p)"
  done
  log "starting ejabberd node $NODE (config $EJABBERD_DIR/ejabberd.yml, logs $EJABBERD_DIR/logs)"
  # `ejabberdctl foreground` put in the background rather than `ejabberdctl start`:
  # `start` uses erl -detached, which reopens /dev/null for writing as the ejabberd
  # user and spins at 100% CPU forever if it cannot (seen on a box whose /dev/null
  # was a root-owned regular file).  Console output goes to logs/console.log.
  for f in "$EJABBERD_DIR"/logs/*.log; do [[ -f "$f" ]] && mv -f "$f" "$f.old"; done
  setsid "${CTL[@]}" foreground > "$EJABBERD_DIR/logs/console.log" 2>&1 < /dev/null &
  START_PID=$!
  disown || true
fi

log "waiting for 127.0.0.1:$C2S_PORT (c2s) and 127.0.0.1:$HTTP_PORT (http api)"
deadline=$((SECONDS + 90))
until port_open $C2S_PORT && port_open $HTTP_PORT; do
  if [[ -n "${START_PID:-}" ]] && ! kill -0 "$START_PID" 2>/dev/null; then
    tail -n 20 "$EJABBERD_DIR/logs/console.log" "$EJABBERD_DIR/logs/error.log" 2>/dev/null || true
    die "ejabberd exited during startup (see $EJABBERD_DIR/logs/)"
  fi
  (( SECONDS < deadline )) || { tail -n 20 "$EJABBERD_DIR/logs/console.log" "$EJABBERD_DIR/logs/error.log" 2>/dev/null || true; die "ejabberd did not open its ports within 90 s"; }
  sleep 0.5
done
# The API answers once the modules are loaded.
until curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$HTTP_PORT/api/status"; do
  (( SECONDS < deadline )) || die "http api did not answer within 90 s"
  sleep 0.5
done
log "ejabberd is up: $(curl -s -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$HTTP_PORT/api/status")"

# --- 5. users ---------------------------------------------------------------------------
# One HTTP `register` per user over a single curl process with keep-alive (much faster
# than one ejabberdctl VM start per user).  "already registered" (409) is fine.
log "registering user1..user$USERS (password pw)"
cfg="$EJABBERD_DIR/register.curl"
: > "$cfg"
for ((i = 1; i <= USERS; i++)); do
  printf 'url = "http://127.0.0.1:%d/api/register"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "{\\"user\\":\\"user%d\\",\\"host\\":\\"localhost\\",\\"password\\":\\"pw\\"}"\nwrite-out = "%%{http_code}\\n"\noutput = "%s"\n' \
    "$HTTP_PORT" "$i" "$EJABBERD_DIR/register.out" >> "$cfg"
  (( i < USERS )) && printf 'next\n' >> "$cfg"
done
codes=$(timeout 300 curl -s --max-time 290 --config "$cfg") || die "registering users failed or timed out"
ok=$(grep -c '^200$' <<<"$codes" || true)
dup=$(grep -c '^409$' <<<"$codes" || true)
bad=$(( USERS - ok - dup ))
rm -f "$cfg" "$EJABBERD_DIR/register.out"
(( bad == 0 )) || die "register: $ok new, $dup existing, $bad failed (codes: $(sort <<<"$codes" | uniq -c | tr '\n' ' '))"
log "users: $ok registered now, $dup already existed"

total=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"host":"localhost"}' "http://127.0.0.1:$HTTP_PORT/api/registered_users" | tr ',' '\n' | grep -c user || true)
for p in $(pgrep -u ejabberd -f "beam.*$NODE" || true); do
  files=$(awk '/^Max open files/ {print $4}' "/proc/$p/limits" 2>/dev/null || true)
  log "ready: host localhost, $total users, c2s 127.0.0.1:$C2S_PORT, api http://127.0.0.1:$HTTP_PORT/api, beam.smp pid $p, max open files ${files:-?}"
  if [[ -n "$files" && "$files" != unlimited ]] && (( files < USERS + 100 )); then
    log "warning: ejabberd may only hold about $((files - 100)) client sockets (restart it: bench/ejabberd/stop.sh; bench/ejabberd/setup.sh $USERS)"
  fi
done
