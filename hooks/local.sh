@FIND_LOCAL@if [ -n "$local_hook" ]; then
    @STDIN@"$local_hook" "$@" || exit $?
fi
