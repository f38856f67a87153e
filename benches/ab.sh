#!/usr/bin/env bash
# Times two guard binaries against each other on the same scenarios, in
# interleaved rounds (each round runs A and B back to back with hyperfine),
# so that noise on a shared machine falls on both alike: pre-commit on (a) a
# one-line change and (b) 2,000 new files in a git/git work tree, and
# `scan-history` on flask and curl (bare clones, branches and tags).
# Prints the median over rounds of each side's hyperfine median, and B/A.
#
#   BEFORE=/path/guard-old AFTER=target/release/guard \
#     benches/ab.sh GIT_REPO FLASK_REPO CURL_REPO [ROUNDS]
#
# Needs hyperfine. Clones go to $BENCH_REPOS (default /work/bench-repos),
# never inside the project.
set -euo pipefail
git_src=${1:?usage: benches/ab.sh GIT_REPO FLASK_REPO CURL_REPO [ROUNDS]}
flask_src=${2:?}
curl_src=${3:?}
rounds=${4:-5}
before=${BEFORE:?set BEFORE to the old guard binary}
after=${AFTER:?set AFTER to the new guard binary}
bench_repos=${BENCH_REPOS:-/work/bench-repos}
mkdir -p "$bench_repos"
work=$bench_repos/precommit-work
[[ -d "$work" ]] || git clone -q "$git_src" "$work"
for name in flask curl; do
  src_var=${name}_src
  [[ -d "$bench_repos/$name-ab.git" ]] || git clone -q --no-local --bare "${!src_var}" "$bench_repos/$name-ab.git"
done

results=$(mktemp)
time_pair() { # label runs dir cmd-suffix...
  local label=$1 runs=$2 dir=$3; shift 3
  local json; json=$(mktemp)
  (cd "$dir" && hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$json" \
    -n A "$before $*" -n B "$after $*" >/dev/null 2>&1)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(sys.argv[2], r[0]["median"], r[1]["median"])' \
    "$json" "$label" >>"$results"
  rm -f "$json"
}

cd "$work"
git reset -q --hard && git clean -qfdx
mapfile -t sources < <(git ls-files '*.c')
for round in $(seq 1 "$rounds"); do
  echo "/* guard benchmark: one added line */" >>"${sources[0]}"
  git add "${sources[0]}"
  time_pair "(a) pre-commit, one-line change" 40 "$work" hook pre-commit
  git reset -q --hard
  mkdir -p guard-bench-new
  i=0
  for n in $(seq 1 10); do
    for f in "${sources[@]:0:200}"; do
      i=$((i + 1)); head -c 10240 "$f" >"guard-bench-new/file-$i.c"
      [[ $i -ge 2000 ]] && break 2
    done
  done
  git add guard-bench-new
  time_pair "(b) pre-commit, 2,000 new files" 10 "$work" hook pre-commit
  git reset -q --hard && git clean -qfdx
  time_pair "(c) scan-history, flask" 3 "$bench_repos/flask-ab.git" scan-history -q
  time_pair "(d) scan-history, curl" 1 "$bench_repos/curl-ab.git" scan-history -q
done
python3 - "$results" "$rounds" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, rest = line.split(" ", 1) if False else (line.rsplit(" ", 2)[0], line.rsplit(" ", 2)[1:])
    rows.setdefault(label, []).append(tuple(map(float, rest)))
print(f"rounds: {sys.argv[2]}; each figure is the median over rounds of hyperfine's median")
print("| scenario | before (A) | after (B) | B/A | per-round B/A |")
print("|---|---|---|---|---|")
for label, pairs in rows.items():
    a = statistics.median(p[0] for p in pairs); b = statistics.median(p[1] for p in pairs)
    unit, scale = ("ms", 1000) if a < 1 else ("s", 1)
    per = ", ".join(f"{p[1] / p[0]:.2f}" for p in pairs)
    print(f"| {label} | {a * scale:.2f} {unit} | {b * scale:.2f} {unit} | {b / a:.3f} | {per} |")
PY
rm -f "$results"
