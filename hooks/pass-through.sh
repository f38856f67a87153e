#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install --global`. guard checks nothing here: a global
# core.hooksPath silences each repository's own hooks, and this script only
# runs them (and a hook that was here before, kept as @HOOK@.pre-guard).
input=$(cat; echo .)
input=${input%.}
chained="$(dirname "$0")/@HOOK@.pre-guard"
if [ -x "$chained" ]; then
    printf '%s' "$input" | "$chained" "$@" || exit $?
fi
@LOCAL@
