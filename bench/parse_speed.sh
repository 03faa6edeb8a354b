#!/usr/bin/env bash
# Parse speed of a 50 MB .npy and a 50 MB .safetensors file: this checkout against an older
# commit (default 39f398a, the last before the hardening of issue 12), in one run.
#
#   bash bench/parse_speed.sh [BASE_COMMIT] [ROUNDS]
#
# Builds bench/parse_speed (a small package that times NPYFile.read and SafetensorsFile.read,
# the public API both commits share) twice, against a git worktree of BASE_COMMIT and against
# this checkout, writes the two files once, then alternates the two builds ROUNDS times (default
# 5; each round is the median of 9 reads) and prints each side's median and the ratio.
# Needs nothing but the Swift toolchain and the system libraries of the main package.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-39f398a}
rounds=${2:-5}
work=${PARSE_SPEED_WORK:-/tmp/sparsity-parse-speed}
rm -rf "$work"
mkdir -p "$work/files"
git worktree add --detach "$work/base-checkout" "$base" >/dev/null 2>&1 \
  || { echo "parse_speed.sh: cannot check out $base" >&2; exit 2; }
trap 'git worktree remove --force "$work/base-checkout" >/dev/null 2>&1 || true' EXIT

# One copy of the timing package per side, each depending on its checkout by path.
build() { # name, checkout
  local dir="$work/$1"
  mkdir -p "$dir"
  cp -r bench/parse_speed/Sources "$dir/"
  sed "s|SPARSITY_PATH|$2|" bench/parse_speed/Package.swift.in > "$dir/Package.swift"
  echo "== building the timer against $1 ($2)" >&2
  swift build --package-path "$dir" -c release >/dev/null
  echo "$dir/.build/release/parse-speed"
}
base_timer=$(build base "$work/base-checkout")
head_timer=$(build head "$PWD")

"$head_timer" write "$work/files"
for round in $(seq "$rounds"); do
  "$base_timer" time "$work/files" | sed "s/^/base /"
  "$head_timer" time "$work/files" | sed "s/^/head /"
done > "$work/times.txt"

echo "parse speed, $rounds rounds of 9 reads each (median ms), base $base against $(git rev-parse --short HEAD)"
python3 - "$work/times.txt" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    side, fmt, ms = line.split()
    times.setdefault((fmt, side), []).append(float(ms))
for fmt in ("npy", "safetensors"):
    b, h = statistics.median(times[(fmt, "base")]), statistics.median(times[(fmt, "head")])
    print(f"{fmt:12s} base {b:8.2f} ms   head {h:8.2f} ms   head/base {h / b:5.3f}")
PY
