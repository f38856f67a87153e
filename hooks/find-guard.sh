installed=@GUARD@
guard=$installed
if [ ! -x "$guard" ]; then
    guard=$(command -v guard) || {
        echo "guard: cannot check this @ACTION@: $installed is gone and no guard is on PATH." >&2
        echo "guard: reinstall guard (./install.sh), or bypass it on purpose with --no-verify." >&2
        exit 1
    }
fi
