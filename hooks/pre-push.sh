#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install`; `guard uninstall` removes it. A hook that was
# here before is kept as @HOOK@.pre-guard and runs after guard, with the
# same arguments and the same lines on standard input.
@FIND_GUARD@# git lists the pushed refs on standard input; keep them, exactly, for both.
input=$(cat; echo .)
input=${input%.}
printf '%s' "$input" | "$guard" hook @HOOK@ "$@" || exit $?
chained="${0%/*}/@HOOK@.pre-guard"
if [ -x "$chained" ]; then
    printf '%s' "$input" | "$chained" "$@" || exit $?
fi
@LOCAL@