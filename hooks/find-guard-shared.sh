# This hooks directory is inside the work tree and may be committed, so
# the script names no path of one machine: guard is the one `guard install`
# recorded for this clone (git config --local guard.path), else the guard
# on PATH.
guard=$(git config --local --get guard.path) || guard=
problem="this clone has no guard.path (run guard install)"
if [ -n "$guard" ] && [ ! -x "$guard" ]; then
    problem="guard.path names $guard, which is missing or not executable (run guard install)"
    guard=
fi
if [ -z "$guard" ]; then
    guard=$(command -v guard) || guard=
    # Only this guard: another program named guard must not pass for it.
    case "$([ -n "$guard" ] && "$guard" --version 2>/dev/null)" in
        "guard "[0-9]*) ;;
        *)
            echo "guard: cannot check this @ACTION@: $problem, and no guard is on PATH." >&2
            echo "guard: install guard (./install.sh, then guard install), or bypass it on purpose with --no-verify." >&2
            exit 2
            ;;
    esac
fi
