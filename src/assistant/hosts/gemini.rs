//! Gemini CLI's host adapter: `BeforeAgent` (the prompt), `BeforeTool`
//! (reads, writes and edits, the shell, searches, web fetches and
//! searches, MCP tools `mcp_server_tool`) and `AfterTool` of the shell and
//! MCP tools (their output). A block is `{"decision": "deny", "reason"}`
//! on standard output with exit 2; after a tool has run, Gemini CLI hands
//! the model the reason in place of the output, which is how guard passes
//! it on masked. Exit 1, a crash or a timeout is only a warning there: the
//! action goes ahead.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::payload::{optional, str_field, strings};
use super::{Event, Host, Reply, Verdict};
use crate::assistant::checks::{Action, Search};

/// The tools guard's `BeforeTool` entry judges (Gemini CLI's matchers are
/// unanchored regexes, so the list is anchored).
pub const TOOL_MATCHER: &str = "^(read_file|read_many_files|write_file|replace|run_shell_command|glob|grep_search|search_file_content|web_fetch|google_web_search|mcp_.*)$";

/// The tools whose output guard's `AfterTool` entry masks.
pub const OUTPUT_MATCHER: &str = "^(run_shell_command|mcp_.*)$";

/// The events guard's entries are on, with their matchers.
pub const EVENTS: [(&str, Option<&str>); 3] =
    [("BeforeAgent", None), ("BeforeTool", Some(TOOL_MATCHER)), ("AfterTool", Some(OUTPUT_MATCHER))];

/// Reads a payload from Gemini CLI.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let name = str_field(payload, "hook_event_name")?;
    let mut event = Event::new(Host::Gemini, name, PathBuf::from(str_field(payload, "cwd")?));
    match name {
        "BeforeAgent" => event.actions.push(Action::Prompt(str_field(payload, "prompt")?.to_string())),
        "BeforeTool" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").context("the BeforeTool event has no \"tool_input\"")?;
            event.actions =
                tool_actions(tool, input).with_context(|| format!("reading the {tool} tool's input"))?;
        }
        "AfterTool" => {
            let tool = str_field(payload, "tool_name")?;
            if tool == "run_shell_command" || tool.starts_with("mcp_") {
                let response = payload.get("tool_response").unwrap_or(&Value::Null);
                let output = response.get("llmContent").unwrap_or(response).clone();
                event.actions.push(Action::Output { text: strings(&output).join("\n") });
                event.output = Some(output);
                event.mcp = tool.starts_with("mcp_");
            }
        }
        _ => {}
    }
    Ok(event)
}

fn tool_actions(tool: &str, input: &Value) -> Result<Vec<Action>> {
    let text = |key: &str| str_field(input, key).map(str::to_string);
    Ok(match tool {
        "read_file" => vec![Action::Read { path: text("file_path")?, content: None }],
        "read_many_files" => input
            .get("include")
            .and_then(Value::as_array)
            .context("\"include\" is not a list")?
            .iter()
            .filter_map(Value::as_str)
            .map(|pattern| Action::List { pattern: pattern.to_string() })
            .collect(),
        "write_file" => vec![Action::Write { path: text("file_path")?, content: text("content")? }],
        "replace" => vec![Action::Write { path: text("file_path")?, content: text("new_string")? }],
        "run_shell_command" => vec![Action::Shell(text("command")?)],
        "glob" => vec![Action::List { pattern: text("pattern")? }],
        "grep_search" | "search_file_content" => vec![Action::Search(Search {
            pattern: text("pattern")?,
            path: optional(input, "dir_path").or(optional(input, "path")).map(str::to_string),
            glob: optional(input, "include").map(str::to_string),
            ..Search::default()
        })],
        "web_fetch" | "google_web_search" => {
            vec![Action::Send { what: format!("this {tool}"), text: strings(input).join("\n") }]
        }
        tool if tool.starts_with("mcp_") => {
            vec![Action::Send { what: format!("this call of {tool}"), text: strings(input).join("\n") }]
        }
        _ => Vec::new(),
    })
}

/// `verdict` as Gemini CLI reads it.
pub fn reply(verdict: &Verdict) -> Reply {
    let reason = match verdict {
        Verdict::Allow => return Reply::default(),
        Verdict::Block(reason) => reason.clone(),
        Verdict::Mask { output, count } => format!(
            "guard masked {count} secret(s) in this tool's output; the output, masked:\n{}",
            strings(output).join("\n")
        ),
    };
    Reply {
        stderr: reason.clone(),
        blocks_by_exit: true,
        ..Reply::json(&json!({ "decision": "deny", "reason": reason }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, fields: Value) -> Event {
        let mut payload = json!({"session_id": "s", "transcript_path": "/t", "cwd": "/p", "hook_event_name": name,
            "timestamp": "2026-08-21T00:00:00Z"});
        payload.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        parse(&payload).unwrap()
    }

    fn tool(name: &str, input: Value) -> Vec<Action> {
        event("BeforeTool", json!({"tool_name": name, "tool_input": input})).actions
    }

    #[test]
    fn every_event_becomes_its_actions() {
        assert!(
            matches!(&event("BeforeAgent", json!({"prompt": "hi"})).actions[..], [Action::Prompt(p)] if p == "hi")
        );
        assert!(
            matches!(&tool("read_file", json!({"file_path": ".env"}))[..], [Action::Read { path, .. }] if path == ".env")
        );
        assert!(matches!(
            &tool("read_many_files", json!({"include": ["**/.env"]}))[..],
            [Action::List { .. }]
        ));
        assert!(
            matches!(&tool("write_file", json!({"file_path": "a", "content": "K"}))[..], [Action::Write { content, .. }] if content == "K")
        );
        assert!(
            matches!(&tool("replace", json!({"file_path": "a", "old_string": "x", "new_string": "y"}))[..], [Action::Write { content, .. }] if content == "y")
        );
        assert!(
            matches!(&tool("run_shell_command", json!({"command": "cat .env", "dir_path": "."}))[..], [Action::Shell(c)] if c == "cat .env")
        );
        assert!(matches!(&tool("grep_search", json!({"pattern": "TOKEN"}))[..], [Action::Search(_)]));
        assert!(matches!(
            &tool("web_fetch", json!({"prompt": "summarise https://x?k=1"}))[..],
            [Action::Send { .. }]
        ));
        assert!(matches!(&tool("mcp_db_query", json!({"sql": "select"}))[..], [Action::Send { .. }]));
        let after = event(
            "AfterTool",
            json!({"tool_name": "run_shell_command", "tool_input": {"command": "env"},
            "tool_response": {"llmContent": "A=1", "returnDisplay": "A=1", "error": null}}),
        );
        assert!(matches!(&after.actions[..], [Action::Output { text }] if text == "A=1"));
        assert!(tool("save_memory", json!({"fact": "f"})).is_empty());
    }

    #[test]
    fn answers_deny_in_json_and_by_exit_2() {
        let block = reply(&Verdict::Block("no".into()));
        assert!(block.blocks_by_exit);
        assert_eq!(
            serde_json::from_str::<Value>(&block.stdout).unwrap(),
            json!({"decision": "deny", "reason": "no"})
        );
        let mask = reply(&Verdict::Mask { output: json!("A=gh***"), count: 1 });
        assert!(mask.stdout.contains("A=gh***"));
        assert_eq!(reply(&Verdict::Allow), Reply::default());
    }
}
