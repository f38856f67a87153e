#!/usr/bin/env bash
# Times the real guard binary on a one-line `guard scan -` against the floor
# of process start, `git --version`, and prints the medians and their ratio.
# Needs hyperfine (Debian: apt-get install hyperfine). Usage:
#   benches/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-500}
# The binary install.sh installs.
bin=$(scripts/release-build.sh --quiet | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'let greeting = "hello world";\n' > "$work/one-line.txt"

hyperfine --warmup 50 --runs "$runs" --export-json "$work/startup.json" \
  "git --version < $work/one-line.txt" \
  "$bin scan - --quiet < $work/one-line.txt" >/dev/null 2>"$work/hyperfine.err" \
  || { cat "$work/hyperfine.err" >&2; exit 1; }

python3 - "$work/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
git, guard = (r["median"] * 1000 for r in results)
print(f"git --version          median {git:.2f} ms")
print(f"guard scan - (1 line)  median {guard:.2f} ms")
print(f"ratio guard / git      {guard / git:.2f}x")
PY
