#!/bin/sh
# Builds guard's release binary as install.sh installs it and prints its
# path. On Linux with glibc the binary is linked statically (a static PIE,
# so address-space randomisation stays): with no shared libraries to load
# and bind at every start, an assistant's hook, run on every tool call,
# starts about 0.6 ms sooner (docs/PERFORMANCE.md, "Issue 18"). Elsewhere
# it is cargo's ordinary release build.
#
#   scripts/release-build.sh [--quiet]
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
host=$(rustc -vV | sed -n 's/^host: //p')
# Static linking needs glibc's static library (Debian's libc6-dev has it;
# Fedora's is glibc-static): without it, the ordinary build.
static=no
case "$host" in
    *-linux-gnu) [ -f "$(cc -print-file-name=libc.a 2>/dev/null)" ] && static=yes ;;
esac
if [ "$static" = no ] && [ "${host%-linux-gnu}" != "$host" ]; then
    echo "release-build.sh: no static glibc (libc.a), so guard is linked dynamically: it works the same, and an assistant's hook starts about 0.6 ms later" >&2
fi
case "$static" in
    yes)
        # With --target, the flag reaches guard and not the build scripts
        # and procedural macros, which must stay dynamic.
        RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
            cargo build --release --locked "$@" --manifest-path "$here/Cargo.toml" --target "$host"
        echo "$here/target/$host/release/guard"
        ;;
    *)
        cargo build --release --locked "$@" --manifest-path "$here/Cargo.toml"
        echo "$here/target/release/guard"
        ;;
esac
