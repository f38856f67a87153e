@FIND_LOCAL@@WARN_ON_REQUEST@if [ -n "$local_hook" ]; then
    @STDIN@"$local_hook" "$@" || exit $?
fi
