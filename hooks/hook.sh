#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install`; `guard uninstall` removes it. A hook that was
# here before is kept as @HOOK@.pre-guard and runs after guard.
@FIND_GUARD@"$guard" hook @HOOK@ "$@" || exit $?
chained="${0%/*}/@HOOK@.pre-guard"
if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
@LOCAL@