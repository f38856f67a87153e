# Installed globally (core.hooksPath), which silences each repository's own
# hooks: run this repository's hook too, unless it is guard's (then the
# hook it kept), so guard never runs twice.
local_hook="$(git rev-parse --git-common-dir)/hooks/@HOOK@"
if [ -f "$local_hook" ] && grep -q '^# guard-hook: ' "$local_hook"; then
    local_hook="$local_hook.pre-guard"
fi
if [ -x "$local_hook" ]; then
    @STDIN@"$local_hook" "$@" || exit $?
fi
