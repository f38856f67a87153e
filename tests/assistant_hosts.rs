//! Every assistant host but Claude Code (tests/assistant_hooks.rs has it):
//! `guard install --assistant NAME` writes the host's hooks file, the
//! command it installs is run the way the host runs it (`sh -c`, the
//! event as JSON on standard input, written from the host's documented
//! schema with generated secrets), each answer is checked in the host's
//! protocol, a missing guard blocks in it too, and uninstall leaves the
//! user's files byte for byte.

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

use crate::common::{Run, code, expand, guard, guard_with_home, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn install(dir: &Path, names: &[&str]) -> Output {
    guard(dir).arg("install").arg("--assistant").args(names).run()
}

/// The value at `pointer` in the JSON file `file`.
fn json_at(file: &Path, pointer: &str) -> Value {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    value.pointer(pointer).unwrap_or_else(|| panic!("{pointer} in {value}")).clone()
}

/// Runs `command` as a host does, in `dir`, with `event` on standard input
/// and guard on PATH or not.
fn run(dir: &Path, command: &str, event: &Value, with_guard: bool) -> Output {
    let system_path = crate::common::path();
    let path = if with_guard {
        let mut path = Path::new(env!("CARGO_BIN_EXE_guard")).parent().unwrap().as_os_str().to_owned();
        path.push(":");
        path.push(system_path);
        path
    } else {
        system_path.to_owned()
    };
    let mut sh = std::process::Command::new("sh");
    sh.args(["-c", command]).current_dir(dir).env("PATH", path);
    sh.run_with_input(event.to_string().as_bytes())
}

fn answer(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim()).unwrap_or_else(|err| panic!("{err}: {:?}", stdout(out)))
}

/// A project with a `.env` and a generated token.
fn project(seed: u64) -> (tempfile::TempDir, String) {
    let dir = temp_dir();
    write(dir.path(), ".env", "API_KEY=1\n");
    write(dir.path(), "src/main.rs", "fn main() {}\n");
    (dir, expand(GITHUB, seed))
}

#[test]
fn cursor_blocks_with_its_json_and_fails_closed() {
    let (dir, token) = project(301);
    let out = install(dir.path(), &["cursor"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = dir.path().join(".cursor/hooks.json");
    assert_eq!(json_at(&file, "/version"), json!(1));
    assert_eq!(json_at(&file, "/hooks/beforeReadFile/0/failClosed"), json!(true));
    let command = json_at(&file, "/hooks/beforeShellExecution/0/command").as_str().unwrap().to_string();
    let d = dir.path();
    let event = |name: &str, fields: Value| {
        let mut event = json!({"conversation_id": "c", "generation_id": "g", "model": "m", "hook_event_name": name,
            "cursor_version": "2.4.1", "workspace_roots": [d], "user_email": null, "transcript_path": null});
        event.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        event
    };
    let prompt = run(
        d,
        &command,
        &event("beforeSubmitPrompt", json!({"prompt": format!("use {token}"), "attachments": []})),
        true,
    );
    assert_eq!(code(&prompt), 0);
    assert_eq!(answer(&prompt)["continue"], json!(false));
    assert!(!stdout(&prompt).contains(&token), "{}", stdout(&prompt));
    let ok =
        run(d, &command, &event("beforeSubmitPrompt", json!({"prompt": "why do the tests fail?"})), true);
    assert_eq!(answer(&ok), json!({"continue": true}));
    let shell = run(
        d,
        &command,
        &event("beforeShellExecution", json!({"command": "cat .env", "cwd": d, "sandbox": false})),
        true,
    );
    assert_eq!(answer(&shell)["permission"], "deny", "{}", stdout(&shell));
    let read = event(
        "beforeReadFile",
        json!({"file_path": d.join("notes.md"), "content": format!("token {token}\n")}),
    );
    assert_eq!(answer(&run(d, &command, &read, true))["permission"], "deny");
    let mcp = event(
        "beforeMCPExecution",
        json!({"tool_name": "post", "tool_input": json!({"body": token}).to_string(), "mcp_server_name": "chat", "command": "chat-server"}),
    );
    assert_eq!(answer(&run(d, &command, &mcp, true))["permission"], "deny");
    let harmless =
        run(d, &command, &event("beforeShellExecution", json!({"command": "cargo test", "cwd": d})), true);
    assert_eq!(answer(&harmless), json!({"permission": "allow"}));
    let missing = run(d, &command, &event("beforeShellExecution", json!({"command": "ls", "cwd": d})), false);
    assert_eq!(code(&missing), 2);
    assert_eq!(answer(&missing)["permission"], "deny");

    let out = guard(d).args(["uninstall", "--assistant", "cursor"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!d.join(".cursor").exists(), "a file guard created goes, with its directory");
}

#[test]
fn codex_blocks_by_exit_2_and_masks_output_through_its_feedback() {
    let (dir, token) = project(302);
    let d = dir.path();
    let out = install(d, &["codex"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("trust"), "install says hooks need trusting: {}", stdout(&out));
    let file = d.join(".codex/hooks.json");
    assert_eq!(json_at(&file, "/hooks/PreToolUse/0/matcher"), json!("Bash|apply_patch|mcp__.*"));
    let command = json_at(&file, "/hooks/PreToolUse/0/hooks/0/command").as_str().unwrap().to_string();
    let event = |name: &str, fields: Value| {
        let mut event = json!({"session_id": "s", "transcript_path": null, "cwd": d, "hook_event_name": name,
            "model": "gpt-5.1-codex", "turn_id": "t1", "permission_mode": "default"});
        event.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        event
    };
    let prompt =
        run(d, &command, &event("UserPromptSubmit", json!({"prompt": format!("deploy with {token}")})), true);
    assert_eq!(code(&prompt), 2);
    assert!(
        stderr(&prompt).contains("blocked this prompt") && !stderr(&prompt).contains(&token),
        "{}",
        stderr(&prompt)
    );
    let bash = event(
        "PreToolUse",
        json!({"tool_name": "Bash", "tool_use_id": "call_1", "tool_input": {"command": "cat .env"}}),
    );
    let out = run(d, &command, &bash, true);
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains("cat .env"), "Codex quotes the command itself: {}", stderr(&out));
    let patch = format!("*** Begin Patch\n*** Add File: config.py\n+TOKEN = \"{token}\"\n*** End Patch\n");
    let out = run(
        d,
        &command,
        &event("PreToolUse", json!({"tool_name": "apply_patch", "tool_input": {"command": patch}})),
        true,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let output = event(
        "PostToolUse",
        json!({"tool_name": "Bash", "tool_input": {"command": "env"}, "tool_response": format!("TOKEN={token}\n")}),
    );
    let out = run(d, &command, &output, true);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("masked") && !stderr(&out).contains(&token), "{}", stderr(&out));
    let fine = run(
        d,
        &command,
        &event("PreToolUse", json!({"tool_name": "Bash", "tool_input": {"command": "cargo build"}})),
        true,
    );
    assert_eq!((code(&fine), stdout(&fine).as_str()), (0, ""), "an allow is exit 0 and nothing on stdout");
    let missing = run(d, &command, &bash, false);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("guard is not installed"), "{}", stderr(&missing));
}

#[test]
fn gemini_denies_in_json_with_exit_2_and_leaves_the_users_settings_as_they_were() {
    let (dir, token) = project(303);
    let d = dir.path();
    let original = "{\n  \"theme\": \"GitHub\",\n  \"context\": { \"fileName\": \"AGENTS.md\" }\n}\n";
    let settings = write(d, ".gemini/settings.json", original);
    let out = install(d, &["gemini"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&settings).unwrap().starts_with("{\n  \"theme\": \"GitHub\",\n  \"context\"")
    );
    let command = json_at(&settings, "/hooks/BeforeTool/0/hooks/0/command").as_str().unwrap().to_string();
    let event = |name: &str, fields: Value| {
        let mut event = json!({"session_id": "s", "transcript_path": "/t", "cwd": d, "hook_event_name": name,
            "timestamp": "2026-08-21T10:00:00Z"});
        event.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        event
    };
    let prompt = run(d, &command, &event("BeforeAgent", json!({"prompt": format!("use {token}")})), true);
    assert_eq!(code(&prompt), 2);
    assert_eq!(answer(&prompt)["decision"], "deny");
    let read = run(
        d,
        &command,
        &event("BeforeTool", json!({"tool_name": "read_file", "tool_input": {"file_path": d.join(".env")}})),
        true,
    );
    assert_eq!(answer(&read)["decision"], "deny", "{}", stdout(&read));
    let shell = event(
        "BeforeTool",
        json!({"tool_name": "run_shell_command", "tool_input": {"command": "cat .env", "dir_path": "."}}),
    );
    assert_eq!(code(&run(d, &command, &shell, true)), 2);
    let after = event(
        "AfterTool",
        json!({"tool_name": "run_shell_command", "tool_input": {"command": "env"},
            "tool_response": {"llmContent": format!("TOKEN={token}"), "returnDisplay": "", "error": null}}),
    );
    let out = run(d, &command, &after, true);
    let reason = answer(&out)["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("masked") && reason.contains("TOKEN=") && !reason.contains(&token), "{reason}");
    let fine = run(
        d,
        &command,
        &event(
            "BeforeTool",
            json!({"tool_name": "read_file", "tool_input": {"file_path": d.join("src/main.rs")}}),
        ),
        true,
    );
    assert_eq!((code(&fine), stdout(&fine).as_str()), (0, ""));
    assert_eq!(code(&run(d, &command, &shell, false)), 2);

    let out = guard(d).args(["uninstall", "--assistant", "gemini"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), original, "byte for byte");
}

#[test]
fn copilot_answers_both_of_its_hosts_in_json_with_exit_0() {
    let (dir, token) = project(304);
    let d = dir.path();
    let out = install(d, &["copilot"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("not a prompt"),
        "install says the CLI cannot stop a prompt: {}",
        stdout(&out)
    );
    let file = d.join(".github/hooks/guard.json");
    assert_eq!(json_at(&file, "/version"), json!(1));
    let command = json_at(&file, "/hooks/preToolUse/0/bash").as_str().unwrap().to_string();
    // The Copilot CLI's own dialect: no event name, arguments as a JSON string.
    let cli = json!({"timestamp": 1_767_225_600_000_u64, "cwd": d, "toolName": "bash", "toolArgs": json!({"command": "cat .env"}).to_string()});
    let out = run(d, &command, &cli, true);
    assert_eq!(code(&out), 0);
    assert_eq!(answer(&out)["permissionDecision"], "deny");
    assert!(answer(&out)["permissionDecisionReason"].as_str().unwrap().contains("guard blocked"));
    let output = json!({"timestamp": 1, "cwd": d, "toolName": "bash", "toolArgs": {"command": "env"},
        "toolResult": {"resultType": "success", "textResultForLlm": format!("TOKEN={token}")}});
    let masked = answer(&run(d, &command, &output, true));
    let text = masked["modifiedResult"]["textResultForLlm"].as_str().unwrap();
    assert!(text.starts_with("TOKEN=") && !text.contains(&token), "{text}");
    // VS Code's agent mode: its event names and tool names.
    let vs = json!({"timestamp": "2026-06-03T10:00:00.000Z", "cwd": d, "sessionId": "s", "hookEventName": "PreToolUse",
        "transcript_path": "/t", "tool_name": "read_file", "tool_input": {"filePath": d.join(".env")}, "tool_use_id": "u"});
    let out = run(d, &command, &vs, true);
    assert_eq!(answer(&out)["hookSpecificOutput"]["permissionDecision"], "deny");
    let vs_prompt = json!({"timestamp": "t", "cwd": d, "sessionId": "s", "hookEventName": "UserPromptSubmit", "prompt": format!("use {token}")});
    assert_eq!(answer(&run(d, &command, &vs_prompt, true))["continue"], json!(false));
    let fine = json!({"timestamp": 1, "cwd": d, "toolName": "view", "toolArgs": {"path": "src/main.rs"}});
    let out = run(d, &command, &fine, true);
    assert_eq!((code(&out), stdout(&out).as_str()), (0, ""), "an allow prints nothing");
    let missing = run(d, &command, &cli, false);
    assert_eq!(code(&missing), 0, "a failed hook never blocks in the CLI: the answer does");
    assert_eq!(answer(&missing)["permissionDecision"], "deny");

    let out = guard(d).args(["uninstall", "--assistant", "copilot"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!file.exists());
}

#[test]
fn windsurf_blocks_by_exit_2() {
    let (dir, token) = project(305);
    let d = dir.path();
    let out = install(d, &["windsurf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = d.join(".windsurf/hooks.json");
    let command = json_at(&file, "/hooks/pre_run_command/0/command").as_str().unwrap().to_string();
    let event = |name: &str, info: Value| json!({"agent_action_name": name, "trajectory_id": "t", "execution_id": "e", "timestamp": "2026-03-01T00:00:00Z", "tool_info": info});
    let shell = event("pre_run_command", json!({"command_line": "cat .env", "cwd": d}));
    let out = run(d, &command, &shell, true);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("guard blocked"), "{}", stderr(&out));
    let prompt =
        run(d, &command, &event("pre_user_prompt", json!({"user_prompt": format!("use {token}")})), true);
    assert_eq!(code(&prompt), 2);
    assert!(!stderr(&prompt).contains(&token));
    let write_secret = event(
        "pre_write_code",
        json!({"file_path": d.join("config.py"), "edits": [{"old_string": "", "new_string": format!("TOKEN = '{token}'")}]}),
    );
    assert_eq!(code(&run(d, &command, &write_secret, true)), 2);
    let read = event("pre_read_code", json!({"file_path": d.join(".env")}));
    assert_eq!(code(&run(d, &command, &read, true)), 2);
    let fine = event("pre_read_code", json!({"file_path": d.join("src/main.rs")}));
    assert_eq!(code(&run(d, &command, &fine, true)), 0);
    assert_eq!(code(&run(d, &command, &shell, false)), 2);
}

#[test]
fn cline_scripts_cancel_and_never_replace_the_users_own() {
    let (dir, token) = project(306);
    let d = dir.path();
    let out = install(d, &["cline"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let script = d.join(".clinerules/hooks/PreToolUse");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert!(std::fs::metadata(&script).unwrap().permissions().mode() & 0o111 != 0, "executable");
    }
    let command = script.display().to_string();
    let event = |name: &str, key: &str, body: Value| {
        json!({"clineVersion": "3.36.0", "hookName": name, "timestamp": "1767225600000", "taskId": "t",
            "workspaceRoots": [d], "userId": "u", "model": {"provider": "anthropic", "slug": "claude"}, key: body})
    };
    let shell = event(
        "PreToolUse",
        "preToolUse",
        json!({"toolName": "execute_command", "parameters": {"command": "cat .env", "requires_approval": "false"}}),
    );
    let out = run(d, &command, &shell, true);
    assert_eq!(code(&out), 0);
    assert_eq!(answer(&out)["cancel"], json!(true));
    let prompt = event(
        "UserPromptSubmit",
        "userPromptSubmit",
        json!({"prompt": format!("use {token}"), "attachments": []}),
    );
    let prompt_script = d.join(".clinerules/hooks/UserPromptSubmit").display().to_string();
    assert_eq!(answer(&run(d, &prompt_script, &prompt, true))["cancel"], json!(true));
    let fine = event(
        "PreToolUse",
        "preToolUse",
        json!({"toolName": "read_file", "parameters": {"path": "src/main.rs"}}),
    );
    assert_eq!(answer(&run(d, &command, &fine, true)), json!({"cancel": false}));
    assert_eq!(answer(&run(d, &command, &shell, false))["cancel"], json!(true), "a missing guard cancels");

    let out = guard(d).args(["uninstall", "--assistant", "cline"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!script.exists());
    let own = write(d, ".clinerules/hooks/PreToolUse", "#!/bin/sh\necho '{\"cancel\": false}'\n");
    let out = install(d, &["cline"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("your own hook"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(own).unwrap(), "#!/bin/sh\necho '{\"cancel\": false}'\n");
}

#[test]
fn kiro_blocks_by_exit_2() {
    let (dir, token) = project(307);
    let d = dir.path();
    let out = install(d, &["kiro"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = d.join(".kiro/hooks/guard.json");
    assert_eq!(json_at(&file, "/version"), json!("v1"));
    assert_eq!(json_at(&file, "/hooks/1/trigger"), json!("PreToolUse"));
    let command = json_at(&file, "/hooks/1/action/command").as_str().unwrap().to_string();
    let shell = json!({"hook_event_name": "PreToolUse", "cwd": d, "session_id": "sess_1", "tool_name": "execute_bash", "tool_input": {"command": "cat .env", "cwd": d}});
    let out = run(d, &command, &shell, true);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("guard blocked"), "{}", stderr(&out));
    let write_secret = json!({"hook_event_name": "PreToolUse", "cwd": d, "tool_name": "fs_write", "tool_input": {"command": "create", "path": "a.py", "file_text": format!("T = '{token}'")}});
    assert_eq!(code(&run(d, &command, &write_secret, true)), 2);
    let prompt = json!({"hook_event_name": "UserPromptSubmit", "cwd": d, "session_id": "sess_1", "prompt": format!("use {token}")});
    assert_eq!(code(&run(d, &command, &prompt, true)), 2);
    let fine = json!({"hook_event_name": "PreToolUse", "cwd": d, "tool_name": "fs_read", "tool_input": {"operations": [{"mode": "Line", "path": "src/main.rs"}]}});
    assert_eq!(code(&run(d, &command, &fine, true)), 0);
    assert_eq!(code(&run(d, &command, &shell, false)), 2);
    let out = guard(d).args(["uninstall", "--assistant", "kiro"]).run();
    assert_eq!(code(&out), 0);
    assert!(!d.join(".kiro").exists());
}

#[test]
fn a_host_running_claude_codes_hooks_is_judged_once() {
    let (dir, _) = project(308);
    let d = dir.path();
    assert_eq!(code(&install(d, &["claude"])), 0);
    // Cursor runs Claude Code's hooks with its own payload.
    let cursor_run = json!({"hook_event_name": "preToolUse", "cursor_version": "2.4.1", "conversation_id": "c",
        "workspace_roots": [d], "cwd": "", "tool_name": "Shell", "tool_input": {"command": "cat .env"}, "tool_use_id": "t"});
    let out = guard(d).args(["hook", "claude"]).run_with_input(cursor_run.to_string().as_bytes());
    assert_eq!(code(&out), 2, "without Cursor's own hooks, Claude Code's judge: {}", stderr(&out));
    assert_eq!(code(&install(d, &["cursor"])), 0);
    let out = guard(d).args(["hook", "claude"]).run_with_input(cursor_run.to_string().as_bytes());
    assert_eq!((code(&out), stderr(&out).as_str()), (0, ""), "Cursor's own hook judges it");
    // Claude Code itself is still judged by its hooks.
    let claude = json!({"session_id": "s", "transcript_path": "/t", "cwd": d, "hook_event_name": "PreToolUse",
        "tool_name": "Bash", "tool_input": {"command": "cat .env"}});
    let out = guard(d).args(["hook", "claude"]).run_with_input(claude.to_string().as_bytes());
    assert_eq!(code(&out), 2);
}

#[test]
fn detected_installs_for_the_assistants_present_and_names_are_checked() {
    let dir = temp_dir();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".cursor/rules")).unwrap();
    write(d, "GEMINI.md", "# notes\n");
    let out = install(d, &["detected"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(d.join(".cursor/hooks.json").is_file() && d.join(".gemini/settings.json").is_file());
    assert!(!d.join(".codex").exists() && !d.join(".windsurf").exists() && !d.join(".claude").exists());
    let out = install(d, &["detected"]);
    assert!(stdout(&out).contains("already runs guard's"), "{}", stdout(&out));
    let out = install(d, &["vim"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown assistant \"vim\"") && stderr(&out).contains("cursor"),
        "{}",
        stderr(&out)
    );
    let empty = temp_dir();
    let out = install(empty.path(), &["detected"]);
    assert_eq!(code(&out), 2, "nothing detected is said, not silently done");
}

#[test]
fn global_installs_go_to_the_users_files() {
    let home = temp_dir();
    let project = temp_dir();
    let out = guard_with_home(project.path(), home.path())
        .args(["install", "--global", "--assistant", "windsurf", "copilot"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(home.path().join(".codeium/windsurf/hooks.json").is_file());
    assert!(home.path().join(".copilot/hooks/guard.json").is_file());
    assert!(!project.path().join(".windsurf").exists());
    let out = guard_with_home(project.path(), home.path())
        .args(["uninstall", "--global", "--assistant", "windsurf", "copilot"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!home.path().join(".codeium/windsurf/hooks.json").exists());
    assert!(!home.path().join(".copilot/hooks/guard.json").exists());
    // Codex's user directory is CODEX_HOME when set.
    let codex_home = temp_dir();
    let out = guard_with_home(project.path(), home.path())
        .env("CODEX_HOME", codex_home.path())
        .args(["install", "--global", "--assistant", "codex"])
        .run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(codex_home.path().join("hooks.json").is_file());
    assert!(!home.path().join(".codex").exists());
}
