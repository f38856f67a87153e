#!/usr/bin/env bash
# Times `guard hook HOST` as each assistant runs it on every prompt and
# tool call, against the floor of a Rust binary that reads standard input
# and exits (compiled here with rustc -O): for every host a 1 KB prompt and
# a 1 KB shell command in that host's payload, and for Claude Code a Read
# of a 1 MB source file with no secret. Prints medians and ratios.
# Needs hyperfine (Debian: apt-get install hyperfine). Usage:
#   benches/assistant_hook.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
# The binary install.sh installs.
bin=$(scripts/release-build.sh --quiet | tail -n 1)
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
prompt, command = pad[:900], "cargo test --workspace 2>&1 | tail -n 40  # " + pad[:800]
claude = {"session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": repo, "permission_mode": "default"}
cursor = {"conversation_id": "c", "generation_id": "g", "model": "m", "cursor_version": "2.4.1",
          "workspace_roots": [repo], "user_email": None, "transcript_path": None}
codex = {"session_id": "s", "transcript_path": None, "cwd": repo, "model": "gpt-5", "turn_id": "t", "permission_mode": "default"}
gemini = {"session_id": "s", "transcript_path": "/t", "cwd": repo, "timestamp": "2026-08-21T10:00:00Z"}
windsurf = {"trajectory_id": "t", "execution_id": "e", "timestamp": "2026-03-01T00:00:00Z"}
cline = {"clineVersion": "3.36.0", "timestamp": "1767225600000", "taskId": "t", "workspaceRoots": [repo], "userId": "u"}
kiro = {"cwd": repo, "session_id": "sess_1"}
events = {
    "claude-prompt": dict(claude, hook_event_name="UserPromptSubmit", prompt=prompt),
    "claude-shell": dict(claude, hook_event_name="PreToolUse", tool_name="Bash", tool_input={"command": command}),
    "claude-read": dict(claude, hook_event_name="PreToolUse", tool_name="Read",
                        tool_input={"file_path": os.path.join(repo, "src", "big.rs")}),
    "cursor-prompt": dict(cursor, hook_event_name="beforeSubmitPrompt", prompt=prompt, attachments=[]),
    "cursor-shell": dict(cursor, hook_event_name="beforeShellExecution", command=command, cwd=repo),
    "codex-prompt": dict(codex, hook_event_name="UserPromptSubmit", prompt=prompt),
    "codex-shell": dict(codex, hook_event_name="PreToolUse", tool_name="Bash", tool_input={"command": command}),
    "gemini-prompt": dict(gemini, hook_event_name="BeforeAgent", prompt=prompt),
    "gemini-shell": dict(gemini, hook_event_name="BeforeTool", tool_name="run_shell_command", tool_input={"command": command}),
    "copilot-prompt": {"timestamp": "t", "cwd": repo, "sessionId": "s", "hookEventName": "UserPromptSubmit", "prompt": prompt},
    "copilot-shell": {"timestamp": 1767225600000, "cwd": repo, "toolName": "bash", "toolArgs": json.dumps({"command": command})},
    "windsurf-prompt": dict(windsurf, agent_action_name="pre_user_prompt", tool_info={"user_prompt": prompt}),
    "windsurf-shell": dict(windsurf, agent_action_name="pre_run_command", tool_info={"command_line": command, "cwd": repo}),
    "cline-prompt": dict(cline, hookName="UserPromptSubmit", userPromptSubmit={"prompt": prompt, "attachments": []}),
    "cline-shell": dict(cline, hookName="PreToolUse", preToolUse={"toolName": "execute_command", "parameters": {"command": command}}),
    "kiro-prompt": dict(kiro, hook_event_name="UserPromptSubmit", prompt=prompt),
    "kiro-shell": dict(kiro, hook_event_name="PreToolUse", tool_name="execute_bash", tool_input={"command": command}),
}
for name, event in events.items():
    open(os.path.join(work, name + ".json"), "w").write(json.dumps(event))
PY

# hyperfine 1.15 (Debian 12) has no --input: the shell redirects, and
# hyperfine subtracts the shell's own start-up.
time_it() {
  hyperfine --warmup 20 --runs "$1" --export-json "$work/$2" "${@:3}" >/dev/null 2>>"$work/hyperfine.err" \
    || { cat "$work/hyperfine.err" >&2; exit 1; }
}
hosts="claude cursor codex gemini copilot windsurf cline kiro"
for host in $hosts; do
  for kind in prompt shell; do
    time_it "$runs" "$host-$kind-result.json" "$work/floor < $work/$host-$kind.json" "$bin hook $host < $work/$host-$kind.json"
  done
done
time_it "$((runs / 3))" read-result.json "$bin hook claude < $work/claude-read.json"

python3 - "$work" $hosts <<'PY'
import json, sys, os
work, hosts = sys.argv[1], sys.argv[2:]
med = lambda f, i: json.load(open(os.path.join(work, f)))["results"][i]["median"] * 1000
for host in hosts:
    for kind, label in [("prompt", "1 KB prompt"), ("shell", "1 KB shell command")]:
        floor, hook = med(f"{host}-{kind}-result.json", 0), med(f"{host}-{kind}-result.json", 1)
        print(f"{host:<9} {label:<19} median {hook:.2f} ms, floor {floor:.2f} ms: {hook / floor:.2f}x")
print(f"claude    Read of a 1 MB file median {med('read-result.json', 0):.2f} ms")
PY
