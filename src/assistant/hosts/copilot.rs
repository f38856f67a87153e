//! GitHub Copilot's host adapter, for the hooks file both its hosts read
//! (`.github/hooks/*.json`): the Copilot CLI sends `preToolUse` and
//! `postToolUse` in its camelCase dialect (`toolName`, `toolArgs`, an
//! object or a JSON string; no event name), and `UserPromptSubmit` in the
//! VS Code-compatible one; VS Code's agent mode sends its own payloads
//! (`hookEventName`, its tool names, read by the Claude Code adapter's VS
//! Code reading). A block is JSON on standard output with exit 0: a
//! top-level `permissionDecision` for the CLI and `hookSpecificOutput`
//! for VS Code; a prompt is stopped with `continue: false`. A masked
//! output is the CLI's `modifiedResult`. The CLI cannot stop a prompt
//! (it drops a command hook's answer to one).

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::payload::{added_lines, decoded, optional, str_field, strings};
use super::{Event, Host, Reply, Verdict, claude_code};
use crate::assistant::checks::{Action, Search};

/// The events guard's entries are on, as the file names them: camelCase
/// `preToolUse`/`postToolUse` (the CLI's own dialect; VS Code converts
/// the names) and PascalCase `UserPromptSubmit` (VS Code's event; the CLI
/// has no camelCase name VS Code maps to it).
pub const EVENTS: [&str; 3] = ["preToolUse", "postToolUse", "UserPromptSubmit"];

/// Reads a payload from either Copilot host.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    if payload.get("hookEventName").is_some() || payload.get("hook_event_name").is_some() {
        // VS Code's dialect, and the CLI's VS Code-compatible one.
        let mut event = claude_code::parse(payload)?;
        event.sent_by = Host::Copilot;
        if event.name == "PostToolUse" {
            // Neither lets a hook replace an output in this dialect.
            event.actions.clear();
            event.output = None;
        }
        return Ok(event);
    }
    let cwd = PathBuf::from(str_field(payload, "cwd")?);
    let tool = str_field(payload, "toolName")?;
    let args = payload.get("toolArgs").map(decoded).unwrap_or(Value::Null);
    if let Some(result) = payload.get("toolResult") {
        let mut event = Event::new(Host::Copilot, "postToolUse", cwd);
        let text = optional(result, "textResultForLlm").unwrap_or_default().to_string();
        event.actions.push(Action::Output { text: text.clone() });
        event.output = Some(Value::String(text));
        return Ok(event);
    }
    let mut event = Event::new(Host::Copilot, "preToolUse", cwd);
    event.actions = cli_actions(tool, &args).with_context(|| format!("reading the {tool} tool's input"))?;
    Ok(event)
}

/// The actions of one Copilot CLI tool call. Arguments are read by every
/// name the CLI's tools have been seen to use.
fn cli_actions(tool: &str, args: &Value) -> Result<Vec<Action>> {
    let path = || {
        ["path", "file_path", "filePath"]
            .iter()
            .find_map(|key| optional(args, key))
            .unwrap_or("a file")
            .to_string()
    };
    Ok(match tool {
        "bash" | "powershell" => vec![Action::Shell(str_field(args, "command")?.to_string())],
        "view" => vec![Action::Read { path: path(), content: None }],
        "create" => vec![Action::Write { path: path(), content: strings(args).join("\n") }],
        "edit" | "str_replace_editor" => vec![Action::Write {
            path: path(),
            content: ["new_str", "file_text", "new_string"]
                .iter()
                .filter_map(|k| optional(args, k))
                .collect::<Vec<_>>()
                .join("\n"),
        }],
        "apply_patch" => {
            let patch = args.as_str().map(str::to_string).unwrap_or_else(|| strings(args).join("\n"));
            vec![Action::Write { path: "the patch".to_string(), content: added_lines(&patch) }]
        }
        "grep" | "rg" => vec![Action::Search(Search {
            pattern: str_field(args, "pattern")?.to_string(),
            path: optional(args, "path").map(str::to_string),
            glob: optional(args, "glob").map(str::to_string),
            ..Search::default()
        })],
        "glob" => vec![Action::List { pattern: str_field(args, "pattern")?.to_string() }],
        "web_fetch" | "web_search" => {
            vec![Action::Send { what: format!("this {tool}"), text: strings(args).join("\n") }]
        }
        // Its MCP tools are named `server-tool`; its own tools have none.
        tool if tool.contains('-') => {
            vec![Action::Send { what: format!("this call of {tool}"), text: strings(args).join("\n") }]
        }
        _ => Vec::new(),
    })
}

/// `verdict` as both Copilot hosts read it for `event`, always with exit
/// 0 (the CLI's answer, not its exit code, is what holds everywhere).
pub fn reply(event: &str, verdict: &Verdict) -> Reply {
    let answer = match verdict {
        Verdict::Allow => return Reply::default(),
        Verdict::Mask { output, count } => {
            let text = output.as_str().map(str::to_string).unwrap_or_else(|| strings(output).join("\n"));
            return Reply {
                stderr: format!(
                    "guard: masked {count} secret(s) in this tool's output before the model sees it\n"
                ),
                ..Reply::json(
                    &json!({ "modifiedResult": { "resultType": "success", "textResultForLlm": text } }),
                )
            };
        }
        Verdict::Block(reason) if event == "UserPromptSubmit" => {
            json!({ "continue": false, "stopReason": reason })
        }
        Verdict::Block(reason) => {
            let mut answer = json!({
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": reason
                }
            });
            if event.is_empty() {
                answer["continue"] = json!(false);
                answer["stopReason"] = json!(reason);
            }
            answer
        }
    };
    Reply::json(&answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(tool: &str, args: Value) -> Event {
        parse(&json!({"timestamp": 1_704_614_600_000_u64, "cwd": "/p", "toolName": tool, "toolArgs": args}))
            .unwrap()
    }

    #[test]
    fn cli_payloads_become_actions_whatever_the_arguments_shape() {
        assert!(
            matches!(&cli("bash", json!({"command": "cat .env", "description": "d"})).actions[..], [Action::Shell(c)] if c == "cat .env")
        );
        assert!(
            matches!(&cli("bash", json!("{\"command\":\"cat .env\"}")).actions[..], [Action::Shell(c)] if c == "cat .env")
        );
        assert!(
            matches!(&cli("view", json!("{\"path\":\".env\"}")).actions[..], [Action::Read { path, .. }] if path == ".env")
        );
        assert!(
            matches!(&cli("create", json!({"path": "a.py", "file_text": "K = 1"})).actions[..], [Action::Write { content, .. }] if content.contains("K = 1"))
        );
        assert!(
            matches!(&cli("edit", json!({"path": "a.py", "old_str": "x", "new_str": "y"})).actions[..], [Action::Write { content, .. }] if content == "y")
        );
        assert!(
            matches!(&cli("apply_patch", json!("*** Begin Patch\n+K = 1\n")).actions[..], [Action::Write { content, .. }] if content == "K = 1")
        );
        assert!(matches!(&cli("grep", json!({"pattern": "TOKEN"})).actions[..], [Action::Search(_)]));
        assert!(matches!(&cli("glob", json!({"pattern": "**/.env"})).actions[..], [Action::List { .. }]));
        assert!(matches!(&cli("web_fetch", json!({"url": "https://x"})).actions[..], [Action::Send { .. }]));
        assert!(matches!(
            &cli("github-mcp-server-get_issue", json!({"n": "1"})).actions[..],
            [Action::Send { .. }]
        ));
        assert!(cli("task", json!({"prompt": "p"})).actions.is_empty());
        let post =
            parse(&json!({"timestamp": 1, "cwd": "/p", "toolName": "bash", "toolArgs": {"command": "env"},
            "toolResult": {"resultType": "success", "textResultForLlm": "A=1"}}))
            .unwrap();
        assert!(matches!(&post.actions[..], [Action::Output { text }] if text == "A=1"));
    }

    #[test]
    fn vs_code_payloads_are_read_in_its_names() {
        let vs = json!({"timestamp": "2026-06-03T00:00:00Z", "cwd": "/p", "sessionId": "s", "hookEventName": "PreToolUse",
            "transcript_path": "/t", "tool_name": "read_file", "tool_input": {"filePath": "/p/.env"}, "tool_use_id": "u"});
        let event = parse(&vs).unwrap();
        assert!(matches!(&event.actions[..], [Action::Read { path, .. }] if path == "/p/.env"));
        let prompt = json!({"timestamp": "t", "cwd": "/p", "sessionId": "s", "hookEventName": "UserPromptSubmit", "prompt": "hi"});
        assert_eq!(parse(&prompt).unwrap().name, "UserPromptSubmit");
    }

    #[test]
    fn answers_are_json_with_exit_0() {
        let deny = reply("preToolUse", &Verdict::Block("no".into()));
        assert!(!deny.blocks_by_exit);
        let value: Value = serde_json::from_str(&deny.stdout).unwrap();
        assert_eq!(value["permissionDecision"], "deny");
        assert_eq!(value["hookSpecificOutput"]["permissionDecision"], "deny");
        let prompt: Value =
            serde_json::from_str(&reply("UserPromptSubmit", &Verdict::Block("no".into())).stdout).unwrap();
        assert_eq!(prompt, json!({"continue": false, "stopReason": "no"}));
        assert_eq!(reply("preToolUse", &Verdict::Allow), Reply::default());
        let mask: Value = serde_json::from_str(
            &reply("postToolUse", &Verdict::Mask { output: json!("A=gh***"), count: 1 }).stdout,
        )
        .unwrap();
        assert_eq!(mask["modifiedResult"]["textResultForLlm"], "A=gh***");
    }
}
