#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install`; `guard uninstall` removes it. A hook that was
# here before is kept as @HOOK@.pre-guard and runs after guard.
installed=@GUARD@
guard=$installed
if [ ! -x "$guard" ]; then
    guard=$(command -v guard) || {
        echo "guard: cannot check this @ACTION@: $installed is gone and no guard is on PATH." >&2
        echo "guard: reinstall guard (./install.sh), or bypass it on purpose with --no-verify." >&2
        exit 1
    }
fi
"$guard" hook @HOOK@ "$@" || exit $?
chained="$(dirname "$0")/@HOOK@.pre-guard"
if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
@LOCAL@