#!/usr/bin/env bash
# Bounded memory of `sparsity sae train` on a data set larger than the memory it may use.
#
# Training streams rows with pread through a 64 MiB shuffle buffer, so the process's memory
# should not grow with the data. This script makes a float32 .npy of --size-gib GiB (rows of
# width 384: real activations tiled from --source, default /tmp/sae-data/train.npy from
# bench/sae_activations.py, or standard normal rows when that file is missing), drops the file
# from the page cache (fsync + posix_fadvise DONTNEED, so training reads it from disk), and trains
# one epoch (--latents 1024 --kind topk:32 --held-out 0) inside a memory cgroup limited to
# --limit-mib MiB. A memory cgroup's limit counts the page cache its processes bring in as well
# as their own memory, so the data set is --size-gib / --limit-mib times what the process may
# hold in total; the kernel reclaims cache at the limit and OOM-kills the process if its own
# (anonymous) memory would exceed it (there is no swap to fall back on, checked below).
#
# Cgroup: cgroup v2 with the memory controller at /sys/fs/cgroup -> a child sae-bounded-memory.PID
# with memory.max (peak: memory.peak); else cgroup v1's memory controller -> a child of this
# shell's own memory cgroup with memory.limit_in_bytes (peak: memory.max_usage_in_bytes). The
# child is removed on exit. Without a writable memory cgroup (or with --ulimit) it falls back to
# `ulimit -v` (address space): that proves the file is never mapped whole and bounds the
# process's address space, but says nothing of page cache. Address space is not memory: thread
# arenas and BLAS buffers reserve much more than they touch, and an allocation refused by the
# limit was seen to make the process spin (failing mmap calls retried forever, 512 MiB limit),
# hence --timeout.
#
# Prints: data size, limit, mechanism, peak RSS of the process (/usr/bin/time -v, else VmHWM
# polled from /proc), the cgroup's peak (process memory + page cache charged to it), limit hits,
# OOM kills, seconds (wall and the epoch's training seconds), rows per second.
#
# Usage: scripts/sae_bounded_memory.sh [--dir DIR] [--size-gib 3] [--limit-mib 1024]
#        [--latents 1024] [--k 32] [--threads 2] [--source NPY|random] [--sparsity PATH]
#        [--python PYTHON] [--ulimit] [--timeout 1800] [--keep]
#   --dir DIR  where the data file goes (default: a new directory under ${TMPDIR:-/tmp});
#              the file is deleted at the end unless --keep
# Needs: root (cgroups), python3 with numpy, the built executable (.build/release/sparsity).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="" size_gib=3 limit_mib=1024 latents=1024 k=32 threads=2 keep=0 force_ulimit=0 timeout_seconds=1800
source_npy=/tmp/sae-data/train.npy
sparsity="$root/.build/release/sparsity"
python=${PYTHON:-python3}
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --size-gib) size_gib=$2; shift 2 ;;
    --limit-mib) limit_mib=$2; shift 2 ;;
    --latents) latents=$2; shift 2 ;;
    --k) k=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --source) source_npy=$2; shift 2 ;;
    --sparsity) sparsity=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --ulimit) force_ulimit=1; shift ;;
    --timeout) timeout_seconds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$sparsity" ] || { echo "$sparsity not found; build it first" >&2; exit 2; }
"$python" -c 'import numpy' 2>/dev/null || { echo "$python cannot import numpy" >&2; exit 2; }

made_dir=0
if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/sae-bounded-memory.XXXXXX"); made_dir=1; fi
mkdir -p "$dir"
data="$dir/rows.npy"
out="$dir/sae"
log="$dir/train.log"
cg="" child=""
descendants() { local pid; for pid in $(pgrep -P "$1" 2>/dev/null); do echo "$pid"; descendants "$pid"; done; }
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then  # interrupted: stop the run (its processes only)
    for pid in $(descendants "$child") "$child"; do kill "$pid" 2>/dev/null || true; done
    wait "$child" 2>/dev/null || true
  fi
  if [ -n "$cg" ] && [ -d "$cg" ]; then rmdir "$cg" 2>/dev/null || echo "could not remove $cg" >&2; fi
  if [ "$keep" = 0 ]; then
    rm -rf "$data" "$out" "$log" "$dir/time.txt" "$dir/result.json"
    if [ "$made_dir" = 1 ]; then rmdir "$dir" 2>/dev/null || true; fi
  else
    echo "kept: $dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Disk: the file plus 1 GiB to spare.
bytes=$(awk -v g="$size_gib" 'BEGIN {printf "%.0f", g * 1073741824}')
avail=$(df -Pk "$dir" | awk 'NR==2 {printf "%.0f", $4 * 1024}')
if [ "$avail" -lt $((bytes + 1024 * 1024 * 1024)) ]; then
  echo "not enough disk in $dir: $((avail >> 20)) MiB free, $((bytes >> 20)) MiB needed (+1 GiB)" >&2; exit 2
fi

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores;$(uptime | sed 's/.*,  *load/ load/')"
echo "memory: $(awk '/MemTotal|MemAvailable|SwapTotal/ {printf "%s %d MiB  ", $1, $2/1024}' /proc/meminfo)"

# 1. The data: tiled real rows (or random), float32, width 384, written in chunks, then dropped
# from the page cache.
started=$(date +%s.%N)
"$python" - "$data" "$bytes" "$source_npy" <<'PY'
import os, sys
import numpy as np
path, size, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
width = 384
rows = size // (4 * width)
if source != "random" and os.path.exists(source):
    tile = np.load(source, mmap_mode="r")
    if tile.dtype != np.float32 or tile.ndim != 2 or tile.shape[1] != width:
        sys.exit(f"{source}: want float32 rows of {width}, got {tile.dtype} {tile.shape}")
    tile = np.ascontiguousarray(tile[:min(len(tile), 50000)])
    kind = f"tiled from {source} ({len(tile)} rows)"
else:
    tile = np.random.default_rng(0).standard_normal((50000, width), dtype=np.float32)
    kind = "standard normal"
with open(path, "wb") as handle:
    np.lib.format.write_array_header_1_0(handle, {"descr": "<f4", "fortran_order": False, "shape": (rows, width)})
    left = rows
    while left > 0:
        count = min(left, len(tile))
        handle.write(tile[:count].tobytes())
        left -= count
    handle.flush()
    os.fsync(handle.fileno())
    os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
print(f"data: {path}: {rows} rows x {width} float32, {os.path.getsize(path)} bytes "
      f"({os.path.getsize(path) / 2**30:.2f} GiB), {kind}")
PY
echo "made in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
if command -v fincore >/dev/null; then echo "in page cache before training: $(fincore -n -o RES "$data" | tr -d ' ')"; fi

# 2. The limit.
limit_bytes=$((limit_mib * 1024 * 1024))
mechanism="" peak_file="" failcnt_file="" events_file=""
if [ "$force_ulimit" = 0 ]; then
  if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    candidate=/sys/fs/cgroup/sae-bounded-memory.$$
    grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null \
      || echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
    if mkdir "$candidate" 2>/dev/null; then
      cg=$candidate
      if echo "$limit_bytes" > "$cg/memory.max" 2>/dev/null; then
        echo 0 > "$cg/memory.swap.max" 2>/dev/null || true
        mechanism="cgroup v2 memory.max" peak_file="$cg/memory.peak" events_file="$cg/memory.events"
      fi
    fi
  else
    v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ {print $2; exit}' /proc/mounts)
    own=$(awk -F: '$2 == "memory" {print $3; exit}' /proc/self/cgroup)
    if [ -n "$v1" ] && [ -n "$own" ]; then
      candidate="$v1${own%/}/sae-bounded-memory.$$"
      if mkdir "$candidate" 2>/dev/null; then
        cg=$candidate
        if echo "$limit_bytes" > "$cg/memory.limit_in_bytes" 2>/dev/null; then
          mechanism="cgroup v1 memory.limit_in_bytes (child of this shell's memory cgroup)"
          peak_file="$cg/memory.max_usage_in_bytes" failcnt_file="$cg/memory.failcnt"
        fi
      fi
    fi
  fi
fi
if [ -z "$mechanism" ]; then
  if [ -n "$cg" ]; then rmdir "$cg" 2>/dev/null || true; cg=""; fi
  mechanism="ulimit -v (address space only; page cache not limited)"
fi
swap=$(awk '/SwapTotal/ {print $2}' /proc/meminfo)
echo "limit: $limit_mib MiB by $mechanism${cg:+ at $cg}; swap ${swap} kB"
echo "data / limit: $(awk -v a="$(stat -c %s "$data")" -v b="$limit_bytes" 'BEGIN {printf "%.2f", a / b}')"

# 3. One epoch under the limit.
command=("$sparsity" sae train --data "$data" --held-out 0 --kind "topk:$k" --latents "$latents" --epochs 1
         --batch 1024 --seed 0 --out "$out" --json)
echo "command: SPARSITY_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads ${command[*]}"
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -v -o "$dir/time.txt"); fi
started=$(date +%s.%N)
set +e
(
  if [ -n "$cg" ]; then echo "$BASHPID" > "$cg/cgroup.procs"; else ulimit -v $((limit_bytes / 1024)); fi
  export SPARSITY_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads
  exec "${timer[@]}" timeout "$timeout_seconds" "${command[@]}"
) > "$dir/result.json" 2> "$log" &
child=$!
hwm=0
while kill -0 "$child" 2>/dev/null; do
  for pid in $(descendants "$child") "$child"; do
    value=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$value" ] && [ "$value" -gt "$hwm" ]; then hwm=$value; fi
  done
  sleep 0.2
done
wait "$child"
status=$?
set -e
seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

echo "exit status: $status$([ "$status" = 124 ] && echo " (timed out after $timeout_seconds s)")"
if [ "$status" != 0 ]; then tail -5 "$log" >&2; fi
if [ -s "$dir/time.txt" ]; then
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  echo "peak RSS (/usr/bin/time -v): $((rss / 1024)) MiB ($rss kB)"
fi
echo "peak RSS (VmHWM polled every 0.2 s): $((hwm / 1024)) MiB"
if [ -n "$cg" ]; then
  peak=$(cat "$peak_file" 2>/dev/null || echo 0)
  echo "cgroup peak (process + page cache charged to it): $((peak >> 20)) MiB of $limit_mib MiB"
  if [ -n "$failcnt_file" ]; then
    echo "times the limit was hit (reclaim): $(cat "$failcnt_file")"
    echo "OOM kills: $(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control")"
    echo "page cache still charged after exit: $(($(awk '$1 == "total_cache" {print $2}' "$cg/memory.stat") >> 20)) MiB"
  else
    echo "memory.events: $(tr '\n' ' ' < "$events_file")"
  fi
fi
echo "wall seconds: $seconds"
if [ "$status" = 0 ]; then
  "$python" - "$dir/result.json" "$data" <<'PY'
import json, sys
import numpy as np
report = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
rows = np.load(sys.argv[2], mmap_mode="r").shape[0]
epoch = report["epochs"][-1]
print(f"training seconds (1 epoch): {report['training_seconds']:.1f}, {rows / report['training_seconds']:.0f} rows/s, "
      f"training FVU {epoch['training_fvu']:.4f}, L0 {epoch['l0']:.1f}, dead {epoch['dead_fraction']:.4f}")
PY
fi
exit "$status"
