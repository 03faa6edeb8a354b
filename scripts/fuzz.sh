#!/usr/bin/env bash
# Fuzzes every file parser with libFuzzer (the Fuzz package, built with the toolchain's
# `swift build --sanitize=fuzzer`, plus AddressSanitizer), one target after another,
# FUZZ_SECONDS each (default 60), or until FUZZ_RUNS executions when that is set and comes first.
#
#   scripts/fuzz.sh [TARGET...]        all targets when none is named (SPARSITY_FUZZ_TARGET=list)
#
# Each run starts from the checked-in seeds, Fuzz/Corpus/<target>, read-only; what libFuzzer adds
# goes to a scratch folder, $FUZZ_WORK/<target>/corpus (default Fuzz/.build/fuzz), kept between
# runs. Limits: -rss_limit_mb=3072 (the process), -malloc_limit_mb=1024 (one allocation, from an
# input of at most -max_len bytes, the target's own), -timeout=10 (seconds per input).
# Prints per target the executions, executions per second, peak memory and the outcome; a
# crash, a broken invariant, a timeout or a memory blow-up leaves its input in
# $FUZZ_WORK/<target>/artifacts and makes the exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:--1}
work=${FUZZ_WORK:-Fuzz/.build/fuzz}
binary=Fuzz/.build/release/sparsity-fuzz

# AddressSanitizer as well as libFuzzer: release builds do not bounds-check raw buffer reads
# (the decoders' loadUnaligned), and libFuzzer's -malloc_limit_mb works only over ASan's
# allocator. SwiftPM passes each --sanitize as a separate -sanitize= flag and swiftc keeps only
# the last, so both go in one -Xswiftc flag; --sanitize=fuzzer links libFuzzer's main.
echo "== building the fuzz targets (Fuzz/, swift build -c release --sanitize=fuzzer, with ASan)"
swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=address,fuzzer \
  -Xcc -fsanitize=address,fuzzer-no-link

# The targets and their -max_len, as the binary lists them (one home for the list).
declare -A max_length
all=()
while read -r name length _; do
  all+=("$name")
  max_length[$name]=$length
done < <(SPARSITY_FUZZ_TARGET=list "$binary")
targets=("${@:-${all[@]}}")

# One libFuzzer statistic ("stat::NAME: VALUE") from a log.
statistic() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

failed=0
printf '%-12s %12s %9s %8s  %s\n' target executions exec/s "rss MB" result
for target in "${targets[@]}"; do
  if [ -z "${max_length[$target]:-}" ]; then
    echo "unknown target '$target' (targets: ${all[*]})" >&2
    exit 2
  fi
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  log="$work/$target/log"
  status=0
  # The Swift runtime's own crash reporter is turned off so that libFuzzer handles the signal
  # and saves the input. The library's memory budget (SPARSITY_MEMORY_LIMIT) is set far above
  # the RSS limit: it never refuses, so only libFuzzer's limits judge memory, and it is read
  # from the environment instead of /proc at every file (ten times faster on small inputs).
  SWIFT_BACKTRACE=enable=no SPARSITY_MEMORY_LIMIT=1T SPARSITY_FUZZ_TARGET="$target" "$binary" \
    -max_len="${max_length[$target]}" -rss_limit_mb=3072 -malloc_limit_mb=1024 -timeout=10 \
    -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 -artifact_prefix="$work/$target/artifacts/" \
    "$work/$target/corpus" "Fuzz/Corpus/$target" >"$log" 2>&1 || status=$?
  result="ok, no crash"
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit status $status), see $log"
    failed=1
  fi
  printf '%-12s %12s %9s %8s  %s\n' "$target" "$(statistic number_of_executed_units "$log")" \
    "$(statistic average_exec_per_sec "$log")" "$(statistic peak_rss_mb "$log")" "$result"
  if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|Fatal error|Test unit written|precondition|Swift runtime failure' "$log" | head -n 20 || true
    for input in "$work/$target"/artifacts/*; do
      [ -e "$input" ] || continue
      echo "   reproduce: SPARSITY_FUZZ_TARGET=$target $binary $input"
    done
  fi
done
exit "$failed"
