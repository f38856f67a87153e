installed=@GUARD@
guard=$installed
if [ ! -x "$guard" ]; then
    guard=$(command -v guard) || guard=
    # Only this guard: another program named guard must not pass for it.
    case "$([ -n "$guard" ] && "$guard" --version 2>/dev/null)" in
        "guard "[0-9]*) ;;
        *)
            echo "guard: cannot check this @ACTION@: $installed is gone and no guard is on PATH." >&2
            echo "guard: reinstall guard (./install.sh), or bypass it on purpose with --no-verify." >&2
            exit 1
            ;;
    esac
fi
