#!/usr/bin/env bash
# Benchmarks `guard scan-history` on real git repositories against the floor
# (git reading every object once) and two peer scanners, kingfisher and
# gitleaks, and prints one Markdown table per repository: median wall time,
# median peak RSS, finding count, and each median's ratio to the floor's.
#
# Usage:
#   benches/history.sh REPO_DIR [REPO_DIR...]
#   benches/history.sh NAME=REPO_DIR ...      (to choose the clone's name)
# e.g.
#   benches/history.sh /work/.mirror/pallets+flask/repo \
#     /work/.mirror/curl+curl/repo /work/.mirror/git+git/repo
#
# Each REPO_DIR (a bare or normal git repository) is first copied into an
# ordinary local clone, $BENCH_REPOS/NAME.git, with
#   git clone --no-local --mirror REPO_DIR $BENCH_REPOS/NAME.git
# and every command is timed on that clone, its pack kept as cloned (no
# repack). A snapshot with objects missing behind some refs (a partial clone
# whose refs/pull/* were not fetched whole) cannot be mirrored: then the clone
# falls back to `git clone --no-local --bare` (branches and tags only), and
# the report says so. An existing clone is reused unless FRESH_CLONE=1.
#
# Environment:
#   RUNS=3              timed runs per command (the median is reported)
#   GUARD=/work/main/target/release/guard
#                       guard binary; it is copied aside first so that a
#                       rebuild during the benchmark cannot change it; the
#                       guard row is skipped if it lacks `scan-history`
#   BENCH_REPOS=/work/bench-repos     where the clones go
#   BENCH_OUT=/work/bench-results     where outputs, logs and report.md go
#   WITH_BETTERLEAKS=0  set to 1 to add a betterleaks row (third peer)
#   FRESH_CLONE=0       set to 1 to re-clone even if the clone exists
#   WARMUP=1            untimed floor runs per repository before timing
#
# The peers come from benches/peers.sh (pinned PyPI packages in
# /work/bench-venv); that is the only step that may use the network (pip,
# apt). No benchmarked command touches the network: kingfisher runs with
# --no-validate --no-update-check, gitleaks never validates.
# Runs are interleaved (run 1 of every command, then run 2, ...) so that
# noise from other work on the machine spreads over all rows alike.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
guard_src=${GUARD:-/work/main/target/release/guard}
bench_repos=${BENCH_REPOS:-/work/bench-repos}
bench_out=${BENCH_OUT:-/work/bench-results}
with_betterleaks=${WITH_BETTERLEAKS:-0}
fresh_clone=${FRESH_CLONE:-0}
warmup=${WARMUP:-1}

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,40p' "$0" >&2
  exit 2
fi
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }

die() { echo "history.sh: $*" >&2; exit 1; }
warn() { echo "history.sh: $*" >&2; }

# Never write clones or results inside the project's work tree.
for d in "$bench_repos" "$bench_out"; do
  case "$(realpath -m "$d")/" in
    "$project"/* | /work/main/*) die "$d is inside the project; choose another place" ;;
  esac
done

# Peers (installs them if missing) and /usr/bin/time.
eval "$("$here/peers.sh" --env)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
py=python3

# Settings that could change what the peers scan or make them validate.
unset GITLEAKS_CONFIG GITLEAKS_CONFIG_TOML BETTERLEAKS_CONFIG BETTERLEAKS_CONFIG_TOML \
  BETTERLEAKS_VALIDATE BETTERLEAKS_ANALYZE KF_RULE_CACHE_DIR KINGFISHER_ALERT_REPORT_URL

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$bench_out/$stamp
mkdir -p "$out" "$bench_repos"
report=$out/report.md
exec > >(tee "$report")

# guard: a private copy, so a rebuild during the benchmark cannot swap it.
guard=""
guard_note=""
if [[ ! -x "$guard_src" ]]; then
  guard_note="skipped: $guard_src does not exist"
elif ! "$guard_src" scan-history --help >/dev/null 2>&1; then
  guard_note="skipped: $guard_src does not support \`scan-history\` yet"
else
  guard=$out/guard
  cp "$guard_src" "$guard"
  guard_version=$("$guard" --version 2>&1 | head -n1)
  guard_sha=$(sha256sum "$guard" | cut -c1-16)
fi

# kingfisher caches its compiled rules; give it a cache of its own and warm
# it once, untimed, so no timed run pays the one-off rule compilation.
kf_cache=$bench_repos/kingfisher-rule-cache
mkdir -p "$kf_cache" "$out/empty"
"$KINGFISHER" scan "$out/empty" --no-validate --no-update-check --quiet \
  --rule-cache-dir "$kf_cache" --format jsonl --output /dev/null >/dev/null 2>&1 ||
  true # exit status: no findings in an empty directory, nothing to check

echo "# guard scan-history benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "- machine: nproc=$(nproc), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)," \
  "load average at start $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"
echo "- $(git --version)"
echo "- RUNS=$runs (median reported), WARMUP=$warmup untimed floor run(s) per repository"
if [[ -n "$guard" ]]; then
  echo "- guard: $guard_version, copy of $guard_src (sha256 $guard_sha...)"
else
  echo "- guard: $guard_note"
fi
echo "- kingfisher: $KINGFISHER_VERSION ($KINGFISHER)"
echo "- gitleaks: $GITLEAKS_VERSION ($GITLEAKS)"
[[ "$with_betterleaks" == 1 ]] && echo "- betterleaks: $BETTERLEAKS_VERSION ($BETTERLEAKS)"
echo "- outputs and logs: $out"
echo

median() { # numbers... -> median
  printf '%s\n' "$@" | sort -g |
    awk '{ a[NR] = $1 } END { printf "%.2f\n", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

count_findings() { # tool, output file -> number of findings
  case "$1" in
    floor) echo "-" ;;
    guard) wc -l <"$2" | tr -d ' ' ;; # one JSON object per line
    kingfisher) # JSON Lines: one object per finding, plus one "audit" object
      $py -c 'import json, sys
print(sum(1 for l in open(sys.argv[1]) if l.strip() and "finding" in json.loads(l)))' "$2" ;;
    gitleaks) $py -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$2" ;;
    betterleaks) $py -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$2" ;;
  esac
}

clone_name() { # REPO_DIR -> a name for its clone
  local p=${1%/} b
  b=$(basename "$p")
  if [[ "$b" == .git ]]; then p=$(dirname "$p"); b=$(basename "$p"); fi
  # snapshots look like /work/.mirror/OWNER+NAME/repo
  if [[ "$b" == repo ]]; then b=$(basename "$(dirname "$p")"); fi
  echo "${b%.git}"
}

make_clone() { # source dir, name -> path of the clone (on stdout)
  local src=$1 name=$2 dest=$bench_repos/$2.git log
  local meta=$bench_repos/$name.source
  if [[ "$(realpath -m "$src")" == "$(realpath -m "$dest")" ]]; then
    echo "$dest"; return 0
  fi
  if [[ -d "$dest" && -f "$meta" && "$fresh_clone" != 1 ]]; then
    if [[ "$(sed -n 's/^source=//p' "$meta")" == "$(realpath "$src")" ]]; then
      echo "$dest"; return 0
    fi
    die "$dest exists but was cloned from $(sed -n 's/^source=//p' "$meta"); use NAME=DIR or FRESH_CLONE=1"
  fi
  rm -rf "$dest" "$dest.part" "$meta"
  log=$out/$name.clone.log
  local kind="git clone --no-local --mirror"
  if ! git clone --quiet --no-local --mirror "$src" "$dest.part" >"$log" 2>&1; then
    warn "mirror clone of $src failed ($(grep -m1 -i 'fatal' "$log" || tail -n1 "$log"));" \
      "falling back to branches and tags only"
    rm -rf "$dest.part"
    kind="git clone --no-local --bare (fallback: the mirror clone failed, refs beyond branches and tags are missing objects)"
    git clone --quiet --no-local --bare "$src" "$dest.part" >>"$log" 2>&1 ||
      { cat "$log" >&2; rm -rf "$dest.part"; return 1; }
  fi
  mv "$dest.part" "$dest"
  printf 'source=%s\nclone=%s\ndate=%s\n' "$(realpath "$src")" "$kind" "$(date -u +%FT%TZ)" >"$meta"
  echo "$dest"
}

bench_repo() { # source dir, name
  local src=$1 name=$2 repo dir
  repo=$(make_clone "$src" "$name") || { warn "could not clone $src; skipped"; return 0; }
  dir=$out/$name
  mkdir -p "$dir"

  # Commands: tool name, what its stdout goes to, exit codes that mean
  # success, then argv. All run with the clone as the working directory.
  local tools=() ; declare -A stdout_to ok_codes argv outfile
  tools+=(floor); stdout_to[floor]=/dev/null; ok_codes[floor]="0"
  argv[floor]=$(printf '%q ' git -C "$repo" cat-file --batch-all-objects --batch --unordered)
  if [[ -n "$guard" ]]; then
    tools+=(guard); outfile[guard]=$dir/guard.jsonl; stdout_to[guard]=${outfile[guard]}
    ok_codes[guard]="0 1" # guard: 0 nothing found, 1 findings, 2 error
    argv[guard]=$(printf '%q ' "$guard" scan-history --format jsonl)
  fi
  tools+=(kingfisher); outfile[kingfisher]=$dir/kingfisher.jsonl
  stdout_to[kingfisher]=$dir/kingfisher.stdout
  ok_codes[kingfisher]="0 200 205" # 200 findings, 205 validated findings
  argv[kingfisher]=$(printf '%q ' "$KINGFISHER" scan "$repo" --git-history full \
    --no-validate --no-update-check --format jsonl --output "${outfile[kingfisher]}" \
    --quiet --rule-cache-dir "$kf_cache")
  tools+=(gitleaks); outfile[gitleaks]=$dir/gitleaks.json
  stdout_to[gitleaks]=$dir/gitleaks.stdout
  ok_codes[gitleaks]="0" # --exit-code 0: leaks found still exit 0, errors do not
  argv[gitleaks]=$(printf '%q ' "$GITLEAKS" git "$repo" --report-format json \
    --report-path "${outfile[gitleaks]}" --exit-code 0 --no-banner --log-level warn)
  if [[ "$with_betterleaks" == 1 ]]; then
    tools+=(betterleaks); outfile[betterleaks]=$dir/betterleaks.json
    stdout_to[betterleaks]=$dir/betterleaks.stdout; ok_codes[betterleaks]="0"
    argv[betterleaks]=$(printf '%q ' "$BETTERLEAKS" git "$repo" --output \
      "${outfile[betterleaks]}" --silent --log-level warn --exit-code 0)
  fi

  local in_pack size_pack refs commits
  in_pack=$(git -C "$repo" count-objects -v | sed -n 's/^in-pack: //p')
  size_pack=$(git -C "$repo" count-objects -v | sed -n 's/^size-pack: //p')
  refs=$(git -C "$repo" for-each-ref | wc -l)
  commits=$(git -C "$repo" rev-list --all --count)

  echo "## $name"
  echo
  echo "- source: $src"
  echo "- clone: $repo ($(sed -n 's/^clone=//p' "$bench_repos/$name.source" 2>/dev/null || echo "used as is"))"
  echo "- $in_pack objects in packs ($((size_pack / 1024)) MiB), $refs refs, $commits commits"
  [[ -n "$guard" ]] || echo "- guard row skipped: ${guard_note#skipped: }"
  echo
  echo "Commands (working directory: $repo):"
  echo
  echo '```'
  local t
  for t in "${tools[@]}"; do
    if [[ "${stdout_to[$t]}" == /dev/null || "$t" == guard ]]; then
      echo "$t: ${argv[$t]% } > ${stdout_to[$t]}"
    else
      echo "$t: ${argv[$t]% }"
    fi
  done
  echo '```'
  echo

  local i
  for ((i = 0; i < warmup; i++)); do
    git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null
  done

  declare -A walls rsss counts failed
  local run rc last
  for ((run = 1; run <= runs; run++)); do
    for t in "${tools[@]}"; do
      [[ -z "${failed[$t]:-}" ]] || continue
      [[ -z "${outfile[$t]:-}" ]] || rm -f "${outfile[$t]}"
      rc=0
      (cd "$repo" && eval "/usr/bin/time -o $(printf %q "$dir/$t.time") -f '%e %M' ${argv[$t]}" \
        >"${stdout_to[$t]}" 2>"$dir/$t.stderr") || rc=$?
      if [[ " ${ok_codes[$t]} " != *" $rc "* ]]; then
        failed[$t]="FAILED (exit $rc, see $dir/$t.stderr)"
        warn "$name: $t exited $rc; last lines of its stderr:"
        tail -n 5 "$dir/$t.stderr" >&2
        continue
      fi
      last=$(tail -n1 "$dir/$t.time") # time puts "exited with status" lines first
      walls[$t]+="${last% *} "
      rsss[$t]+="${last#* } "
      if [[ -n "${outfile[$t]:-}" ]]; then
        counts[$t]+="$(count_findings "$t" "${outfile[$t]}") "
      fi
    done
  done

  local floor_wall="" w r c ratio all
  [[ -z "${failed[floor]:-}" ]] && floor_wall=$(median ${walls[floor]})
  echo "| command | median wall s | median peak RSS MB | findings | time / floor | wall s, all runs |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  for t in "${tools[@]}"; do
    if [[ -n "${failed[$t]:-}" ]]; then
      echo "| $t | ${failed[$t]} | | | | ${walls[$t]:-} |"
      continue
    fi
    w=$(median ${walls[$t]})
    r=$(median ${rsss[$t]})
    r=$(awk -v k="$r" 'BEGIN { printf "%.1f", k / 1024 }')
    c="-"
    if [[ -n "${counts[$t]:-}" ]]; then
      # Every run should find the same; if not, show all counts.
      c=$(printf '%s\n' ${counts[$t]} | sort -u | paste -sd/)
    fi
    ratio=$(awk -v a="$w" -v b="${floor_wall:-0}" \
      'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')
    all=$(echo ${walls[$t]})
    echo "| $t | $w | $r | $c | $ratio | ${all// /, } |"
  done
  echo
}

for arg in "$@"; do
  if [[ "$arg" == *=* && ! -d "$arg" ]]; then
    name=${arg%%=*} src=${arg#*=}
  else
    name=$(clone_name "$arg") src=$arg
  fi
  [[ -d "$src" ]] || { warn "$src is not a directory; skipped"; continue; }
  git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { warn "$src is not a git repository; skipped"; continue; }
  bench_repo "$src" "$name"
done
echo "Report written to $report"
