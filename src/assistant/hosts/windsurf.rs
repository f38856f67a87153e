//! Windsurf's (Cascade's) host adapter: `pre_user_prompt` (the prompt),
//! `pre_read_code` (a file or directory), `pre_write_code` (a file's
//! edits), `pre_run_command` (a command line) and `pre_mcp_tool_use` (an
//! MCP call). The event's details are under `tool_info`. Exit 2 blocks
//! with the reason on standard error; Windsurf reads no JSON answer and
//! lets an action through when a hook exits otherwise, so guard's entry
//! turns any other failure into exit 2 itself.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use super::payload::{optional, str_field, strings};
use super::{Event, Host};
use crate::assistant::checks::Action;

/// The events guard's entries are on.
pub const EVENTS: [&str; 5] =
    ["pre_user_prompt", "pre_read_code", "pre_write_code", "pre_run_command", "pre_mcp_tool_use"];

/// Reads a payload from Windsurf.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let name = str_field(payload, "agent_action_name")?;
    let info = payload.get("tool_info").context("the hook event has no \"tool_info\"")?;
    // Only a command says where it runs: a file's directory is where its
    // repository is; otherwise the workspace the hook runs in.
    let cwd = match (optional(info, "cwd"), optional(info, "file_path")) {
        (Some(cwd), _) => PathBuf::from(cwd),
        (None, Some(file)) => Path::new(file).parent().map(Path::to_path_buf).unwrap_or_default(),
        (None, None) => std::env::current_dir().context("finding the current directory")?,
    };
    let mut event = Event::new(Host::Windsurf, name, cwd);
    match name {
        "pre_user_prompt" => event.actions.push(Action::Prompt(str_field(info, "user_prompt")?.to_string())),
        "pre_read_code" => event
            .actions
            .push(Action::Read { path: str_field(info, "file_path")?.to_string(), content: None }),
        "pre_write_code" => {
            let edits = info.get("edits").and_then(Value::as_array).context("\"edits\" is not a list")?;
            let content: Vec<&str> = edits.iter().filter_map(|e| optional(e, "new_string")).collect();
            event.actions.push(Action::Write {
                path: str_field(info, "file_path")?.to_string(),
                content: content.join("\n"),
            });
        }
        "pre_run_command" => event.actions.push(Action::Shell(str_field(info, "command_line")?.to_string())),
        "pre_mcp_tool_use" => {
            let tool = optional(info, "mcp_tool_name").unwrap_or("an MCP tool");
            let input = info.get("mcp_tool_arguments").unwrap_or(&Value::Null);
            event
                .actions
                .push(Action::Send { what: format!("this call of {tool}"), text: strings(input).join("\n") });
        }
        _ => {}
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, info: Value) -> Event {
        parse(&json!({"agent_action_name": name, "trajectory_id": "t", "execution_id": "e",
            "timestamp": "2026-03-01T00:00:00Z", "tool_info": info}))
        .unwrap()
    }

    #[test]
    fn every_event_becomes_its_actions() {
        let prompt = event("pre_user_prompt", json!({"user_prompt": "hi"}));
        assert!(matches!(&prompt.actions[..], [Action::Prompt(p)] if p == "hi"));
        let read = event("pre_read_code", json!({"file_path": "/w/.env"}));
        assert_eq!(read.cwd, PathBuf::from("/w"));
        assert!(matches!(&read.actions[..], [Action::Read { path, .. }] if path == "/w/.env"));
        let write = event(
            "pre_write_code",
            json!({"file_path": "/w/a.py", "edits": [{"old_string": "", "new_string": "K = 1"}]}),
        );
        assert!(matches!(&write.actions[..], [Action::Write { content, .. }] if content == "K = 1"));
        let run = event("pre_run_command", json!({"command_line": "cat .env", "cwd": "/w/sub"}));
        assert_eq!(run.cwd, PathBuf::from("/w/sub"));
        assert!(matches!(&run.actions[..], [Action::Shell(c)] if c == "cat .env"));
        let mcp = event(
            "pre_mcp_tool_use",
            json!({"mcp_server_name": "db", "mcp_tool_name": "query", "mcp_tool_arguments": {"sql": "select"}, "cwd": "/w"}),
        );
        assert!(matches!(&mcp.actions[..], [Action::Send { text, .. }] if text == "select"));
        assert!(event("post_cascade_response", json!({"response": "r", "cwd": "/w"})).actions.is_empty());
    }
}
