#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install --global`. guard checks nothing here: a global
# core.hooksPath silences each repository's own hooks, and this script only
# runs them (and a hook that was here before, kept as @HOOK@.pre-guard).
# With neither, it exits at once, having started no process.
chained="${0%/*}/@HOOK@.pre-guard"
[ -x "$chained" ] || chained=
@FIND_LOCAL@if [ -z "$local_hook" ]; then
    [ -z "$chained" ] || exec "$chained" "$@"
    exit 0
fi
[ -n "$chained" ] || exec "$local_hook" "$@"
# Both read the same standard input: keep it, exactly.
input=$(cat; echo .)
input=${input%.}
printf '%s' "$input" | "$chained" "$@" || exit $?
printf '%s' "$input" | "$local_hook" "$@"
