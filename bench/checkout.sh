#!/usr/bin/env bash
# Checkouts per second through the gateway, and PostgreSQL's own TPC-B figure (pgbench) on the
# same server in the same run, for scale: a checkout is several transactions (reserve stock at
# the catalog, write the order with its outbox event, then payment and confirmation through
# Kafka), so the ratio says how close the saga's synchronous part comes to the database's limit.
#
#   1. pgbench -i -s SCALE into a scratch database, then pgbench -c CLIENTS -j 2 -T DURATION -M
#      prepared (TPC-B like): transactions/s and latency;
#   2. bench/checkout_load.py: SHOPPERS signed-in shoppers, each: put a product in the cart, check
#      out with the approving test card; after WARMUP seconds of the same, not counted:
#      checkouts/s, p50/p90/p99 of the checkout request, failures by kind, and the CPU per
#      checkout of every process of the stack and of PostgreSQL (from /proc).
#
# Usage: bench/checkout.sh [--name STACK] [--shoppers N] [--duration S] [--warmup S] [--scale N]
# Needs a running stack with the demo data and rate limits above the load, e.g.
#   RATE_LIMITS='/api/auth=1000/1s;/api=1000000/1s' ./storefront up
# PG_HOST/PG_PORT/PG_ADMIN_USER name the PostgreSQL server (127.0.0.1:5432, postgres).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront SHOPPERS=16 DURATION=20 WARMUP=60 SCALE=10
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --shoppers) SHOPPERS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

STATE="$ROOT/.storefront/$NAME"
[[ -d "$STATE/ports" ]] || { echo "no stack '$NAME' is running: ./storefront up first" >&2; exit 1; }
GATEWAY="http://127.0.0.1:$(cat "$STATE/ports/gateway-1.port")"
PG=(-h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U "${PG_ADMIN_USER:-postgres}")
SCRATCH="storefront_pgbench_$$"

command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: postgresql-client)" >&2; exit 1; }
trap 'dropdb "${PG[@]}" --if-exists "$SCRATCH" >/dev/null 2>&1 || true' EXIT
createdb "${PG[@]}" "$SCRATCH"

echo "== pgbench TPC-B: scale $SCALE, $SHOPPERS clients, ${DURATION}s"
pgbench "${PG[@]}" -q -i -s "$SCALE" "$SCRATCH" >/dev/null 2>&1
PGBENCH_OUT="$(pgbench "${PG[@]}" -c "$SHOPPERS" -j 2 -T "$DURATION" -M prepared "$SCRATCH" 2>&1)"
TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$PGBENCH_OUT" | head -1)"
LATENCY="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$PGBENCH_OUT")"
echo "   $TPS transactions/s, latency average $LATENCY ms"

echo "== checkouts through the gateway: $SHOPPERS shoppers, ${DURATION}s after ${WARMUP}s of warm-up"
RESULT="$(python3 "$ROOT/bench/checkout_load.py" --gateway "$GATEWAY" --shoppers "$SHOPPERS" \
  --duration "$DURATION" --warmup "$WARMUP" --pids "$STATE/pids")"
echo "   $RESULT"

python3 - "$TPS" "$RESULT" <<'PY'
import json, sys
tps, result = float(sys.argv[1]), json.loads(sys.argv[2])
print()
print(f"checkouts/s {result['checkouts_per_s']} at p99 {result['p99_ms']} ms "
      f"(p50 {result['p50_ms']} ms); pgbench TPC-B {tps:.0f} tps; "
      f"ratio {result['checkouts_per_s'] / tps:.3f}; failures {result['failures'] or 'none'}")
if "cpu_ms_per_checkout" in result:
    print(f"CPU per checkout {result['cpu_ms_per_checkout_total']} ms: " + ", ".join(
        f"{name} {ms}" for name, ms in sorted(result["cpu_ms_per_checkout"].items(), key=lambda e: -e[1])))
PY
