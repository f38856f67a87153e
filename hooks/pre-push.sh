#!/bin/sh
# guard-hook: @HOOK@ @VERSION@
# Written by `guard install`; `guard uninstall` removes it. A hook that was
# here before is kept as @HOOK@.pre-guard and runs after guard, with the
# same arguments and the same lines on standard input.
installed=@GUARD@
guard=$installed
if [ ! -x "$guard" ]; then
    guard=$(command -v guard) || {
        echo "guard: cannot check this @ACTION@: $installed is gone and no guard is on PATH." >&2
        echo "guard: reinstall guard (./install.sh), or bypass it on purpose with --no-verify." >&2
        exit 1
    }
fi
# git lists the pushed refs on standard input; keep them, exactly, for both.
input=$(cat; echo .)
input=${input%.}
printf '%s' "$input" | "$guard" hook @HOOK@ "$@" || exit $?
chained="$(dirname "$0")/@HOOK@.pre-guard"
if [ -x "$chained" ]; then
    printf '%s' "$input" | "$chained" "$@" || exit $?
fi
@LOCAL@