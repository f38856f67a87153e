//! `guard hook claude` on recorded Claude Code events (built here with
//! generated secrets): what it blocks with exit 2 and a redacted reason on
//! standard error, and what it allows with exit 0.

use std::path::Path;

use serde_json::json;

use crate::common::{Run, code, expand, guard, stderr, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// Runs the hook in `dir` on `event`; returns (exit code, standard error).
fn hook(dir: &Path, event: &serde_json::Value) -> (i32, String) {
    let out = guard(dir).args(["hook", "claude"]).run_with_input(event.to_string().as_bytes());
    (code(&out), stderr(&out))
}

fn prompt(dir: &Path, text: &str) -> serde_json::Value {
    json!({
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": dir,
        "hook_event_name": "UserPromptSubmit",
        "prompt": text,
    })
}

fn tool(dir: &Path, name: &str, input: serde_json::Value) -> serde_json::Value {
    json!({
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": dir,
        "hook_event_name": "PreToolUse",
        "tool_name": name,
        "tool_input": input,
    })
}

#[test]
fn a_prompt_with_a_secret_is_blocked_and_the_secret_redacted() {
    let dir = temp_dir();
    let token = expand(GITHUB, 21);
    let (exit, err) = hook(dir.path(), &prompt(dir.path(), &format!("why does {token} not work?")));
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains("blocked this prompt") && err.contains("github-pat-classic"), "{err}");
    assert!(!err.contains(&token), "{err}");
    let (exit, err) = hook(dir.path(), &prompt(dir.path(), "why does the GITHUB_TOKEN variable not work?"));
    assert_eq!((exit, err.as_str()), (0, ""));
}

#[test]
fn read_of_a_secret_file_by_name_or_by_content_is_blocked() {
    let dir = temp_dir();
    let token = expand(GITHUB, 22);
    write(dir.path(), ".env", "DEBUG=1\n");
    write(dir.path(), "notes.txt", format!("token: {token}\n"));
    write(dir.path(), "src/main.rs", "fn main() {}\n");
    let read = |file: &Path| tool(dir.path(), "Read", json!({ "file_path": file }));
    let (exit, err) = hook(dir.path(), &read(&dir.path().join(".env")));
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains(".env: file-dotenv"), "{err}");
    let (exit, err) = hook(dir.path(), &read(&dir.path().join("notes.txt")));
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains("notes.txt:1:8: github-pat-classic") && !err.contains(&token), "{err}");
    assert_eq!(hook(dir.path(), &read(&dir.path().join("src/main.rs"))).0, 0);
    assert_eq!(hook(dir.path(), &read(&dir.path().join("missing.txt"))).0, 0);
    let grep = |path: &str| tool(dir.path(), "Grep", json!({ "pattern": "token", "path": path }));
    let (exit, err) = hook(dir.path(), &grep("notes.txt"));
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains("blocked search in notes.txt"), "{err}");
    assert_eq!(hook(dir.path(), &grep("src")).0, 0, "a directory is ripgrep's to filter");
    assert_eq!(hook(dir.path(), &tool(dir.path(), "Grep", json!({ "pattern": "zzqqzz" }))).0, 0);
}

#[test]
fn bash_that_prints_a_secret_file_or_carries_a_secret_is_blocked() {
    let dir = temp_dir();
    write(dir.path(), ".env.local", "DEBUG=1\n");
    write(dir.path(), ".env.example", "TOKEN=\n");
    write(dir.path(), "keys/id_rsa", "not really\n");
    let bash = |command: &str| tool(dir.path(), "Bash", json!({ "command": command, "description": "d" }));
    for command in [
        "cat .env.local",
        "less keys/id_rsa",
        "head -n 3 .env.local | sort",
        "grep -r DEBUG .env*",
        "tail -f ./keys/id_rsa 2>/dev/null",
    ] {
        let (exit, err) = hook(dir.path(), &bash(command));
        assert_eq!(exit, 2, "{command}: {err}");
        assert!(err.contains("blocked this shell command"), "{err}");
    }
    let token = expand(GITHUB, 23);
    let (exit, err) = hook(dir.path(), &bash(&format!("curl -H 'Authorization: token {token}' https://api")));
    assert_eq!(exit, 2, "{err}");
    assert!(!err.contains(&token), "{err}");
    for command in ["source .env.local && npm test", "cat .env.example", "ls -la", "cp .env.local /tmp/x"] {
        let (exit, err) = hook(dir.path(), &bash(command));
        assert_eq!((exit, err.as_str()), (0, ""), "{command}");
    }
}

#[test]
fn other_events_and_tools_pass_and_a_broken_event_blocks() {
    let dir = temp_dir();
    let edit = tool(dir.path(), "Edit", json!({ "file_path": "a.rs", "old_string": "a", "new_string": "b" }));
    assert_eq!(hook(dir.path(), &edit).0, 0);
    let todo = tool(dir.path(), "TodoWrite", json!({ "todos": [{ "content": "x" }] }));
    assert_eq!(hook(dir.path(), &todo).0, 0);
    let stop = json!({ "cwd": dir.path(), "hook_event_name": "Stop" });
    assert_eq!(hook(dir.path(), &stop).0, 0);
    let out = guard(dir.path()).args(["hook", "claude"]).run_with_input(b"not json");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not JSON"), "{}", stderr(&out));
    let no_prompt = json!({ "cwd": dir.path(), "hook_event_name": "UserPromptSubmit" });
    assert_eq!(hook(dir.path(), &no_prompt).0, 2);
}

#[test]
fn install_claude_merges_and_uninstall_restores_every_byte() {
    let dir = temp_dir();
    let original =
        "{\n\t\"permissions\": {\"allow\": [\"Bash(npm test)\"]},\n\t\"hooks\": {\"Stop\": []}\n}\n";
    let settings = write(dir.path(), ".claude/settings.json", original);
    let out = guard(dir.path()).args(["install", "--claude"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let installed = std::fs::read_to_string(&settings).unwrap();
    assert!(installed.starts_with("{\n\t\"permissions\": {\"allow\": [\"Bash(npm test)\"]},\n\t\"hooks\": {\"Stop\": [], \"PreToolUse\": [\n"), "{installed}");
    let value: serde_json::Value = serde_json::from_str(&installed).unwrap();
    assert_eq!(
        value["hooks"]["PreToolUse"][0]["matcher"],
        "Read|Write|Edit|MultiEdit|NotebookEdit|Grep|Glob|Bash|PowerShell|WebFetch|WebSearch|mcp__.*"
    );
    assert_eq!(value["hooks"]["PostToolUse"][0]["matcher"], "Bash|PowerShell|mcp__.*");
    guard(dir.path()).args(["install", "--claude"]).run();
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), installed, "installing twice changes nothing");
    let out = guard(dir.path()).args(["uninstall", "--claude"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), original);
}

#[test]
fn installed_hook_command_runs_guard_from_path_and_blocks_without_it() {
    let dir = temp_dir();
    let out = guard(dir.path()).args(["install", "--claude"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let settings = dir.path().join(".claude/settings.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    let command = value["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"].as_str().unwrap().to_string();
    let token = expand(GITHUB, 24);
    let event = prompt(dir.path(), &format!("use {token}")).to_string();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_guard")).parent().unwrap();
    let run = |path: &std::ffi::OsStr| {
        let mut sh = std::process::Command::new("sh");
        sh.args(["-c", &command]).current_dir(dir.path()).env("PATH", path);
        sh.run_with_input(event.as_bytes())
    };
    // The tests' PATH: system directories, none of them holding a guard.
    let system_path = crate::common::path();
    let mut with_guard = std::ffi::OsString::from(bin_dir);
    with_guard.push(":");
    with_guard.push(system_path);
    let out = run(&with_guard);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("blocked this prompt"), "{}", stderr(&out));
    let out = run(system_path);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("guard is not installed"), "{}", stderr(&out));
    let out = guard(dir.path()).args(["uninstall", "--claude"]).run();
    assert_eq!(code(&out), 0);
    assert!(!dir.path().join(".claude").exists(), "a settings file guard created is removed");
}

#[test]
fn install_claude_global_writes_the_users_settings_and_refuses_broken_json() {
    let home = temp_dir();
    let project = temp_dir();
    let out = crate::common::guard_with_home(project.path(), home.path())
        .args(["install", "--claude", "--global"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(home.path().join(".claude/settings.json").is_file());
    assert!(!project.path().join(".claude").exists());

    let broken = write(project.path(), ".claude/settings.json", "{ \"hooks\": ");
    let out = guard(project.path()).args(["install", "--claude"]).run();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("settings.json") && stderr(&out).contains("not valid JSON"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(broken).unwrap(), "{ \"hooks\": ", "a broken file is left alone");
}

/// A stand-in for the Claude Code binary (none can run here) that reports
/// `version` as `claude --version` does; returns the PATH to use.
fn claude_reporting(bin: &Path, version: &str) -> std::ffi::OsString {
    let script = write(bin, "claude", format!("#!/bin/sh\necho '{version} (Claude Code)'\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut path = std::ffi::OsString::from(bin);
    path.push(":");
    path.push(crate::common::path());
    path
}

#[test]
fn install_claude_fails_closed_only_where_claude_code_reads_on_failure() {
    let bin = temp_dir();
    let dir = temp_dir();
    let settings = dir.path().join(".claude/settings.json");
    let on_failure = || {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
        ["PreToolUse", "PostToolUse", "UserPromptSubmit"]
            .iter()
            .map(|event| value["hooks"][event][0]["hooks"][0]["onFailure"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    let out = guard(dir.path())
        .env("PATH", claude_reporting(bin.path(), "2.1.294"))
        .args(["install", "--claude"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("Claude Code 2.1.294 is older than 2.1.295"), "{}", stderr(&out));
    assert_eq!(on_failure(), [None, None, None]);
    let out = guard(dir.path())
        .env("PATH", claude_reporting(bin.path(), "2.1.295"))
        .args(["install", "--claude"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        crate::common::stdout(&out).contains("a hook that fails blocks"),
        "{}",
        crate::common::stdout(&out)
    );
    let block = Some("block".to_string());
    assert_eq!(on_failure(), [block.clone(), block.clone(), block.clone()]);
    // Installing again where the version is unknown keeps it.
    let out = guard(dir.path()).args(["install", "--claude"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(on_failure(), [block.clone(), block.clone(), block]);
}
