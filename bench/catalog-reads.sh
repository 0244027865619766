#!/usr/bin/env bash
# Catalog read throughput, direct against one catalog instance and through the gateway (nginx hop
# alongside for scale), in one run, for the two reads storefronts make most:
#   by id    GET /api/products/{id}, spread over --ids distinct products (default 2000), so the
#            in-process cache works on a realistic set rather than one hot key;
#   search   GET /api/products?q=WORD&size=20, WORD cycling over common words of the demo data.
# Prints requests/s, p50/p99 and CPU time per request per target (bench/edge-hop.sh does the
# measuring), then the catalog cache's hit ratio over the run, from the instance's own /metrics.
#
# Usage: bench/catalog-reads.sh [--name STACK] [--ids N] [--duration S] [--rounds N] [--floor-epoll]
#                               [--candidate JAR]
# --floor-epoll: the by-id run also measures a floor on epoll (bench/edge-hop.sh --floor-epoll).
# --candidate JAR: the by-id run also measures a gateway built from JAR against one from the
# stack's jar, paired round by round (bench/edge-hop.sh --candidate).
# Needs a running stack with one catalog process and the demo data, and a rate limit above the
# load, e.g.  RATE_LIMITS='/api/auth=20/60s;/api=1000000/1s' ./storefront up
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront IDS=2000 DURATION=10 ROUNDS=3 FLOOR_EPOLL=() CANDIDATE=()
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --ids) IDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --floor-epoll) FLOOR_EPOLL=(--floor-epoll); shift ;;
    --candidate) CANDIDATE=(--candidate "$(realpath "$2")"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

STATE="$ROOT/.storefront/$NAME"
[[ -d "$STATE/ports" ]] || { echo "no stack '$NAME' is running: ./storefront up first" >&2; exit 1; }
GATEWAY="http://127.0.0.1:$(cat "$STATE/ports/gateway-1.port")"
# Its metrics are on its management port, which the gateway lists beside the service port.
CATALOG_MANAGEMENT_PORT="$(curl -sf "$GATEWAY/ops/instances" | python3 -c '
import json, sys
catalog = json.load(sys.stdin).get("catalog", [])
sys.exit("run exactly one catalog process") if len(catalog) != 1 else print(catalog[0]["managementPort"])')"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Product ids, page by page (the API allows 100 a page).
python3 - "$GATEWAY" "$IDS" >"$WORK/ids" <<'PY'
import json, sys, urllib.request
gateway, wanted = sys.argv[1], int(sys.argv[2])
ids, page = [], 1
while len(ids) < wanted:
    with urllib.request.urlopen(f"{gateway}/api/products?size=100&sort=price&page={page}") as r:
        items = json.load(r)["items"]
    if not items:
        break
    ids += [p["id"] for p in items]
    page += 1
if len(ids) < wanted:
    sys.exit(f"only {len(ids)} products; seed the demo data first (./storefront seed)")
print("\n".join(ids[:wanted]))
PY

cat >"$WORK/by-id.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids") do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/products/" .. ids[(n % #ids) + 1])
end
LUA
cat >"$WORK/search.lua" <<'LUA'
local words = {"wireless", "oak", "lamp", "cotton", "steel", "organic", "portable", "classic",
               "leather", "garden", "coffee", "travel", "mini", "premium"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/products?size=20&q=" .. words[(n % #words) + 1])
end
LUA

cache() { # -> "hits misses" from the catalog instance's metrics
  curl -sf "http://127.0.0.1:$CATALOG_MANAGEMENT_PORT/metrics" | python3 -c '
import sys
values = {"hits": 0.0, "misses": 0.0}
for line in sys.stdin:
    for key in values:
        if line.startswith(f"storefront_catalog_cache_{key}_total"):
            values[key] += float(line.split()[-1])
print(int(values["hits"]), int(values["misses"]))'
}

FIRST_ID="$(head -1 "$WORK/ids")"
echo "== by id over $IDS products"
read -r hits0 misses0 < <(cache)
bash "$ROOT/bench/edge-hop.sh" --name "$NAME" --duration "$DURATION" --rounds "$ROUNDS" \
  --path "/api/products/$FIRST_ID" --script "$WORK/by-id.lua" "${FLOOR_EPOLL[@]}" "${CANDIDATE[@]}"
read -r hits1 misses1 < <(cache)
python3 - "$hits0" "$misses0" "$hits1" "$misses1" <<'PY'
import sys
h0, m0, h1, m1 = map(int, sys.argv[1:])
hits, misses = h1 - h0, m1 - m0
total = hits + misses
print(f"catalog cache over the run: {hits} hits, {misses} misses, hit ratio "
      f"{hits / total:.3f}" if total else "catalog cache: no reads counted")
PY

echo
echo "== search"
bash "$ROOT/bench/edge-hop.sh" --name "$NAME" --duration "$DURATION" --rounds "$ROUNDS" \
  --path "/api/products?size=20&q=wireless" --script "$WORK/search.lua"
