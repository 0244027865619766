#!/usr/bin/env bash
# Checkouts per second through the gateway, and PostgreSQL's own TPC-B figure (pgbench) on the
# same server in the same run, for scale: a checkout is several transactions (reserve stock at
# the catalog, write the order with its outbox event, then payment and confirmation through
# Kafka), so the ratio says how close the saga's synchronous part comes to the database's limit.
#
#   1. pgbench -i -s SCALE into a scratch database, then pgbench -c 16 -j 2 -T DURATION -M
#      prepared (TPC-B like): transactions/s and latency;
#   2. bench/checkout_load.py: SHOPPERS signed-in shoppers, each: put a product in the cart, check
#      out with the approving test card; after WARMUP seconds of the same, not counted:
#      checkouts/s, p50/p90/p99 of the checkout request, failures by kind, and the CPU per
#      checkout of every process of the stack and of PostgreSQL (from /proc);
#   3. the saga of the measured window's orders, from the database once it has drained: time from
#      the checkout to done (order final, feed entry written, e-mail sent) p50/p99, and how long
#      after the last checkout the last one was done, and the same hop by hop (bench/saga_hops.sql).
#
# Usage: bench/checkout.sh [--name STACK] [--shoppers N] [--rate R] [--duration S] [--warmup S]
#                         [--scale N]
# --rate R: an open model, R checkouts started a second by a pool of SHOPPERS accounts (give it
# enough: R times the checkout's latency, with room); without it, SHOPPERS loop (closed model).
# Needs a running stack with the demo data and rate limits above the load, e.g.
#   RATE_LIMITS='/api/auth=1000/1s;/api=1000000/1s' ./storefront up
# PG_HOST/PG_PORT/PG_ADMIN_USER name the PostgreSQL server (127.0.0.1:5432, postgres).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront SHOPPERS=16 DURATION=20 WARMUP=60 SCALE=10 RATE=
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --shoppers) SHOPPERS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
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

echo "== pgbench TPC-B: scale $SCALE, 16 clients, ${DURATION}s"
pgbench "${PG[@]}" -q -i -s "$SCALE" "$SCRATCH" >/dev/null 2>&1
PGBENCH_OUT="$(pgbench "${PG[@]}" -c 16 -j 2 -T "$DURATION" -M prepared "$SCRATCH" 2>&1)"
TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$PGBENCH_OUT" | head -1)"
LATENCY="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$PGBENCH_OUT")"
echo "   $TPS transactions/s, latency average $LATENCY ms"

echo "== checkouts through the gateway: $SHOPPERS shoppers${RATE:+ at $RATE/s}, ${DURATION}s after ${WARMUP}s of warm-up"
RESULT="$(python3 "$ROOT/bench/checkout_load.py" --gateway "$GATEWAY" --shoppers "$SHOPPERS" \
  ${RATE:+--rate "$RATE"} --duration "$DURATION" --warmup "$WARMUP" --pids "$STATE/pids")"
echo "   $RESULT"

echo "== the saga of those orders (waiting up to 180 s for it to drain)"
read -r FROM TO < <(python3 -c 'import json,sys; w=json.loads(sys.argv[1])["window"]; print(w[0], w[1])' "$RESULT")
DB=(-d "${PG_DATABASE:-storefront}")
# Orders placed in the measured window, as alias o.
WINDOW="o.created_at >= to_timestamp($FROM) AND o.created_at < to_timestamp($TO)"
for _ in $(seq 1 180); do
  LEFT="$(psql "${PG[@]}" "${DB[@]}" -tAc "SELECT (SELECT count(*) FROM orders.orders o WHERE $WINDOW AND o.status = 'pending')
    + (SELECT count(*) FROM notifications.deliveries d JOIN orders.orders o ON o.id = d.order_id
       WHERE $WINDOW AND d.channel = 'email' AND d.sent_at IS NULL)")"
  [[ "$LEFT" == 0 ]] && break
  sleep 1
done
SAGA="$(psql "${PG[@]}" "${DB[@]}" -tAF ' ' -c "
  WITH o AS (SELECT o.id, o.created_at, o.updated_at FROM orders.orders o WHERE $WINDOW AND o.status <> 'pending'),
  f AS (SELECT order_id, max(created_at) AS at FROM notifications.feed WHERE order_id IN (SELECT id FROM o) GROUP BY order_id),
  m AS (SELECT order_id, max(sent_at) AS at FROM notifications.deliveries
        WHERE channel = 'email' AND order_id IN (SELECT id FROM o) GROUP BY order_id),
  d AS (SELECT o.id, EXTRACT(EPOCH FROM greatest(o.updated_at, f.at, m.at) - o.created_at) AS s,
               greatest(o.updated_at, f.at, m.at) AS done, f.at IS NOT NULL AND m.at IS NOT NULL AS told
        FROM o LEFT JOIN f ON f.order_id = o.id LEFT JOIN m ON m.order_id = o.id)
  SELECT count(*), count(*) FILTER (WHERE NOT told),
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY s) * 1000)::numeric),
         round((percentile_cont(0.99) WITHIN GROUP (ORDER BY s) * 1000)::numeric),
         round(EXTRACT(EPOCH FROM max(done) - to_timestamp($TO))::numeric, 1)
  FROM d")"
read -r DONE UNTOLD P50 P99 DRAIN <<<"$SAGA"
echo "   $DONE orders final, $UNTOLD without their feed entry or e-mail, $LEFT still open;"
echo "   checkout to done p50 ${P50:-?} ms, p99 ${P99:-?} ms; the last was done ${DRAIN:-?} s after the last checkout"
echo "   hop by hop:"
psql "${PG[@]}" "${DB[@]}" -q -v from="$FROM" -v to="$TO" -f "$ROOT/bench/saga_hops.sql" | sed 's/^/   /'

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
