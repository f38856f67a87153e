#!/usr/bin/env bash
# Times `guard hook claude` as Claude Code runs it on every tool call,
# against the floor of a Rust binary that reads standard input and exits
# (compiled here with rustc -O): a 1 KB prompt, a 1 KB Bash command, and a
# Read of a 1 MB source file with no secret. Prints medians and ratios.
# Needs hyperfine (Debian: apt-get install hyperfine). Usage:
#   benches/assistant_hook.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
cargo build --release --locked --quiet
bin=$PWD/target/release/guard
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/floor.rs" <<'RS'
use std::io::Read;
fn main() {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).unwrap();
}
RS
rustc -O -o "$work/floor" "$work/floor.rs"

repo=$work/project
mkdir -p "$repo/src"
git -C "$repo" init -q
python3 - "$repo" "$work" <<'PY'
import json, os, sys
repo, work = sys.argv[1], sys.argv[2]
line = "    let total = items.iter().map(|item| item.price * item.quantity).sum::<u64>();\n"
with open(os.path.join(repo, "src", "big.rs"), "w") as f:
    f.write(line * ((1 << 20) // len(line) + 1))
pad = "look at the build output and tell me why the tests fail " * 20
def event(**fields):
    base = {"session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": repo, "permission_mode": "default"}
    base.update(fields)
    return json.dumps(base)
events = {
    "prompt": event(hook_event_name="UserPromptSubmit", prompt=pad[:900]),
    "bash": event(hook_event_name="PreToolUse", tool_name="Bash",
                  tool_input={"command": "cargo test --workspace 2>&1 | tail -n 40", "description": pad[:800]}),
    "read": event(hook_event_name="PreToolUse", tool_name="Read",
                  tool_input={"file_path": os.path.join(repo, "src", "big.rs")}),
}
for name, text in events.items():
    open(os.path.join(work, name + ".json"), "w").write(text)
    print(f"{name}: {len(text)} bytes", file=sys.stderr)
PY

# hyperfine 1.15 (Debian 12) has no --input: the shell redirects, and
# hyperfine subtracts the shell's own start-up.
time_it() {
  hyperfine --warmup 20 --runs "$1" --export-json "$work/$2" "${@:3}" >/dev/null 2>>"$work/hyperfine.err" \
    || { cat "$work/hyperfine.err" >&2; exit 1; }
}
time_it "$runs" prompt-result.json "$work/floor < $work/prompt.json" "$bin hook claude < $work/prompt.json"
time_it "$runs" bash-result.json "$work/floor < $work/bash.json" "$bin hook claude < $work/bash.json"
time_it "$((runs / 3))" read-result.json "$bin hook claude < $work/read.json"

python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
med = lambda f, i: json.load(open(os.path.join(work, f)))["results"][i]["median"] * 1000
for name, label in [("prompt", "1 KB prompt"), ("bash", "1 KB Bash command")]:
    floor, hook = med(f"{name}-result.json", 0), med(f"{name}-result.json", 1)
    print(f"hook, {label:<18} median {hook:.2f} ms, floor {floor:.2f} ms: {hook / floor:.2f}x")
print(f"hook, Read of a 1 MB file   median {med('read-result.json', 0):.2f} ms")
PY
