#!/usr/bin/env bash
# Times the pre-commit check on a real work tree of at least 4,000 files
# against the floor, `git diff --cached -U0 --no-ext-diff`, and against
# gitleaks and betterleaks, for (a) a one-file change and (b) 2,000 new
# files (20 MB) staged. Prints hyperfine medians and ratios to the floor.
# Needs hyperfine (apt-get install hyperfine) and benches/peers.sh.
#
#   benches/precommit.sh SOURCE_REPO [RUNS]
#
# SOURCE_REPO (a bare or normal repository, such as a clone of git/git) is
# cloned to $BENCH_REPOS/precommit-work (never inside the project), and its
# index is reset after each scenario. GUARD defaults to target/release/guard.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_repo=${1:?usage: benches/precommit.sh SOURCE_REPO [RUNS]}
runs=${2:-20}
guard=${GUARD:-$here/../target/release/guard}
bench_repos=${BENCH_REPOS:-/work/bench-repos}
work=$bench_repos/precommit-work
eval "$("$here/peers.sh" --env)"

[[ -d "$work" ]] || git clone -q "$source_repo" "$work"
cd "$work"
git reset -q --hard
git clean -qfdx
files=$(git ls-files | wc -l)
echo "work tree: $work ($files files), $(git --version), nproc=$(nproc)"
echo "guard: $("$guard" --version); gitleaks: $GITLEAKS_VERSION; betterleaks: $BETTERLEAKS_VERSION"

measure() {
  local name=$1
  local json
  json=$(mktemp)
  hyperfine --warmup 3 --runs "$runs" --ignore-failure --export-json "$json" \
    -n floor "git diff --cached -U0 --no-ext-diff > /dev/null" \
    -n guard "$guard hook pre-commit" \
    -n gitleaks "$GITLEAKS git --pre-commit --staged --no-banner --log-level error ." \
    -n betterleaks "$BETTERLEAKS git --staged --no-banner --log-level error ." >/dev/null 2>&1
  python3 - "$json" "$name" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
floor = results[0]["median"]
print(f"\n{sys.argv[2]}")
print("| command | median | ratio to floor |")
print("|---|---|---|")
for r in results:
    print(f"| {r['command']} | {r['median'] * 1000:.1f} ms | {r['median'] / floor:.2f}x |")
PY
  rm -f "$json"
}

# (a) one file changed by one line.
mapfile -t sources < <(git ls-files '*.c')
target=${sources[0]}
echo "/* guard benchmark: one added line */" >> "$target"
git add "$target"
measure "(a) one-line change to $target"
git reset -q --hard

# (b) 2,000 new files of about 10 kB of ordinary source, 20 MB in all.
mkdir -p guard-bench-new
i=0
for n in $(seq 1 10); do
  for f in "${sources[@]:0:200}"; do
    i=$((i + 1))
    head -c 10240 "$f" > "guard-bench-new/file-$i.c"
    [[ $i -ge 2000 ]] && break 2
  done
done
git add guard-bench-new
echo
echo "staged: $(git diff --cached --name-only | wc -l) files, $(du -sh guard-bench-new | cut -f1)"
measure "(b) 2,000 new files"
git reset -q --hard
git clean -qfdx
