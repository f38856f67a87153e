//! Kiro's host adapter, for the v1 hooks files its IDE (1.0) and CLI (V3
//! engine) read (`.kiro/hooks/*.json`): `UserPromptSubmit` (the prompt)
//! and `PreToolUse` (its tools: `fs_read`/`read`, `fs_write`/`write`,
//! `str_replace`, `execute_bash`/`shell`, MCP tools `@server/tool`). The
//! older CLI agents' camelCase events (`userPromptSubmit`, `preToolUse`)
//! are read too. Exit 2 blocks with the reason on standard error; any
//! other failure only warns there, and Kiro cannot mask a tool's output.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::Value;

use super::payload::{optional, str_field, strings};
use super::{Event, Host};
use crate::assistant::checks::Action;

/// The triggers guard's hooks are on, with the `PreToolUse` matcher.
pub const EVENTS: [(&str, Option<&str>); 2] =
    [("UserPromptSubmit", None), ("PreToolUse", Some(TOOL_MATCHER))];

/// The tools guard's `PreToolUse` hook judges, by their internal and their
/// short names, and every MCP tool.
pub const TOOL_MATCHER: &str = "fs_read|read|fs_write|write|str_replace|execute_bash|shell|web_fetch|@.*";

/// Reads a payload from Kiro.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let name = str_field(payload, "hook_event_name")?;
    let mut event = Event::new(Host::Kiro, name, PathBuf::from(str_field(payload, "cwd")?));
    match name {
        "UserPromptSubmit" | "userPromptSubmit" => {
            event.actions.push(Action::Prompt(optional(payload, "prompt").unwrap_or_default().to_string()));
        }
        "PreToolUse" | "preToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").context("the PreToolUse event has no \"tool_input\"")?;
            event.actions =
                tool_actions(tool, input).with_context(|| format!("reading the {tool} tool's input"))?;
        }
        _ => {}
    }
    Ok(event)
}

fn tool_actions(tool: &str, input: &Value) -> Result<Vec<Action>> {
    let path = || optional(input, "path").unwrap_or("a file").to_string();
    Ok(match tool {
        "fs_read" | "read" => {
            let operations = input.get("operations").and_then(Value::as_array);
            let paths: Vec<String> = match operations {
                Some(operations) => {
                    operations.iter().filter_map(|op| optional(op, "path")).map(str::to_string).collect()
                }
                None => vec![path()],
            };
            paths.into_iter().map(|path| Action::Read { path, content: None }).collect()
        }
        "fs_write" | "write" => {
            let content: Vec<&str> = ["file_text", "text", "new_str", "content"]
                .iter()
                .filter_map(|key| optional(input, key))
                .collect();
            vec![Action::Write { path: path(), content: content.join("\n") }]
        }
        "str_replace" => {
            let content = optional(input, "newStr").or(optional(input, "new_str")).unwrap_or_default();
            vec![Action::Write { path: path(), content: content.to_string() }]
        }
        "execute_bash" | "shell" => vec![Action::Shell(str_field(input, "command")?.to_string())],
        "web_fetch" => {
            vec![Action::Send { what: "this web fetch".to_string(), text: strings(input).join("\n") }]
        }
        tool if tool.starts_with('@') => {
            vec![Action::Send { what: format!("this call of {tool}"), text: strings(input).join("\n") }]
        }
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str, input: Value) -> Vec<Action> {
        parse(&json!({"hook_event_name": "PreToolUse", "cwd": "/w", "session_id": "sess_1", "tool_name": name, "tool_input": input}))
            .unwrap()
            .actions
    }

    #[test]
    fn every_tool_becomes_its_actions() {
        let prompt = parse(&json!({"hook_event_name": "UserPromptSubmit", "cwd": "/w", "session_id": "sess_1", "prompt": "hi"})).unwrap();
        assert!(matches!(&prompt.actions[..], [Action::Prompt(p)] if p == "hi"));
        assert!(
            matches!(&tool("fs_read", json!({"operations": [{"mode": "Line", "path": ".env"}]}))[..], [Action::Read { path, .. }] if path == ".env")
        );
        assert!(
            matches!(&tool("fs_write", json!({"command": "create", "path": "a", "file_text": "K"}))[..], [Action::Write { content, .. }] if content == "K")
        );
        assert!(
            matches!(&tool("fs_write", json!({"path": "a", "text": "K"}))[..], [Action::Write { content, .. }] if content == "K")
        );
        assert!(
            matches!(&tool("str_replace", json!({"path": "a", "oldStr": "x", "newStr": "y"}))[..], [Action::Write { content, .. }] if content == "y")
        );
        assert!(
            matches!(&tool("execute_bash", json!({"command": "cat .env", "cwd": "/w"}))[..], [Action::Shell(c)] if c == "cat .env")
        );
        assert!(matches!(&tool("@db/query", json!({"sql": "select"}))[..], [Action::Send { .. }]));
        let legacy = parse(&json!({"hook_event_name": "preToolUse", "cwd": "/w", "tool_name": "execute_bash", "tool_input": {"command": "ls"}})).unwrap();
        assert!(matches!(&legacy.actions[..], [Action::Shell(c)] if c == "ls"));
        assert!(tool("todo_list", json!({})).is_empty());
    }
}
