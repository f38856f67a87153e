#!/bin/sh
# Builds guard from this checkout and installs it; then runs it once to show
# it works. Needs only a Rust toolchain (cargo) and a C compiler: libgit2 is
# built in, without network, SSH or OpenSSL support.
#
#   ./install.sh                 # installs to $HOME/.local/bin
#   PREFIX=/usr/local ./install.sh
#
# Running it again rebuilds and replaces the binary; nothing else changes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
bindir="$prefix/bin"

command -v cargo >/dev/null 2>&1 || {
    echo "install.sh: cargo not found; install Rust first (https://rustup.rs)" >&2
    exit 2
}

echo "install.sh: building guard (release) in $here"
built=$("$here/scripts/release-build.sh" | tail -n 1)

mkdir -p "$bindir"
# Copy to a temporary name, then rename: a running guard is never left with
# a half-written binary.
cp "$built" "$bindir/.guard.new"
chmod 755 "$bindir/.guard.new"
mv -f "$bindir/.guard.new" "$bindir/guard"
echo "install.sh: installed $bindir/guard"

"$bindir/guard" --version
"$bindir/guard" rules check

case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "install.sh: note: $bindir is not on your PATH; add it, e.g. export PATH=\"$bindir:\$PATH\"" ;;
esac

# Inside a git repository, set up the hooks too, once this guard has them.
if git rev-parse --git-dir >/dev/null 2>&1 && "$bindir/guard" help install >/dev/null 2>&1; then
    "$bindir/guard" install
fi
