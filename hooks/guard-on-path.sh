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
