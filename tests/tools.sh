#!/usr/bin/env bash
# Installs the real tools the tests drive, pinned, outside the checkout,
# when they are missing: strace (apt-get), the pre-commit framework, prek,
# git-filter-repo and lefthook (PyPI, each in its own virtual environment, linked into
# /usr/local/bin, which is on the tests' pinned PATH), and husky (npm, in
# its own directory under $tools). The README's test command and .ci/run run
# this first; a test whose tool is missing fails, never skips.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
tools=${GUARD_TEST_TOOLS:-/opt/guard-test-tools}

if ! command -v strace >/dev/null; then
  as_root apt-get update -qq && as_root apt-get install -y -qq strace >/dev/null
fi

pre_commit_version=4.7.0
if [ "$(/usr/local/bin/pre-commit --version 2>/dev/null)" != "pre-commit $pre_commit_version" ]; then
  as_root python3 -m venv "$tools/pre-commit"
  as_root "$tools/pre-commit/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$pre_commit_version"
  as_root ln -sf "$tools/pre-commit/bin/pre-commit" /usr/local/bin/pre-commit
fi

filter_repo_version=2.47.0
if [ "$(/usr/local/bin/git-filter-repo --version 2>/dev/null)" = "" ]; then
  as_root python3 -m venv "$tools/git-filter-repo"
  as_root "$tools/git-filter-repo/bin/pip" install --quiet --disable-pip-version-check "git-filter-repo==$filter_repo_version"
  as_root ln -sf "$tools/git-filter-repo/bin/git-filter-repo" /usr/local/bin/git-filter-repo
fi

prek_version=0.5.11
if [ "$(/usr/local/bin/prek --version 2>/dev/null)" != "prek $prek_version" ]; then
  as_root python3 -m venv "$tools/prek"
  as_root "$tools/prek/bin/pip" install --quiet --disable-pip-version-check "prek==$prek_version"
  as_root ln -sf "$tools/prek/bin/prek" /usr/local/bin/prek
fi

lefthook_version=2.2.2
if [ "$(/usr/local/bin/lefthook version 2>/dev/null)" != "$lefthook_version" ]; then
  as_root python3 -m venv "$tools/lefthook"
  as_root "$tools/lefthook/bin/pip" install --quiet --disable-pip-version-check "lefthook==$lefthook_version"
  as_root ln -sf "$tools/lefthook/bin/lefthook" /usr/local/bin/lefthook
fi

husky_version=9.1.7
if [ "$(node -p "require('$tools/husky/node_modules/husky/package.json').version" 2>/dev/null)" != "$husky_version" ]; then
  as_root mkdir -p "$tools/husky"
  # In its own directory, outside any repository: nothing runs in the checkout.
  (cd "$tools/husky" && as_root npm install --silent --no-audit --no-fund "husky@$husky_version" >/dev/null)
fi
