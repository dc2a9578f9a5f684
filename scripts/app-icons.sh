#!/usr/bin/env bash
# Draws the Messenger's PNG icons (manifest, notifications) from wwwroot/app/icon.svg with headless Chromium, so the
# PNGs never drift from the SVG. Run it after changing icon.svg and commit the PNGs. Usage: scripts/app-icons.sh
set -euo pipefail
cd "$(dirname "$0")/.."
app=src/Herald.Server/wwwroot/app
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The maskable icon fills its square: launchers cut their own shape out of it, and the glyph sits inside the safe zone
# (the middle 80 % circle) already.
sed 's/ rx="14"//' "$app/icon.svg" > "$work/maskable.svg"

draw() { # draw SVG SIZE OUT
  printf '<!doctype html><style>html,body{margin:0;background:transparent}img{display:block;width:%spx;height:%spx}</style><img src="file://%s">' \
    "$2" "$2" "$1" > "$work/page.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
    --window-size="$2,$2" --screenshot="$3" "file://$work/page.html" 2>/dev/null
}
draw "$PWD/$app/icon.svg" 192 "$PWD/$app/icon-192.png"
draw "$PWD/$app/icon.svg" 512 "$PWD/$app/icon-512.png"
draw "$work/maskable.svg" 512 "$PWD/$app/icon-maskable-512.png"
