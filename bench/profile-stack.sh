#!/usr/bin/env bash
# Profiles every JVM of a running local stack (services, Kafka, mail server) with async-profiler
# while COMMAND runs, then prints per process the CPU it spent (from /proc), the share of its JIT
# compiler threads, and the libraries and own frames on top of the rest.
#
#   bench/profile-stack.sh [--name STACK] [--event cpu|alloc|wall] -- COMMAND [ARGS...]
#   e.g. bench/profile-stack.sh -- python3 bench/checkout_load.py --shoppers 16 --duration 30
#
# async-profiler comes from Maven Central (tools.profiler:async-profiler, its Linux library is in
# the jar) and is loaded into the running JVMs through the attach API (bench/AttachAgent.java).
# Collapsed stacks are left in .storefront/NAME/profiles/ for a flame graph or a closer look.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=storefront EVENT=cpu AP_VERSION=3.0
while (($#)); do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --event) EVENT="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1 (the command goes after --)" >&2; exit 2 ;;
  esac
done
(($#)) || { echo "usage: bench/profile-stack.sh [--name STACK] [--event cpu|alloc|wall] -- COMMAND" >&2; exit 2; }
STATE="$ROOT/.storefront/$NAME"
[[ -d "$STATE/pids" ]] || { echo "no stack '$NAME' is running: ./storefront up first" >&2; exit 1; }
[[ "$(uname -m)" == x86_64 ]] || { echo "only linux-x64 is set up here" >&2; exit 1; }

JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
[[ -f "$JAR" ]] || mvn -B -q dependency:get "-Dartifact=tools.profiler:async-profiler:$AP_VERSION" >/dev/null
LIB_DIR="$ROOT/.storefront/async-profiler-$AP_VERSION"
[[ -f "$LIB_DIR/linux-x64/libasyncProfiler.so" ]] || unzip -q -o "$JAR" 'linux-x64/*' -d "$LIB_DIR"
LIB="$LIB_DIR/linux-x64/libasyncProfiler.so"
OUT="$STATE/profiles/$(date +%Y%m%d-%H%M%S)-$EVENT"
mkdir -p "$OUT"

attach() { java "$ROOT/bench/AttachAgent.java" "$1" "$LIB" "$2" >/dev/null; }
ticks() { awk '{ n = split($0, f, ") "); split(f[n], g, " "); print g[12] + g[13] }' "/proc/$1/stat" 2>/dev/null || echo 0; }

declare -A PIDS BEFORE
for file in "$STATE"/pids/*.pid; do
  name="$(basename "$file" .pid)" pid="$(cat "$file")"
  # The Kafka wrapper is a shell; its broker has a pid file of its own.
  [[ -r "/proc/$pid/stat" && "$(cat "/proc/$pid/comm")" == java ]] || continue
  PIDS[$name]="$pid"
done
for name in "${!PIDS[@]}"; do attach "${PIDS[$name]}" "start,event=$EVENT"; BEFORE[$name]="$(ticks "${PIDS[$name]}")"; done
echo "== profiling ${#PIDS[@]} JVMs ($EVENT) while: $*"
status=0
"$@" || status=$?
for name in "${!PIDS[@]}"; do
  echo "$name $(( $(ticks "${PIDS[$name]}") - BEFORE[$name] ))" >>"$OUT/cpu-ticks.txt"
  attach "${PIDS[$name]}" "stop,file=$OUT/$name.collapsed,collapsed"
done
python3 "$ROOT/bench/profile_summary.py" "$OUT"
exit "$status"
