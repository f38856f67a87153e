#!/usr/bin/env bash
# Runs guard and the pinned peers (gitleaks, betterleaks, kingfisher with
# --no-validate) over the accuracy corpus and prints precision and recall per
# family for each, side by side (the table in docs/ACCURACY.md).
#
# The corpus is the one the test suite generates (tests/accuracy, fixed
# seed), written to $CORPUS (default /tmp/guard-accuracy/corpus); the peers'
# JSON reports go to $REPORTS. Scoring is the test suite's own code, so every
# tool is judged the same way: by the lines it reports.
#
# Usage: benches/accuracy.sh
set -euo pipefail

cd "$(dirname "$0")/.."
eval "$(benches/peers.sh --env)"
work=${ACCURACY_WORK:-/tmp/guard-accuracy}
corpus=$work/corpus
reports=$work/reports
rm -rf "$corpus" "$reports"
mkdir -p "$corpus" "$reports"

echo "writing the corpus to $corpus" >&2
GUARD_ACCURACY_DIR=$corpus cargo test --release --locked --test tests \
  accuracy::guard_meets_the_floors_on_the_corpus -- --quiet >/dev/null

echo "gitleaks $GITLEAKS_VERSION, betterleaks $BETTERLEAKS_VERSION, kingfisher $KINGFISHER_VERSION" >&2
"$GITLEAKS" dir "$corpus" --no-banner --log-level error -f json -r "$reports/gitleaks.json" || true
"$BETTERLEAKS" "$corpus" --no-banner --log-level error -o "$reports/betterleaks.json" >/dev/null 2>&1 || true
"$KINGFISHER" scan "$corpus" --no-validate --format json --output "$reports/kingfisher.json" \
  >/dev/null 2>&1 || true

GUARD_ACCURACY_DIR=$corpus GUARD_ACCURACY_REPORTS=$reports cargo test --release --locked --test tests \
  accuracy::peers_on_the_corpus -- --ignored --nocapture --quiet 2>/dev/null >"$work/peers.txt"
sed -n '/^| family/,/^$/p' "$work/peers.txt"
echo "every tool's misses and false positives: $work/peers.txt" >&2
