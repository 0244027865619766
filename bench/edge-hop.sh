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
# rounds (direct, nginx, floor, gateway, repeated) so machine noise spreads over all of them.
# Each round prints requests/s, p50, p99, errors, and the CPU time per request of the target's
# own process(es) (the catalog for direct, nginx's workers, the floor's JVM, every gateway of the
# stack) and of the catalog behind it, read from /proc around that same wrk run. The summary gives
# the best round's and the median requests/s, the median p50, p99 and CPU per request, and ratios
# against nginx and the floor, from medians and from best rounds.
#
# On a shared machine, CPU per request is the steadier figure: another tenant's load changes how
# much CPU the targets get (throughput of one target can vary 2x between rounds), much less what
# a request costs once it runs. It is not immune (a starved target batches less per wake-up), and
# it counts what a process does besides serving (GC, JIT, cluster heartbeats). The catalog's
# column is a sanity check: same backend, same requests, so it should be about the same for every
# target; a round where it is not was disturbed.
#
# A fresh JVM (the floor, which this script starts; a gateway or catalog just restarted) serves
# slower until its JIT settles, after tens of seconds of load. So each JVM target is loaded in
# short runs with the measurement's own requests and connections until two runs in a row are
# within 10% of each other, in throughput and in CPU per request (at most 45 s); nginx gets one
# run. The warm-up prints how long each target took.
#
# Usage: bench/edge-hop.sh [--name STACK] [--duration S] [--connections N] [--threads N]
#                          [--rounds N] [--path PATH] [--script WRK_LUA] [--floor-epoll]
#                          [--candidate JAR]
# --floor-epoll adds a target: a second floor that runs on epoll whatever the first runs on, to
# measure in the same run what the network transport is worth (the gateway chooses io_uring
# where it loads).
# --candidate JAR adds two targets: gateways started here, alike (the stack's gateway's
# environment and JVM options, joined to its cluster), gw-base from the jar the stack's gateway
# runs and gw-cand from JAR (another build of gateway-verticle), measured one right after the
# other in every round. The summary pairs them round by round (gw-cand/gw-base), which is how a
# change of a few percent shows through a shared machine's noise. They are stopped on exit.
# --script gives wrk a Lua script that chooses each request (bench/catalog-reads.sh uses it to
# spread reads over many products); --path is then only the URL handed to wrk, which the
# script's requests replace.
# Needs a running stack (./storefront up) with one catalog process and the built gateway jar;
# installs wrk and nginx from Debian's packages when they are missing.
set -euo pipefail
# Failures inside $(...) stop the script too, so a vanished process or a failed wrk run is an
# error rather than a row of blanks.
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront DURATION=10 CONNECTIONS=64 THREADS=2 ROUNDS=3 PATH_UNDER_TEST="/api/products?size=10" SCRIPT= FLOOR_EPOLL= CANDIDATE=
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --path) PATH_UNDER_TEST="$2"; shift 2 ;;
    --script) SCRIPT="$2"; shift 2 ;;
    --floor-epoll) FLOOR_EPOLL=1; shift ;;
    --candidate) CANDIDATE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# Warm-up runs: long enough for a steady rate, short enough to see the JIT's progress.
WARM_RUN=3 WARM_LIMIT=45
# A gateway started by this script has run nothing yet, and its first runs can agree with each
# other long before its JIT is done (seen: 9 s, at 6x its warm CPU per request): it is loaded for
# at least this long before it may count as settled, and for longer at most.
GATEWAY_WARM_MIN=36 GATEWAY_WARM_LIMIT=75
CLK_TCK="$(getconf CLK_TCK)"

STATE="$ROOT/.storefront/$NAME"
[[ -d "$STATE/ports" ]] || { echo "no stack '$NAME' is running: ./storefront up first" >&2; exit 1; }
GATEWAY_PORT="$(cat "$STATE/ports/gateway-1.port")"
# The instance the gateway balances over, as discovery knows it.
CATALOG_PORT="$(curl -sf "http://127.0.0.1:$GATEWAY_PORT/ops/instances" | python3 -c '
import json, sys
catalog = json.load(sys.stdin).get("catalog", [])
sys.exit("run exactly one catalog process (./storefront scale catalog 1)") if len(catalog) != 1 else print(catalog[0]["port"])')"

# The pid ./storefront recorded for instance $2 of service $1, trusted (as ./storefront does)
# only while that pid still runs the instance, so a recycled pid is never measured.
instance_pid() {
  local file="$STATE/pids/$1-$2.pid" pid
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  # Arguments end in NUL, so the trailing space makes catalog-1 not match catalog-10.
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"-Dstorefront.instance=$NAME/$1-$2 "* ]] || return 1
  echo "$pid"
}
CATALOG_PID=''
GATEWAY_PIDS=()
shopt -s nullglob
for file in "$STATE"/ports/catalog-*.port; do
  n="${file##*-}"
  if [[ "$(cat "$file")" == "$CATALOG_PORT" ]]; then CATALOG_PID="$(instance_pid catalog "${n%.port}" || true)"; fi
done
# Every gateway of the stack: with several, the one wrk talks to shares state with the others.
for file in "$STATE"/pids/gateway-*.pid; do
  n="${file##*-}"
  pid="$(instance_pid gateway "${n%.pid}")" && GATEWAY_PIDS+=("$pid")
done
shopt -u nullglob
[[ -n "$CATALOG_PID" ]] || { echo "no live process of the stack serves the catalog on :$CATALOG_PORT" >&2; exit 1; }
((${#GATEWAY_PIDS[@]})) || { echo "no live gateway process in $STATE/pids" >&2; exit 1; }

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

WORK="$(mktemp -d)"
STARTED_PIDS=()
trap 'nginx -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true; ((${#STARTED_PIDS[@]} == 0)) || kill "${STARTED_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT
# A port nothing listens on now, for a proxy this script starts.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT="$(free_port)"
# The same shape as the gateway: one worker per core, a keep-alive pool to the instance. The
# worker count is spelled out so the script knows how many workers to wait for.
NGINX_WORKERS="$(nproc)"
cat >"$WORK/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
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
# The workers serve; the master only supervises them, so its CPU is left out.
NGINX_PIDS=()
for _ in $(seq 1 50); do
  if [[ -s "$WORK/nginx.pid" ]]; then
    mapfile -t NGINX_PIDS < <(pgrep -P "$(cat "$WORK/nginx.pid")" || true)
    ((${#NGINX_PIDS[@]} < NGINX_WORKERS)) || break
  fi
  sleep 0.1
done
((${#NGINX_PIDS[@]} == NGINX_WORKERS)) || { echo "nginx did not start its $NGINX_WORKERS workers" >&2; exit 1; }

GATEWAY_JAR="$ROOT/gateway-verticle/target/gateway-verticle.jar"
[[ -f "$GATEWAY_JAR" ]] || { echo "build the gateway first (mvn -B install -DskipTests)" >&2; exit 1; }
# Starts a floor on port $1 with STOREFRONT_TRANSPORT=$2 (empty: as the environment says), logging
# to $3; sets FLOOR_STARTED to its pid.
start_floor() {
  STOREFRONT_TRANSPORT="${2:-${STOREFRONT_TRANSPORT:-}}" \
    java -Xmx256m -cp "$GATEWAY_JAR" "$ROOT/bench/BareProxy.java" "$1" "$CATALOG_PORT" >"$3" 2>&1 &
  FLOOR_STARTED=$!
  STARTED_PIDS+=("$FLOOR_STARTED")
  for _ in $(seq 1 60); do grep -q "bare proxy on" "$3" && break; sleep 0.5; done
  grep -q "bare proxy on" "$3" || { cat "$3" >&2; echo "the floor proxy on :$1 did not start" >&2; exit 1; }
}
FLOOR_PORT="$(free_port)"
start_floor "$FLOOR_PORT" "" "$WORK/floor.log"
FLOOR_PID=$FLOOR_STARTED
# The floor chooses its network transport as the gateway does (STOREFRONT_TRANSPORT, io_uring
# where it loads); the two are compared on the same one, and the run says which that was.
FLOOR_TRANSPORT="$(sed -n 's/.*(\(.*\) transport).*/\1/p' "$WORK/floor.log" | head -1)"
GATEWAY_TRANSPORT="$(grep -ho '"Network transport: [^"]*"' "$STATE"/logs/gateway-*.log 2>/dev/null | tail -1 | sed 's/"Network transport: \(.*\)"/\1/' || true)"
echo "network transport: floor ${FLOOR_TRANSPORT:-unknown}, gateway ${GATEWAY_TRANSPORT:-unknown (not in its log)}"

declare -A PORT=([direct]="$CATALOG_PORT" [nginx]="$NGINX_PORT" [floor]="$FLOOR_PORT" [gateway]="$GATEWAY_PORT")
# Whose CPU time each target's requests are charged with.
declare -A PIDS=([direct]="$CATALOG_PID" [nginx]="${NGINX_PIDS[*]}" [floor]="$FLOOR_PID" [gateway]="${GATEWAY_PIDS[*]}")
TARGETS=(direct nginx floor gateway)
if [[ -n "$FLOOR_EPOLL" ]]; then
  PORT[floor-ep]="$(free_port)"
  start_floor "${PORT[floor-ep]}" epoll "$WORK/floor-epoll.log"
  PIDS[floor-ep]=$FLOOR_STARTED
  TARGETS=(direct nginx floor floor-ep gateway)
  echo "floor-ep: a second floor, on epoll, pid ${PIDS[floor-ep]}"
fi
if [[ -n "$CANDIDATE" ]]; then
  [[ -f "$CANDIDATE" ]] || { echo "no candidate jar at $CANDIDATE" >&2; exit 1; }
  # Both gateways of the pair are started here, alike: the stack's own gateway has been in the
  # cluster longest (it is its master, and may own more of its partitions), work that is charged
  # to it and that a newcomer would not carry.
  stack_gateway="${GATEWAY_PIDS[0]}"
  mapfile -d '' -t gateway_env < <(tr '\0' '\n' <"/proc/$stack_gateway/environ" | grep -v '^HTTP_PORT=\|^PORT_FILE=\|^MANAGEMENT_PORT=\|^MANAGEMENT_PORT_FILE=' | tr '\n' '\0')
  mapfile -d '' -t stack_args < <(cat "/proc/$stack_gateway/cmdline")
  java_options=() stack_jar=
  for ((i = 1; i < ${#stack_args[@]}; i++)); do
    if [[ "${stack_args[i]}" == -jar ]]; then stack_jar="${stack_args[i + 1]}"; break; fi
    [[ "${stack_args[i]}" == -Dstorefront.instance=* ]] || java_options+=("${stack_args[i]}")
  done
  [[ -f "$stack_jar" ]] || { echo "cannot tell which jar the stack's gateway runs" >&2; exit 1; }
  # Starts a gateway from jar $2 as target $1, with the stack's gateway's environment and JVM
  # options and a port of its own. It runs a copy, so that rebuilding the module during the run
  # cannot pull classes from under it.
  start_gateway() {
    cp "$2" "$WORK/$1.jar"
    PORT[$1]="$(free_port)"
    env -i "${gateway_env[@]}" HTTP_PORT="${PORT[$1]}" PORT_FILE="$WORK/$1.port" \
      MANAGEMENT_PORT=0 MANAGEMENT_PORT_FILE="$WORK/$1.management-port" \
      java "${java_options[@]}" -jar "$WORK/$1.jar" >"$WORK/$1.log" 2>&1 &
    PIDS[$1]=$!
    STARTED_PIDS+=("${PIDS[$1]}")
    TARGETS+=("$1")
  }
  # Readiness is on the management port; a jar from before there was one answers on its own port.
  ready() {
    local health="${PORT[$1]}"
    [[ -s "$WORK/$1.management-port" ]] && health="$(cat "$WORK/$1.management-port")"
    curl -sf -o /dev/null "http://127.0.0.1:$health/health/ready"
  }
  start_gateway gw-base "$stack_jar"
  start_gateway gw-cand "$CANDIDATE"
  for target in gw-base gw-cand; do
    for _ in $(seq 1 90); do
      ready "$target" && break
      sleep 1
    done
    ready "$target" ||
      { tail -20 "$WORK/$target.log" >&2; echo "$target did not get ready" >&2; exit 1; }
  done
  echo "gw-base: a gateway from $stack_jar (the stack's) on :${PORT[gw-base]}, pid ${PIDS[gw-base]}"
  echo "gw-cand: a gateway from $CANDIDATE on :${PORT[gw-cand]}, pid ${PIDS[gw-cand]}"
fi

# CPU time (user + system, in clock ticks) the given processes have used so far, all threads.
cpu_ticks() {
  local pid stat fields total=0
  for pid in "$@"; do
    { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || { echo "process $pid is gone" >&2; return 1; }
    # The command name (field 2) may hold spaces, so fields are counted from its ")": after
    # it come field 3 on, which puts utime (14) and stime (15) at 11 and 12.
    read -ra fields <<<"${stat##*") "}"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

# One wrk run of $2 seconds against the port $1; prints wrk's report.
load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -H "$AUTH_HEADER" ${SCRIPT:+-s "$SCRIPT"} "http://127.0.0.1:$1$PATH_UNDER_TEST"
}

# wrk's report $1, with CPU ticks $2 (the target's processes) and $3 (the catalog) spent during
# it -> "rps p50_ms p99_ms errors requests target_cpu_us_per_request catalog_cpu_us_per_request"
parse() {
  python3 - "$@" "$CLK_TCK" <<'PY'
import re, sys
out, target_ticks, catalog_ticks, clk_tck = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if "50%" not in out or "Requests/sec" not in out:
    sys.exit("wrk gave no latency distribution:\n" + out)
def ms(v):
    m = re.match(r"([\d.]+)([a-z]+)$", v)
    if not m:
        sys.exit(f"wrk printed a latency of {v!r}:\n" + out)
    n, u = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
# Completed requests, the divisor for CPU time ("  123456 requests in 10.00s, 45.6MB read").
requests = int(re.search(r"^\s*(\d+) requests in ", out, re.M).group(1))
# The distribution's own lines ("     50%    3.31ms"), not a percentage elsewhere in the output.
p50 = ms(re.search(r"^\s+50(?:\.0+)?%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s+99(?:\.0+)?%\s+(\S+)", out, re.M).group(1))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m:
    errors += sum(int(x) for x in m.groups())
def us(ticks):
    return ticks / clk_tck * 1e6 / requests if requests else 0.0
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors} {requests} {us(target_ticks):.1f} {us(catalog_ticks):.1f}")
PY
}

# One run of target $1 for $2 seconds -> parse's line. CPU is read right around wrk, so it
# covers the same requests wrk counts.
measure() {
  local pids target0 catalog0 target1 catalog1 out
  read -ra pids <<<"${PIDS[$1]}"
  target0="$(cpu_ticks "${pids[@]}")"
  catalog0="$(cpu_ticks "$CATALOG_PID")"
  out="$(load "${PORT[$1]}" "$2")"
  target1="$(cpu_ticks "${pids[@]}")"
  catalog1="$(cpu_ticks "$CATALOG_PID")"
  parse "$out" "$((target1 - target0))" "$((catalog1 - catalog0))"
}

# Whether $1 is within 10% of $2 (both integers).
close() { (($2 > 0 && 10 * ($1 > $2 ? $1 - $2 : $2 - $1) <= $2)); }

# Loads target $1 in short runs until two in a row are within 10% of each other (and, if given,
# $3 seconds have passed), or for $2 seconds at most -> "seconds settled|unsettled errors
# rps/cpu_us rps/cpu_us ...". Throughput alone settles too early when the machine, not the JIT,
# caps it; the CPU a request costs keeps falling while the JIT still compiles (its threads count
# too), so both must hold still.
warm() {
  local spent=0 prev_rps=0 prev_cpu=0 errors=0 runs="" result rps run_errors cpu
  while :; do
    result="$(measure "$1" "$WARM_RUN")"
    read -r rps _ _ run_errors _ cpu _ <<<"$result"
    spent=$((spent + WARM_RUN)) errors=$((errors + run_errors)) runs+=" $rps/${cpu%.*}"
    # In tenths of a µs, to compare in integers.
    cpu=$((10#${cpu/./}))
    if ((spent >= ${3:-0})) && close "$rps" "$prev_rps" && close "$cpu" "$prev_cpu"; then
      echo "$spent settled $errors$runs"
      return
    fi
    if ((spent + WARM_RUN > $2)); then
      echo "$spent unsettled $errors$runs"
      return
    fi
    prev_rps=$rps prev_cpu=$cpu
  done
}

# A signed-in shopper, so the gateway hop includes token verification and the per-account bucket.
EMAIL="bench-$(date +%s%N)@example.com"
CREDENTIALS="{\"email\":\"$EMAIL\",\"password\":\"bench password 1234\"}"
curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$CREDENTIALS" "http://127.0.0.1:$GATEWAY_PORT/api/auth/register"
TOKEN="$(curl -sf -H 'Content-Type: application/json' -d "$CREDENTIALS" "http://127.0.0.1:$GATEWAY_PORT/api/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
AUTH_HEADER="Authorization: Bearer $TOKEN"

echo "Backend: catalog on :$CATALOG_PORT, path $PATH_UNDER_TEST${SCRIPT:+ (requests from $SCRIPT)}; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s)"
echo "CPU of: direct pid ${PIDS[direct]} (catalog), nginx workers ${PIDS[nginx]}, floor pid ${PIDS[floor]}, gateway pid(s) ${PIDS[gateway]}"
echo
echo "Warm-up (${WARM_RUN} s runs until two in a row are within 10% in req/s and CPU µs/req, at most ${WARM_LIMIT} s; nginx one run):"
for target in "${TARGETS[@]}"; do
  # nginx has no JIT to wait for; one run opens its connections to the catalog.
  limit="$WARM_LIMIT" least=0
  [[ "$target" != nginx ]] || limit="$WARM_RUN"
  [[ "$target" != gw-* ]] || limit="$GATEWAY_WARM_LIMIT" least="$GATEWAY_WARM_MIN"
  result="$(warm "$target" "$limit" "$least")"
  read -r spent state errors runs <<<"$result"
  note=
  [[ "$state" == settled || "$target" == nginx ]] || note="  (not settled)"
  ((errors == 0)) || note+="  ($errors errors)"
  printf '  %-8s %3d s   req/s/CPU µs per run:%s%s\n' "$target" "$spent" "$runs" "$note"
done

echo
# Spelled out: printf pads by bytes, and µ takes two.
echo 'round  target       req/s   p50 ms   p99 ms  errors   CPU µs/req  catalog µs/req'
for ((r = 1; r <= ROUNDS; r++)); do
  for target in "${TARGETS[@]}"; do
    result="$(measure "$target" "$DURATION")"
    read -r rps p50 p99 errors requests target_us catalog_us <<<"$result"
    printf '%-5s  %-8s %9s %8s %8s %7s %12s %15s\n' "$r" "$target" "$rps" "$p50" "$p99" "$errors" "$target_us" "$catalog_us"
    echo "$target $rps $p50 $p99 $errors $requests $target_us $catalog_us" >>"$WORK/rounds"
  done
done

python3 - "$WORK/rounds" <<'PY'
import sys
from statistics import median
rounds = {}
with open(sys.argv[1]) as f:
    for line in f:
        name, *values = line.split()
        rounds.setdefault(name, []).append(list(map(float, values)))
names = list(rounds)
RPS, P50, P99, ERRORS, REQUESTS, CPU, CATALOG = range(7)
best = {name: max(rows, key=lambda row: row[RPS]) for name, rows in rounds.items()}
med = {name: [median(row[i] for row in rows) for i in range(7)] for name, rows in rounds.items()}
def ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"

print()
print(f"Over {len(rounds['direct'])} round(s): 'best' is the round with the most requests/s, every other column a median")
print(f"{'target':<8} {'best req/s':>10} {'med req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
      f" {'CPU µs/req':>11} {'catalog µs/req':>15}")
for name in names:
    m = med[name]
    errors = sum(row[ERRORS] for row in rounds[name])
    print(f"{name:<8} {best[name][RPS]:>10.0f} {m[RPS]:>10.0f} {m[P50]:>8.2f} {m[P99]:>8.2f} {errors:>7.0f}"
          f" {m[CPU]:>11.1f} {m[CATALOG]:>15.1f}")

g, n, f = (med[name] for name in ["gateway", "nginx", "floor"])
print()
print(f"CPU per request (medians, the steadier figure): gateway/nginx {ratio(g[CPU], n[CPU])}"
      f"   gateway/floor {ratio(g[CPU], f[CPU])}   floor/nginx {ratio(f[CPU], n[CPU])}")
for label, rows in [("Medians", med), ("Best rounds", best)]:
    g, n, f, d = (rows[name] for name in ["gateway", "nginx", "floor", "direct"])
    print(f"{label}: gateway/nginx req/s {ratio(g[RPS], n[RPS])}, p50 {ratio(g[P50], n[P50])},"
          f" p99 {ratio(g[P99], n[P99])}   gateway/direct req/s {ratio(g[RPS], d[RPS])}"
          f"   floor/nginx req/s {ratio(f[RPS], n[RPS])}   gateway/floor req/s {ratio(g[RPS], f[RPS])}")
if "gw-cand" in med:
    # Paired by round: the two ran one right after the other, under the same machine load.
    pairs = list(zip(rounds["gw-base"], rounds["gw-cand"]))
    cpu = [c[CPU] / g[CPU] for g, c in pairs if g[CPU]]
    rps = [c[RPS] / g[RPS] for g, c in pairs if g[RPS]]
    print(f"gw-cand/gw-base by round: CPU per request {' '.join(f'{r:.2f}' for r in cpu)}"
          f" (median {median(cpu):.2f}), req/s {' '.join(f'{r:.2f}' for r in rps)}"
          f" (median {median(rps):.2f})")
if "floor-ep" in med:
    f, e, n = med["floor"], med["floor-ep"], med["nginx"]
    print(f"Transport (medians): floor/floor-ep req/s {ratio(f[RPS], e[RPS])}, CPU {ratio(f[CPU], e[CPU])}"
          f"   floor-ep/nginx req/s {ratio(e[RPS], n[RPS])}, CPU {ratio(e[CPU], n[CPU])}")
PY
