#!/usr/bin/env bash
# Edit-to-reload latency of `rungs serve` on generated handbooks.
#
#   benches/serve_latency.sh [SIZE...]      SIZE: TRACKSxLEVELS, default 10x100 20x500
#
# For each size: generates a handbook with ../shared/bench/gen_handbook.py
# (TRACKS*LEVELS level pages + indexes: 10x100 is ~1,000 pages, 20x500 ~10,000),
# times one cold `rungs build`, then runs ../shared/bench/watch_latency.py
# against `rungs serve`: it appends a marker line to one level page and polls
# the served page until the marker shows (file-watcher debounce included).
# Prints the median, min and max per size. Not a test: numbers depend on the
# machine. Env: RUNGS (binary; default target/release/rungs, built if
# missing), BENCH (default ../shared/bench next to the repository), EDITS (default 10),
# WORK (scratch folder; default a fresh mktemp -d, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-$(cd .. && pwd)/shared/bench}
EDITS=${EDITS:-10}
RUNGS=${RUNGS:-target/release/rungs}
if [ ! -x "$RUNGS" ]; then cargo build --release --quiet; fi
RUNGS=$(cd "$(dirname "$RUNGS")" && pwd)/$(basename "$RUNGS")
if [ -n "${WORK:-}" ]; then mkdir -p "$WORK"; KEEP=1; else WORK=$(mktemp -d); KEEP=0; fi
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10x100 20x500)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
summary=()
for size in "${SIZES[@]}"; do
  tracks=${size%x*}; levels=${size#*x}
  site="$WORK/handbook-$size"
  [ -d "$site/content" ] || python3 "$BENCH/gen_handbook.py" --tracks "$tracks" --levels "$levels" --out "$site" >/dev/null
  # A level page in the middle of the middle track.
  t=$(printf 'track-%02d' $(( (tracks + 1) / 2 )))
  l=$(printf 'level-%03d' $(( (levels + 1) / 2 )))
  src="content/$t/$l.md"
  start=$(date +%s.%N)
  "$RUNGS" build "$site" --out "$WORK/out-$size" --quiet
  build_s=$(python3 -c "import sys; print(f'{$(date +%s.%N) - $start:.2f}')")
  pages=$(find "$WORK/out-$size" -name index.html | wc -l)
  # Where the page landed: its plain address (under content/ when the
  # handbook has no rungs.yml), else the page whose <h1> is its title (the
  # recogniser may place level files elsewhere).
  url=
  for cand in "$t/$l/" "content/$t/$l/"; do
    if [ -f "$WORK/out-$size/${cand}index.html" ]; then url=$cand; break; fi
  done
  if [ -z "$url" ]; then
    title=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$site/$src" | head -n1)
    hit=$(grep -rlF --include=index.html -- "$title</h1>" "$WORK/out-$size" | head -n1 || true)
    url=${hit#"$WORK/out-$size/"}; url=${url%index.html}
  fi
  rm -rf "$WORK/out-$size"
  port=$(free_port)
  echo "== $size: $pages pages, cold build ${build_s} s; editing $src, probing /$url"
  result=$(python3 "$BENCH/watch_latency.py" --cwd "$site" --src "$src" \
    --probe "http://127.0.0.1:$port/$url" --edits "$EDITS" --log "$WORK/serve-$size.log" \
    -- "$RUNGS" serve --port "$port" --quiet . | tee /dev/stderr | tail -n1)
  summary+=("$size ($pages pages, cold build ${build_s} s): $result")
done
echo "== summary (edit-to-reload, rungs serve)"
printf '%s\n' "${summary[@]}"
