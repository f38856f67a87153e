//! Every Claude Code tool through `guard hook claude`, on events built here
//! with generated secrets: writes and edits, searches and globs, web
//! fetches and MCP calls, the shell's many ways to print a file, every
//! way to switch the git gate off, and MCP output masked.

use std::path::Path;

use serde_json::json;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn event(dir: &Path, name: &str, input: serde_json::Value) -> serde_json::Value {
    json!({
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": dir,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": name,
        "tool_input": input,
    })
}

/// Runs the hook in `dir`; returns (exit code, standard output, standard error).
fn hook(dir: &Path, event: &serde_json::Value) -> (i32, String, String) {
    let out = crate::common::guard(dir).args(["hook", "claude"]).run_with_input(event.to_string().as_bytes());
    (code(&out), stdout(&out), stderr(&out))
}

fn blocks(dir: &Path, name: &str, input: serde_json::Value) -> String {
    let (exit, _, err) = hook(dir, &event(dir, name, input.clone()));
    assert_eq!(exit, 2, "{name} {input}: {err}");
    err
}

fn allows(dir: &Path, name: &str, input: serde_json::Value) {
    let (exit, _, err) = hook(dir, &event(dir, name, input.clone()));
    assert_eq!((exit, err.as_str()), (0, ""), "{name} {input}");
}

#[test]
fn writes_and_edits_that_put_a_secret_in_a_file_are_blocked() {
    let dir = temp_dir();
    let token = expand(GITHUB, 31);
    let file = dir.path().join("src/config.py");
    let secret_line = format!("TOKEN = \"{token}\"\n");
    for (tool, input) in [
        ("Write", json!({ "file_path": file, "content": secret_line })),
        ("Edit", json!({ "file_path": file, "old_string": "TOKEN = None", "new_string": secret_line })),
        (
            "MultiEdit",
            json!({ "file_path": file, "edits": [
            { "old_string": "a", "new_string": "b" },
            { "old_string": "c", "new_string": secret_line },
        ] }),
        ),
        (
            "NotebookEdit",
            json!({ "notebook_path": dir.path().join("n.ipynb"), "new_source": secret_line, "cell_id": "c1" }),
        ),
    ] {
        let err = blocks(dir.path(), tool, input);
        assert!(err.contains("github-pat-classic") && !err.contains(&token), "{err}");
        assert!(err.contains("blocked write to"), "{err}");
    }
    // Taking a secret out of a file is what the user wants.
    allows(
        dir.path(),
        "Edit",
        json!({ "file_path": file, "old_string": secret_line, "new_string": "TOKEN = os.environ[\"TOKEN\"]\n" }),
    );
    allows(dir.path(), "Write", json!({ "file_path": file, "content": "TOKEN = os.environ['TOKEN']\n" }));
}

#[test]
fn web_fetches_mcp_calls_and_globs_aimed_at_secret_files_are_blocked() {
    let dir = temp_dir();
    let token = expand(GITHUB, 32);
    let err = blocks(
        dir.path(),
        "WebFetch",
        json!({ "url": format!("https://api.example.com/?access_token={token}"), "prompt": "summarise" }),
    );
    assert!(err.contains("blocked this web fetch") && !err.contains(&token), "{err}");
    let err = blocks(
        dir.path(),
        "mcp__github__create_issue",
        json!({ "title": "bug", "body": format!("my token {token}") }),
    );
    assert!(err.contains("mcp__github__create_issue") && !err.contains(&token), "{err}");
    allows(dir.path(), "WebFetch", json!({ "url": "https://docs.rs/regex", "prompt": "what is RegexSet" }));
    allows(dir.path(), "mcp__github__create_issue", json!({ "title": "bug", "body": "it breaks" }));
    for pattern in ["**/.env*", "**/*.pem", "config/.env.*", "**/id_rsa"] {
        let err = blocks(dir.path(), "Glob", json!({ "pattern": pattern }));
        assert!(err.contains("looks for files that hold secrets"), "{err}");
    }
    allows(dir.path(), "Glob", json!({ "pattern": "**/*.rs" }));
    allows(dir.path(), "Glob", json!({ "pattern": "**/*", "path": dir.path() }));
}

/// A repository with a committed secret file, a tracked file holding a
/// secret, an ignored `.env` holding one, and clean files.
fn repo_with_secrets(token: &str) -> TempRepo {
    let repo = TempRepo::new();
    repo.write(".gitignore", ".env\n");
    repo.write(".env", format!("GITHUB_TOKEN={token}\nDEBUG=1\n"));
    repo.write("secrets/prod.txt", format!("{token}\n"));
    repo.write("app/settings.py", format!("DEBUG = True\nGITHUB_TOKEN = \"{token}\"\n"));
    repo.write("README.md", "# demo\nset GITHUB_TOKEN in .env\n");
    repo.commit_all("demo");
    repo
}

#[test]
fn every_common_way_to_print_a_secret_through_the_shell_is_blocked() {
    let token = expand(GITHUB, 33);
    let repo = repo_with_secrets(&token);
    let dir = repo.path();
    std::fs::remove_file(dir.join("secrets/prod.txt")).unwrap(); // still in HEAD
    for command in [
        "rg TOKEN",
        "rg -i github_token app",
        "git grep TOKEN",
        "git grep -n TOKEN -- '*.py'",
        "grep -rn TOKEN .",
        r"find . -name .env -exec cat {} \;",
        "find . -name '*.py' | xargs cat",
        "find . -name '*.py' -print0 | xargs -0 grep TOKEN",
        "git ls-files | xargs cat",
        "echo \"$(<.env)\"",
        "while read l; do echo $l; done < .env",
        "git show HEAD:secrets/prod.txt",
        "git cat-file -p HEAD:app/settings.py",
        "cd app && cat settings.py",
        "bash -c 'cat app/settings.py'",
        "printenv GITHUB_TOKEN",
        "echo \"token is $GITHUB_TOKEN\"",
    ] {
        let err = blocks(dir, "Bash", json!({ "command": command, "description": "look" }));
        assert!(!err.contains(&token), "{command}: {err}");
    }
    // The secret lines are not among those shown, or nothing secret is read.
    for command in [
        "rg DEBUG app",
        "grep -n demo README.md",
        "git grep -n demo",
        "git show HEAD:README.md",
        "find . -name '*.md' -exec cat {} \\;",
        "cat README.md | grep GITHUB_TOKEN",
        "echo $HOME",
        "git log --oneline",
    ] {
        allows(dir, "Bash", json!({ "command": command }));
    }
    // A bare `env` shows the environment: blocked when it holds a secret-named variable.
    let env = event(dir, "Bash", json!({ "command": "env | sort" }));
    let run = |with: Option<&str>| {
        let mut command = crate::common::guard(dir);
        command.args(["hook", "claude"]);
        if let Some(value) = with {
            command.env("DEPLOY_TOKEN", value);
        }
        code(&command.run_with_input(env.to_string().as_bytes()))
    };
    assert_eq!((run(Some("t0ps3cr3t")), run(None)), (2, 0));
    // Grep's glob overrides ignore files, as ripgrep's does.
    let err = blocks(dir, "Grep", json!({ "pattern": "TOKEN", "glob": ".env*", "output_mode": "content" }));
    assert!(err.contains(".env"), "{err}");
    blocks(dir, "Grep", json!({ "pattern": "GITHUB_TOKEN =", "path": dir.join("app") }));
    allows(dir, "Grep", json!({ "pattern": "DEBUG", "path": dir.join("app") }));
    allows(dir, "Grep", json!({ "pattern": "TOKEN", "type": "md" }));
}

#[test]
fn every_way_to_switch_the_git_gate_off_is_blocked() {
    let repo = TempRepo::new();
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dir = repo.path();
    for command in [
        "git commit --no-verify -m wip",
        "git commit -nm wip",
        "git push --no-verify",
        "git -c core.hooksPath=/dev/null commit -m x",
        "GIT_CONFIG_PARAMETERS=\"'core.hooksPath'='/dev/null'\" git commit -m x",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/tmp git commit",
        "git config core.hooksPath /tmp/none",
        "guard uninstall",
        "rm .git/hooks/pre-commit",
        "chmod -x .git/hooks/pre-push",
        "HUSKY=0 git commit -m x",
    ] {
        let err = blocks(dir, "Bash", json!({ "command": command }));
        assert!(err.contains("blocked this shell command"), "{command}: {err}");
    }
    let err = blocks(
        dir,
        "Write",
        json!({ "file_path": dir.join(".git/hooks/pre-commit"), "content": "exit 0\n" }),
    );
    assert!(err.contains("where the git hooks are"), "{err}");
    blocks(
        dir,
        "Edit",
        json!({ "file_path": dir.join(".git/config"), "old_string": "[core]", "new_string": "[core]\n\thooksPath = /tmp" }),
    );
    // husky's scripts are the team's tracked files: editing them is work.
    allows(
        dir,
        "Edit",
        json!({ "file_path": dir.join(".husky/pre-commit"), "old_string": "npm test", "new_string": "npm run lint" }),
    );
    for command in [
        "git commit -m 'skip --no-verify next time'",
        "git push -n",
        "git config --get core.hooksPath",
        "git status",
    ] {
        allows(dir, "Bash", json!({ "command": command }));
    }
}

#[test]
fn an_mcp_tools_output_is_masked_before_the_model_sees_it() {
    let dir = temp_dir();
    let token = expand(GITHUB, 34);
    let output =
        json!({ "content": [{ "type": "text", "text": format!("deploy key: {token}\nstatus: ok") }] });
    let post = json!({
        "session_id": "s1",
        "cwd": dir.path(),
        "hook_event_name": "PostToolUse",
        "tool_name": "mcp__vault__read",
        "tool_input": { "path": "prod" },
        "tool_response": output,
    });
    let (exit, out, err) = hook(dir.path(), &post);
    assert_eq!(exit, 0, "{err}");
    assert!(!out.contains(&token) && !err.contains(&token), "{out}{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    let masked = &answer["hookSpecificOutput"]["updatedMCPToolOutput"];
    assert_eq!(&answer["hookSpecificOutput"]["updatedToolOutput"], masked, "both names, old and new");
    assert_eq!(answer["hookSpecificOutput"]["hookEventName"], "PostToolUse");
    let text = masked["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("deploy key: ghp_") && text.ends_with("\nstatus: ok"), "{text}");
    assert!(err.contains("masked 1 secret"), "{err}");
    let clean = json!({ "cwd": dir.path(), "hook_event_name": "PostToolUse", "tool_name": "mcp__vault__list",
        "tool_input": {}, "tool_response": { "content": [{ "type": "text", "text": "prod, staging" }] } });
    assert_eq!(hook(dir.path(), &clean), (0, String::new(), String::new()));
    // Other tools' output cannot be replaced: not judged after the fact.
    let read = json!({ "cwd": dir.path(), "hook_event_name": "PostToolUse", "tool_name": "Read",
        "tool_input": {}, "tool_response": format!("{token}") });
    assert_eq!(hook(dir.path(), &read).0, 0);
    // A shell's output is masked too (updatedToolOutput, every tool since Claude Code 2.1.121).
    let bash = json!({ "cwd": dir.path(), "hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": { "command": "./deploy.sh" },
        "tool_response": { "stdout": format!("using {token}\n"), "stderr": "", "interrupted": false, "isImage": false } });
    let (exit, out, err) = hook(dir.path(), &bash);
    assert_eq!(exit, 0, "{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    let replaced = &answer["hookSpecificOutput"]["updatedToolOutput"];
    assert!(replaced["stdout"].as_str().unwrap().starts_with("using ghp_") && !out.contains(&token), "{out}");
    assert_eq!(
        (replaced["interrupted"].as_bool(), answer["hookSpecificOutput"].get("updatedMCPToolOutput")),
        (Some(false), None)
    );
    write(dir.path(), "x", "");
}

#[test]
fn hosts_that_run_claude_codes_hooks_are_answered_in_their_terms() {
    let dir = temp_dir();
    let token = expand(GITHUB, 35);
    write(dir.path(), ".env", format!("GITHUB_TOKEN={token}\n"));
    let vs_code = json!({ "timestamp": "2026-12-03T10:00:00.000Z", "cwd": dir.path(), "sessionId": "s",
        "hookEventName": "PreToolUse", "transcript_path": "/tmp/t.json", "tool_name": "create_file",
        "tool_input": { "filePath": dir.path().join("config.py"), "content": format!("TOKEN = '{token}'\n") } });
    let (exit, _, err) = hook(dir.path(), &vs_code);
    assert!(exit == 2 && err.contains("github-pat-classic") && !err.contains(&token), "{err}");
    let vs_read = json!({ "cwd": dir.path(), "sessionId": "s", "hookEventName": "PreToolUse",
        "tool_name": "run_in_terminal", "tool_input": { "command": "cat .env", "explanation": "x" } });
    assert_eq!(hook(dir.path(), &vs_read).0, 2);
    let cursor = json!({ "conversation_id": "c", "generation_id": "g", "cursor_version": "2.0.77",
        "workspace_roots": [dir.path()], "hook_event_name": "beforeShellExecution", "command": "cat .env", "cwd": dir.path() });
    let (exit, _, err) = hook(dir.path(), &cursor);
    assert!(exit == 2 && err.contains(".env"), "{err}");
    let cursor_read = json!({ "cursor_version": "2.0.77", "workspace_roots": [dir.path()], "hook_event_name": "beforeReadFile",
        "file_path": dir.path().join("notes.md"), "content": format!("token {token}") });
    assert_eq!(hook(dir.path(), &cursor_read).0, 2);
    let clean = json!({ "cursor_version": "2.0.77", "workspace_roots": [dir.path()], "hook_event_name": "beforeShellExecution", "command": "ls", "cwd": dir.path() });
    assert_eq!(hook(dir.path(), &clean).0, 0);
}
