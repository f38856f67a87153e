if [ -n "$common" ] && [ -f "$common/HEAD" ] && [ -x "$common/hooks/reference-transaction" ] \
    && [ ! -e "${0%/*}/reference-transaction" ]; then
    echo "guard: this repository's own reference-transaction hook does not run under guard's global hooks; run \`guard install --global --with-reference-transaction\` to pass it through (git runs it on every ref update)." >&2
fi
