#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need, builds, tests, and ends with one
# "N passed, N failed" line. Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net)." >&2
  exit 1
fi

# Debian packages the tests drive for real: Chromium for the web apps' browser tests (with a colour emoji font, so
# the Messenger's screenshots show emoji as people see them), PostgreSQL and nats-server for the second run of the
# suite and the cluster tests, Prometheus for the test that scrapes Herald's metrics (it starts its own, on loopback).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
# The desktop-notification tests run Chromium with windows on a virtual display (Xvfb) with a private session bus;
# the README's picture of a notification is drawn by dunst, captured with ImageMagick, the window found with xdotool.
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
[ -x /usr/bin/dbus-daemon ] || missing+=(dbus-daemon)
[ -x /usr/bin/dunst ] || missing+=(dunst)
[ -x /usr/bin/import ] || missing+=(imagemagick)
[ -x /usr/bin/xdotool ] || missing+=(xdotool)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (needed by the tests)..."
  # The explicit gpgv path keeps apt working on machines where /dev/null is not a device.
  apt_opts=(-o Apt::Key::gpgvcommand=/usr/bin/gpgv -qq)
  apt-get "${apt_opts[@]}" update
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y "${missing[@]}"
fi

# The independent tools some tests run, each pinned by its lockfile: the Standard Webhooks verifier (npm
# standardwebhooks), the OpenAPI checks (two linters, openapi-typescript, TypeScript, openapi-fetch) and Lighthouse
# (the Messenger's accessibility and best-practices scores).
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20.19+ and npm are required (tools/webhook-verify, tools/openapi-check, tools/lighthouse)." >&2
  exit 1
fi
(cd tools/webhook-verify && npm ci --silent --no-audit --no-fund)
(cd tools/openapi-check && npm ci --silent --no-audit --no-fund)
(cd tools/lighthouse && npm ci --silent --no-audit --no-fund)

# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Everything on embedded SQLite, then the server's integration suite again on PostgreSQL.
dotnet test Herald.slnx --nologo "$@" 2>&1 | tee "$log" || status=$?
HERALD_TEST_STORE=postgres dotnet test tests/Herald.Server.Tests --nologo "$@" 2>&1 | tee -a "$log" || status=$?

# dotnet test prints one summary per test project; add them up into the one line CI reads.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", p); printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
