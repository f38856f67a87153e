installed=@GUARD@
guard=$installed
if [ ! -x "$guard" ]; then
    if [ -e "$installed" ]; then
        problem="$installed is there but not executable (chmod +x it, or reinstall)"
    else
        problem="$installed is missing"
    fi
@GUARD_ON_PATH@fi
