#!/usr/bin/env bash
# Runs every fuzz target (one file in fuzz_targets/ each) for SECONDS
# seconds, one after another, and appends one summary line per run to
# logs/summary.log: date, target, seconds, execs, cov, ft, corpus, crashes.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (default 600, every target)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for file in fuzz_targets/*.rs; do targets+=("$(basename "$file" .rs)"); done
fi
mkdir -p logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  status=0
  nice -n 10 cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
    >"$log" 2>&1 || status=$?
  last="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
  execs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)"
  [ -n "$execs" ] || execs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")"
  cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")"
  crashes="$(grep -c -E '^(==[0-9]+== ERROR|thread .* panicked)' "$log" || true)"
  printf '%s target=%s seconds=%s execs=%s cov=%s ft=%s corpus=%s crashes=%s exit=%s log=%s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$target" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$crashes" "$status" "$log" | tee -a logs/summary.log
done
