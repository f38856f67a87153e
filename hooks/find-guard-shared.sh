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
@GUARD_ON_PATH@fi
