#!/usr/bin/env bash
# Search at scale: index build time as a share of the whole build, bytes the
# first query downloads and keystroke latency in headless Chromium.
#
#   benches/search_latency.sh [TRACKSxLEVELS]     default 100x99 (~10,000 pages)
#
# Generates a handbook with /work/shared/bench/gen_handbook.py, builds it
# once with RUNGS_TIMINGS=1 (rungs prints the time spent building and
# serialising the search index) under /usr/bin/time, then runs
# benches/search_latency.mjs on the output (needs `npm ci --prefix
# tests/browser` and Chromium). Not a test: numbers depend on the machine.
# Env: RUNGS (binary; default target/release/rungs, built if missing),
# BENCH (default /work/shared/bench), WORK (scratch folder; default a fresh
# mktemp -d, removed at the end), QUERIES (space-separated, optional).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-/work/shared/bench}
RUNGS=${RUNGS:-target/release/rungs}
if [ ! -x "$RUNGS" ]; then cargo build --release --quiet; fi
RUNGS=$(cd "$(dirname "$RUNGS")" && pwd)/$(basename "$RUNGS")
if [ -n "${WORK:-}" ]; then mkdir -p "$WORK"; KEEP=1; else WORK=$(mktemp -d); KEEP=0; fi
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
size=${1:-100x99}
tracks=${size%x*}; levels=${size#*x}
site="$WORK/handbook-$size"
out="$WORK/out-$size"
[ -d "$site/content" ] || python3 "$BENCH/gen_handbook.py" --tracks "$tracks" --levels "$levels" --out "$site" >/dev/null
if [ ! -f "$out/search/meta.js" ]; then
  RUNGS_TIMINGS=1 /usr/bin/time -f "time: wall %e s, user %U s" "$RUNGS" build "$site" --out "$out" --quiet 2>"$WORK/build.err"
  grep -E "^(timings|time):" "$WORK/build.err"
  search=$(sed -n 's/^timings: search index \([0-9.]*\)s.*/\1/p' "$WORK/build.err")
  wall=$(sed -n 's/^time: wall \([0-9.]*\) s.*/\1/p' "$WORK/build.err")
  python3 -c "print(f'search index: {$search:.2f} s of a {$wall:.1f} s build = {100*$search/$wall:.1f}% (single-threaded stage, wall clock)')"
fi
pages=$(find "$out" -name index.html | wc -l)
files=$(find "$out/search" -type f | wc -l)
echo "$pages pages, $files index files ($(du -sh "$out/search" | cut -f1) raw)"
# shellcheck disable=SC2086
node benches/search_latency.mjs "$out" "" ${QUERIES:-}
