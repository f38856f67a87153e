# A global core.hooksPath silences each repository's own hooks: find this
# repository's, to run it too, without starting git (a hook git runs on
# every ref update must cost next to nothing). git runs a hook in the work
# tree's root, or a bare repository's git directory, with GIT_DIR set or
# ./.git there; a linked worktree's .git is a file naming its git
# directory, whose commondir names the shared one. Outside a repository
# there is none. guard's own hook there is skipped for the hook it kept,
# so guard never runs twice.
local_hook=
git_dir=${GIT_DIR:-.git}
if [ -f "$git_dir" ]; then
    IFS= read -r git_dir < "$git_dir" || :
    git_dir=${git_dir#gitdir: }
elif [ ! -d "$git_dir" ]; then
    git_dir=.
fi
common=$git_dir
if [ -f "$git_dir/commondir" ]; then
    IFS= read -r common < "$git_dir/commondir" || :
    case $common in /*) ;; *) common=$git_dir/$common ;; esac
fi
if [ -f "$common/HEAD" ] && [ -d "$common/objects" ]; then
    local_hook=$common/hooks/@HOOK@
    if [ -f "$local_hook" ]; then
        marker=
        { IFS= read -r marker && IFS= read -r marker; } < "$local_hook" || :
        case $marker in "# guard-hook: "*) local_hook=$local_hook.pre-guard ;; esac
    fi
    [ -x "$local_hook" ] || local_hook=
fi
