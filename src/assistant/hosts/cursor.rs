//! Cursor's host adapter, for the hooks in its own `hooks.json`:
//! `beforeSubmitPrompt` (the prompt), `beforeReadFile` (a file, with the
//! content Cursor read), `beforeShellExecution` (a command),
//! `beforeMCPExecution` (an MCP call, its input a JSON string) and
//! `preToolUse` for the tools those do not cover (writes, searches, web
//! fetches). The answer is JSON on standard output: `permission` allow or
//! deny with `user_message` and `agent_message`, and for a prompt
//! `continue`. guard's entries set `failClosed`, so a hook that crashes,
//! times out or answers garbage blocks.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::payload::{decoded, optional, str_field, strings};
use super::{Event, Host, Reply, Verdict, claude_code};
use crate::assistant::checks::Action;

/// The events guard's entries are on, with the `preToolUse` matcher: the
/// tools no other event covers (a shell call and a read fire their own
/// events too, and an MCP call `beforeMCPExecution`).
pub const EVENTS: [(&str, Option<&str>); 5] = [
    ("beforeSubmitPrompt", None),
    ("beforeReadFile", None),
    ("beforeShellExecution", None),
    ("beforeMCPExecution", None),
    ("preToolUse", Some(PRE_TOOL_MATCHER)),
];

/// The tools guard's `preToolUse` entry judges.
pub const PRE_TOOL_MATCHER: &str = "Write|Grep|WebFetch|WebSearch";

/// Reads a payload from Cursor's own hooks.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let cwd = match optional(payload, "cwd") {
        Some(cwd) if !cwd.is_empty() => cwd,
        _ => payload
            .pointer("/workspace_roots/0")
            .and_then(Value::as_str)
            .context("the hook event has neither \"cwd\" nor \"workspace_roots\"")?,
    };
    let name = str_field(payload, "hook_event_name")?;
    let mut event = Event::new(Host::Cursor, name, PathBuf::from(cwd));
    match name {
        "beforeSubmitPrompt" => event.actions.push(Action::Prompt(str_field(payload, "prompt")?.to_string())),
        "beforeReadFile" => event.actions.push(Action::Read {
            path: str_field(payload, "file_path")?.to_string(),
            content: optional(payload, "content").map(str::to_string),
        }),
        "beforeShellExecution" => {
            event.actions.push(Action::Shell(str_field(payload, "command")?.to_string()))
        }
        "beforeMCPExecution" => {
            let tool = optional(payload, "tool_name").unwrap_or("an MCP tool");
            let input = payload.get("tool_input").map(decoded).unwrap_or(Value::Null);
            event.actions.push(Action::Send {
                what: format!("this call of {tool}"),
                text: strings(&input).join("\n"),
            });
        }
        "preToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").map(decoded).unwrap_or(Value::Null);
            event.actions = match tool {
                // Their own events judge these.
                "Shell" | "Read" => Vec::new(),
                tool if tool.starts_with("MCP:") => Vec::new(),
                "Write" => vec![Action::Write {
                    path: optional(&input, "file_path")
                        .or(optional(&input, "path"))
                        .unwrap_or("a file")
                        .to_string(),
                    content: strings(&input).join("\n"),
                }],
                _ => claude_code::tool_actions(tool, &input)
                    .with_context(|| format!("reading the {tool} tool's input"))?,
            };
        }
        _ => {}
    }
    Ok(event)
}

/// `verdict` as Cursor reads it for `event`.
pub fn reply(event: &str, verdict: &Verdict) -> Reply {
    let reason = match verdict {
        Verdict::Block(reason) => Some(reason.as_str()),
        Verdict::Allow | Verdict::Mask { .. } => None,
    };
    let answer = match (event, reason) {
        ("beforeSubmitPrompt", None) => json!({ "continue": true }),
        ("beforeSubmitPrompt", Some(reason)) => json!({ "continue": false, "user_message": reason }),
        (_, None) => json!({ "permission": "allow" }),
        ("beforeReadFile", Some(reason)) => json!({ "permission": "deny", "user_message": reason }),
        // An event guard could not read: every field that blocks.
        ("", Some(reason)) => json!({
            "continue": false, "permission": "deny", "user_message": reason, "agent_message": reason
        }),
        (_, Some(reason)) => json!({ "permission": "deny", "user_message": reason, "agent_message": reason }),
    };
    Reply { stderr: reason.map(str::to_string).unwrap_or_default(), ..Reply::json(&answer) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, fields: Value) -> Event {
        let mut payload = json!({
            "conversation_id": "c", "generation_id": "g", "model": "m", "hook_event_name": name,
            "cursor_version": "1.7.2", "workspace_roots": ["/w"], "user_email": null, "transcript_path": null
        });
        payload.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        parse(&payload).unwrap()
    }

    #[test]
    fn every_event_becomes_its_actions() {
        let prompt = event("beforeSubmitPrompt", json!({"prompt": "p", "attachments": []}));
        assert_eq!(prompt.cwd, PathBuf::from("/w"));
        assert!(matches!(&prompt.actions[..], [Action::Prompt(p)] if p == "p"));
        let read =
            event("beforeReadFile", json!({"file_path": "/w/.env", "content": "A=1", "attachments": []}));
        assert!(matches!(&read.actions[..], [Action::Read { content: Some(c), .. }] if c == "A=1"));
        let shell =
            event("beforeShellExecution", json!({"command": "cat .env", "cwd": "/w/sub", "sandbox": false}));
        assert_eq!(shell.cwd, PathBuf::from("/w/sub"));
        assert!(matches!(&shell.actions[..], [Action::Shell(c)] if c == "cat .env"));
        let mcp = event(
            "beforeMCPExecution",
            json!({"tool_name": "query", "tool_input": "{\"sql\": \"select 1\"}", "mcp_server_name": "db", "command": "db-server"}),
        );
        assert!(matches!(&mcp.actions[..], [Action::Send { text, .. }] if text == "select 1"));
        let write = event(
            "preToolUse",
            json!({"tool_name": "Write", "tool_input": {"file_path": "/w/a.py", "content": "x = 1"}, "tool_use_id": "t", "cwd": ""}),
        );
        assert!(
            matches!(&write.actions[..], [Action::Write { path, content }] if path == "/w/a.py" && content.contains("x = 1"))
        );
        let shell_tool = event("preToolUse", json!({"tool_name": "Shell", "tool_input": {"command": "ls"}}));
        assert!(shell_tool.actions.is_empty(), "beforeShellExecution judges it");
        assert!(event("stop", json!({"status": "completed"})).actions.is_empty());
    }

    #[test]
    fn answers_are_cursors_json() {
        let deny = Verdict::Block("no".into());
        let json = |reply: Reply| serde_json::from_str::<Value>(&reply.stdout).unwrap();
        assert_eq!(json(reply("beforeSubmitPrompt", &Verdict::Allow)), json!({"continue": true}));
        assert_eq!(
            json(reply("beforeSubmitPrompt", &deny)),
            json!({"continue": false, "user_message": "no"})
        );
        assert_eq!(json(reply("beforeReadFile", &Verdict::Allow)), json!({"permission": "allow"}));
        assert_eq!(json(reply("beforeReadFile", &deny)), json!({"permission": "deny", "user_message": "no"}));
        let shell = reply("beforeShellExecution", &deny);
        assert!(!shell.blocks_by_exit);
        assert_eq!(json(shell), json!({"permission": "deny", "user_message": "no", "agent_message": "no"}));
        assert_eq!(json(reply("", &deny))["continue"], json!(false));
    }
}
