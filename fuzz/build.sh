#!/usr/bin/env bash
# Builds every fuzz target so that none rots (CI runs this). Checks first
# that each file in fuzz_targets/ has its [[bin]] in Cargo.toml, the one
# list the targets live in besides the directory. Plain `cargo build` on
# stable: no cargo-fuzz binary and no nightly needed (the binaries are not
# instrumented; `cargo fuzz build --sanitizer none` builds those).
set -euo pipefail
cd "$(dirname "$0")"
missing=0
for file in fuzz_targets/*.rs; do
  if ! grep -qxF "path = \"$file\"" Cargo.toml; then
    echo "fuzz/$file has no [[bin]] in fuzz/Cargo.toml (cargo fuzz add writes one)" >&2
    missing=1
  fi
done
[ "$missing" = 0 ]
cargo build --locked --bins "$@"
