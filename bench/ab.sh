#!/usr/bin/env bash
# Interleaved A/B of two checkouts (each built in Release first: `dotnet build -c Release bench/Herald.Bench`), so a
# change is compared with its base on the same machine state; one line per run.
# Usage: bench/ab.sh <checkout A> <checkout B> <rounds> [bench arguments, e.g. --scenario single --scale 0.5]
set -euo pipefail
a=$1; b=$2; rounds=$3; shift 3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "checkout accepted/s cpu_us/msg alloc_kib/msg collections p99_ms errors"
for _ in $(seq 1 "$rounds"); do
  for dir in "$a" "$b"; do
    (cd "$dir" && dotnet bench/Herald.Bench/bin/Release/net10.0/Herald.Bench.dll --out "$out" "$@" > /dev/null 2>&1)
    python3 - "$dir" "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["reports"][0]
print(sys.argv[1], r["accepted_per_second"], r["server_cpu_micros_per_message"], r.get("server_allocated_kib_per_message"),
      r.get("server_gc_collections"), r["latency_p99_ms"], r["errors"])
PY
  done
done
