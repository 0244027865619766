#!/usr/bin/env bash
# Measures what the gateway hop costs, side by side on one backend in one run:
#   direct   wrk -> catalog instance
#   nginx    wrk -> nginx (reverse proxy, keep-alive upstream) -> the same catalog instance
#   floor    wrk -> bench/BareProxy.java -> the same catalog instance: a proxy on the gateway's own
#            Vert.x and Netty that only forwards (no routing, checks, limits or metrics), to tell
#            what the runtime costs from what the gateway's own work costs
#   gateway  wrk -> gateway -> the same catalog instance (only one catalog instance is running),
#            with authentication (a bearer token, verified at the edge and turned into an internal
#            identity token) and rate limiting on. Every target gets the same request, token
#            included. Start the stack with a rate limit above the load for the measurement, e.g.
#            RATE_LIMITS='/api/auth=20/60s;/api=1000000/1s' ./storefront up
# Each target gets the same load (threads, connections, duration); targets are measured in
# rounds (direct, nginx, floor, gateway, repeated) so machine noise spreads over all of them, and
# the best round of each counts. Prints requests/s, p50 and p99, and ratios against nginx and the
# floor.
#
# Usage: bench/edge-hop.sh [--name STACK] [--duration S] [--connections N] [--threads N]
#                          [--rounds N] [--path PATH] [--script WRK_LUA]
# --script gives wrk a Lua script that chooses each request (bench/catalog-reads.sh uses it to
# spread reads over many products); --path is then only the warm-up request.
# Needs a running stack (./storefront up) with one catalog process and the built gateway jar;
# installs wrk and nginx from Debian's packages when they are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront DURATION=10 CONNECTIONS=64 THREADS=2 ROUNDS=2 PATH_UNDER_TEST="/api/products?size=10" SCRIPT=
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --path) PATH_UNDER_TEST="$2"; shift 2 ;;
    --script) SCRIPT="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

STATE="$ROOT/.storefront/$NAME"
[[ -d "$STATE/ports" ]] || { echo "no stack '$NAME' is running: ./storefront up first" >&2; exit 1; }
GATEWAY_PORT="$(cat "$STATE/ports/gateway-1.port")"
# The instance the gateway balances over, as discovery knows it.
CATALOG_PORT="$(curl -sf "http://127.0.0.1:$GATEWAY_PORT/ops/instances" | python3 -c '
import json, sys
catalog = json.load(sys.stdin).get("catalog", [])
sys.exit("run exactly one catalog process (./storefront scale catalog 1)") if len(catalog) != 1 else print(catalog[0]["port"])')"

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

WORK="$(mktemp -d)"
FLOOR_PID=
trap 'nginx -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true; [[ -z "$FLOOR_PID" ]] || kill "$FLOOR_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
NGINX_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# The same shape as the gateway: one worker per core, a keep-alive pool to the instance.
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
error_log $WORK/error.log warn;
pid $WORK/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  upstream catalog { server 127.0.0.1:$CATALOG_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://catalog;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
mkdir -p "$WORK/logs"
nginx -p "$WORK" -c "$WORK/nginx.conf"

GATEWAY_JAR="$ROOT/gateway-verticle/target/gateway-verticle.jar"
[[ -f "$GATEWAY_JAR" ]] || { echo "build the gateway first (mvn -B install -DskipTests)" >&2; exit 1; }
FLOOR_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
java -Xmx256m -cp "$GATEWAY_JAR" "$ROOT/bench/BareProxy.java" "$FLOOR_PORT" "$CATALOG_PORT" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
for _ in $(seq 1 60); do grep -q "bare proxy on" "$WORK/floor.log" && break; sleep 0.5; done
grep -q "bare proxy on" "$WORK/floor.log" || { cat "$WORK/floor.log" >&2; echo "the floor proxy did not start" >&2; exit 1; }

run() { # name port -> "rps p50_ms p99_ms errors"
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH_HEADER" ${SCRIPT:+-s "$SCRIPT"} "http://127.0.0.1:$2$PATH_UNDER_TEST")"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
if "50%" not in out or "Requests/sec" not in out:
    sys.exit("wrk gave no latency distribution:\n" + out)
def ms(v):
    m = re.match(r"([\d.]+)([a-z]+)$", v)
    if not m:
        sys.exit(f"wrk printed a latency of {v!r}:\n" + out)
    n, u = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
# The distribution's own lines ("     50%    3.31ms"), not a percentage elsewhere in the output.
p50 = ms(re.search(r"^\s+50(?:\.0+)?%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s+99(?:\.0+)?%\s+(\S+)", out, re.M).group(1))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m:
    errors += sum(int(x) for x in m.groups())
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors}")
PY
}

# A signed-in shopper, so the gateway hop includes token verification and the per-account bucket.
EMAIL="bench-$(date +%s%N)@example.com"
CREDENTIALS="{\"email\":\"$EMAIL\",\"password\":\"bench password 1234\"}"
curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$CREDENTIALS" "http://127.0.0.1:$GATEWAY_PORT/api/auth/register"
TOKEN="$(curl -sf -H 'Content-Type: application/json' -d "$CREDENTIALS" "http://127.0.0.1:$GATEWAY_PORT/api/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
AUTH_HEADER="Authorization: Bearer $TOKEN"

echo "Backend: catalog on :$CATALOG_PORT, path $PATH_UNDER_TEST${SCRIPT:+ (requests from $SCRIPT)}; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s)"
# Warm up every path (JIT, pools) before measuring.
for port in "$CATALOG_PORT" "$NGINX_PORT" "$FLOOR_PORT" "$GATEWAY_PORT"; do
  wrk -t1 -c8 -d5s -H "$AUTH_HEADER" "http://127.0.0.1:$port$PATH_UNDER_TEST" >/dev/null
done
declare -A best
for ((r = 1; r <= ROUNDS; r++)); do
  for target in direct:"$CATALOG_PORT" nginx:"$NGINX_PORT" floor:"$FLOOR_PORT" gateway:"$GATEWAY_PORT"; do
    name="${target%%:*}"
    result="$(run "$name" "${target##*:}")"
    echo "  round $r  $(printf '%-8s' "$name") $result  (rps p50_ms p99_ms errors)"
    prev="${best[$name]:-0 0 0 0}"
    if (( ${result%% *} > ${prev%% *} )); then best[$name]="$result"; fi
  done
done

python3 - "${best[direct]}" "${best[nginx]}" "${best[floor]}" "${best[gateway]}" <<'PY'
import sys
names = ["direct", "nginx", "floor", "gateway"]
rows = dict(zip(names, [list(map(float, a.split())) for a in sys.argv[1:]]))
print()
print(f"{'target':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
for name, (rps, p50, p99, err) in rows.items():
    print(f"{name:<8} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} {err:>7.0f}")
g, n = rows["gateway"], rows["nginx"]
print()
print(f"gateway/nginx throughput: {g[0] / n[0]:.2f}x   p50: {g[1] / n[1]:.2f}x   p99: {g[2] / n[2]:.2f}x")
print(f"gateway/direct throughput: {g[0] / rows['direct'][0]:.2f}x")
f = rows["floor"]
print(f"floor/nginx throughput: {f[0] / n[0]:.2f}x   gateway/floor throughput: {g[0] / f[0]:.2f}x")
PY
