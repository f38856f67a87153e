//! Claude Code's host adapter: its hook payload turned into guard's
//! actions, and guard's decision turned into its answer. Events:
//! `UserPromptSubmit` (the prompt), `PreToolUse` (every tool: reads,
//! searches, globs, writes and edits, Bash, web fetches and searches, MCP
//! calls) and `PostToolUse` of shell and MCP tools (their output, which
//! Claude Code lets a hook replace). Exit 2 blocks, with the reason on
//! standard error; a replaced output is JSON on standard output. The hosts
//! that run hooks from Claude Code's settings (VS Code's agent mode,
//! Cursor) are recognised from their payloads and read by their own field
//! and tool names; exit 2 blocks in each.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::payload::{optional, str_field, strings};
use super::{Event, Host, Reply, Verdict};
use crate::assistant::checks::{Action, Search};

/// The host that sent a payload to a hook in Claude Code's settings:
/// Cursor names its version; VS Code names the event `hookEventName`; the
/// Copilot CLI, in Claude Code's dialect, adds a `timestamp`, which Claude
/// Code never sends.
fn sender(payload: &Value) -> Host {
    if payload.get("cursor_version").is_some() {
        Host::Cursor
    } else if payload.get("hookEventName").is_some() || payload.get("timestamp").is_some() {
        Host::Copilot
    } else {
        Host::ClaudeCode
    }
}

/// Whether `payload` is in VS Code's dialect (its event key, tool names
/// and camelCase input).
fn is_vs_code(payload: &Value) -> bool {
    payload.get("hookEventName").is_some() && payload.get("hook_event_name").is_none()
}

/// Reads the payload Claude Code hands a hook.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let host = sender(payload);
    let cwd = match (host, optional(payload, "cwd")) {
        // Cursor leaves `cwd` out of some events, or empty: its first
        // workspace root.
        (Host::Cursor, None | Some("")) => PathBuf::from(
            payload
                .pointer("/workspace_roots/0")
                .and_then(Value::as_str)
                .context("the hook event has no \"cwd\"")?,
        ),
        _ => PathBuf::from(str_field(payload, "cwd")?),
    };
    let vs_code = is_vs_code(payload);
    let name = str_field(payload, if vs_code { "hookEventName" } else { "hook_event_name" })?;
    let mut event = Event::new(host, name, cwd);
    match name {
        "UserPromptSubmit" | "beforeSubmitPrompt" => {
            event.actions.push(Action::Prompt(str_field(payload, "prompt")?.to_string()));
        }
        "PreToolUse" | "preToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").context("the PreToolUse event has no \"tool_input\"")?;
            let actions = if vs_code { vs_code_actions(tool, input) } else { tool_actions(tool, input) };
            event.actions = actions.with_context(|| format!("reading the {tool} tool's input"))?;
        }
        "beforeShellExecution" => {
            event.actions.push(Action::Shell(str_field(payload, "command")?.to_string()))
        }
        "beforeReadFile" => event.actions.push(Action::Read {
            path: str_field(payload, "file_path")?.to_string(),
            content: payload.get("content").and_then(Value::as_str).map(str::to_string),
        }),
        "beforeMCPExecution" => {
            let tool = payload.get("tool_name").and_then(Value::as_str).unwrap_or("an MCP tool");
            let input = payload.get("tool_input").map(|input| strings(input).join("\n")).unwrap_or_default();
            event.actions.push(Action::Send { what: format!("this call of {tool}"), text: input });
        }
        // Only Claude Code lets a hook replace a tool's output.
        "PostToolUse" if host == Host::ClaudeCode && masks_output(str_field(payload, "tool_name")?) => {
            let output = payload.get("tool_response").cloned().unwrap_or(Value::Null);
            let text = strings(&output).join("\n");
            event.actions.push(Action::Output { text });
            event.output = Some(output);
            event.mcp = str_field(payload, "tool_name")?.starts_with("mcp__");
        }
        _ => {}
    }
    Ok(event)
}

/// Whether guard masks the output of `tool`: a shell's (what it printed,
/// which no reading of the command foresees whole) and an MCP tool's.
fn masks_output(tool: &str) -> bool {
    matches!(tool, "Bash" | "PowerShell") || tool.starts_with("mcp__")
}

/// The actions of one VS Code tool call (its own tool names, camelCase
/// input).
pub fn vs_code_actions(tool: &str, input: &Value) -> Result<Vec<Action>> {
    let text = |key: &str| str_field(input, key).map(str::to_string);
    let optional = |key: &str| optional(input, key).map(str::to_string);
    Ok(match tool {
        "run_in_terminal" => vec![Action::Shell(text("command")?)],
        "read_file" => vec![Action::Read { path: text("filePath")?, content: None }],
        "create_file" => vec![Action::Write { path: text("filePath")?, content: text("content")? }],
        "replace_string_in_file" => {
            vec![Action::Write { path: text("filePath")?, content: text("newString")? }]
        }
        "insert_edit_into_file" => vec![Action::Write { path: text("filePath")?, content: text("code")? }],
        "multi_replace_string_in_file" => input
            .get("replacements")
            .and_then(Value::as_array)
            .context("\"replacements\" is not a list")?
            .iter()
            .map(|r| Action::Write {
                path: r.get("filePath").and_then(Value::as_str).unwrap_or_default().to_string(),
                content: r.get("newString").and_then(Value::as_str).unwrap_or_default().to_string(),
            })
            .collect(),
        "apply_patch" => {
            vec![Action::Write {
                path: "the patch".to_string(),
                content: super::payload::added_lines(&text("input")?),
            }]
        }
        "grep_search" => {
            let query = text("query")?;
            let regex = input.get("isRegexp").and_then(Value::as_bool).unwrap_or(false);
            vec![Action::Search(Search {
                pattern: if regex { query } else { regex::escape(&query) },
                glob: optional("includePattern"),
                ignore_case: true,
                ..Search::default()
            })]
        }
        "file_search" => vec![Action::List { pattern: text("query")? }],
        "fetch_webpage" => {
            vec![Action::Send { what: "this web fetch".to_string(), text: strings(input).join("\n") }]
        }
        tool if tool.starts_with("mcp_") => {
            vec![Action::Send { what: format!("this call of {tool}"), text: strings(input).join("\n") }]
        }
        _ => Vec::new(),
    })
}

/// The actions of one tool call.
pub fn tool_actions(tool: &str, input: &Value) -> Result<Vec<Action>> {
    let text = |key: &str| str_field(input, key).map(str::to_string);
    let optional = |key: &str| optional(input, key).map(str::to_string);
    Ok(match tool {
        "Read" => vec![Action::Read { path: text("file_path")?, content: None }],
        "Write" => vec![Action::Write { path: text("file_path")?, content: text("content")? }],
        "Edit" => vec![Action::Write { path: text("file_path")?, content: text("new_string")? }],
        "MultiEdit" => {
            let path = text("file_path")?;
            let edits = input.get("edits").and_then(Value::as_array).context("\"edits\" is not a list")?;
            let content: Vec<&str> =
                edits.iter().filter_map(|edit| edit.get("new_string").and_then(Value::as_str)).collect();
            vec![Action::Write { path, content: content.join("\n") }]
        }
        "NotebookEdit" => {
            vec![Action::Write {
                path: text("notebook_path")?,
                content: optional("new_source").unwrap_or_default(),
            }]
        }
        "Grep" => {
            let flag = |key: &str| input.get(key).and_then(Value::as_bool).unwrap_or(false);
            let context =
                ["-A", "-B", "-C", "context"].iter().any(|key| input.get(*key).is_some_and(|v| !v.is_null()));
            vec![Action::Search(Search {
                pattern: text("pattern")?,
                path: optional("path"),
                glob: optional("glob"),
                file_type: optional("type"),
                ignore_case: flag("-i"),
                every_line: context || flag("multiline"),
            })]
        }
        "Glob" => vec![Action::List { pattern: text("pattern")? }],
        "Bash" | "PowerShell" | "Shell" => vec![Action::Shell(text("command")?)],
        "WebFetch" => {
            vec![Action::Send { what: "this web fetch".to_string(), text: strings(input).join("\n") }]
        }
        "WebSearch" => {
            vec![Action::Send { what: "this web search".to_string(), text: strings(input).join("\n") }]
        }
        tool if tool.starts_with("mcp__") => {
            vec![Action::Send { what: format!("this call of {tool}"), text: strings(input).join("\n") }]
        }
        // Every other tool (a subagent's task, a to-do list) stays on the
        // machine or goes to the model, which wrote its input.
        _ => Vec::new(),
    })
}

/// The answer that replaces a tool's output with `masked`:
/// `updatedToolOutput` (Claude Code 2.1.121 and later, every tool) and,
/// for an MCP tool, the older `updatedMCPToolOutput` too.
pub fn replaced_output(masked: Value, mcp: bool) -> Value {
    let mut output = json!({ "hookEventName": "PostToolUse", "updatedToolOutput": masked.clone() });
    if mcp {
        output["updatedMCPToolOutput"] = masked;
    }
    json!({ "hookSpecificOutput": output })
}

/// `verdict` as Claude Code (and the hosts that run its settings' hooks)
/// reads it: exit 2 with the reason on standard error blocks; a masked
/// output is the JSON that replaces it.
pub fn reply(verdict: &Verdict, mcp: bool) -> Reply {
    match verdict {
        Verdict::Allow => Reply::default(),
        Verdict::Block(reason) => Reply::exit_2(reason),
        Verdict::Mask { output, count } => Reply {
            stderr: format!(
                "guard: masked {count} secret(s) in this tool's output before the model sees it\n"
            ),
            ..Reply::json(&replaced_output(output.clone(), mcp))
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str, input: Value) -> Vec<Action> {
        let payload =
            json!({"hook_event_name": "PreToolUse", "cwd": "/p", "tool_name": name, "tool_input": input});
        parse(&payload).unwrap().actions
    }

    #[test]
    fn every_tool_becomes_an_action() {
        assert!(matches!(&tool("Edit", json!({"file_path": "a", "old_string": "x", "new_string": "y"}))[..],
            [Action::Write { content, .. }] if content == "y"));
        let multi = tool(
            "MultiEdit",
            json!({"file_path": "a", "edits": [{"old_string": "1", "new_string": "p"}, {"old_string": "2", "new_string": "q"}]}),
        );
        assert!(matches!(&multi[..], [Action::Write { content, .. }] if content == "p\nq"));
        assert!(matches!(&tool("Glob", json!({"pattern": "**/.env*"}))[..], [Action::List { .. }]));
        assert!(
            matches!(&tool("WebFetch", json!({"url": "https://x", "prompt": "p"}))[..], [Action::Send { text, .. }] if text.contains("https://x"))
        );
        assert!(matches!(&tool("mcp__db__query", json!({"sql": "select"}))[..], [Action::Send { .. }]));
        assert!(tool("TodoWrite", json!({"todos": []})).is_empty());
        assert!(
            parse(
                &json!({"hook_event_name": "PreToolUse", "cwd": "/p", "tool_name": "Read", "tool_input": {}})
            )
            .is_err()
        );
    }

    #[test]
    fn vs_code_and_cursor_payloads_are_read_in_their_own_names() {
        let vs = json!({"hookEventName": "PreToolUse", "sessionId": "s", "timestamp": "t", "cwd": "/p",
            "tool_name": "create_file", "tool_input": {"filePath": "/p/a.py", "content": "x = 1"}});
        let event = parse(&vs).unwrap();
        assert_eq!(event.sent_by, Host::Copilot);
        assert!(
            matches!(&event.actions[..], [Action::Write { path, content }] if path == "/p/a.py" && content == "x = 1")
        );
        let vs = json!({"hookEventName": "PreToolUse", "cwd": "/p", "tool_name": "run_in_terminal", "tool_input": {"command": "cat .env"}});
        assert!(matches!(&parse(&vs).unwrap().actions[..], [Action::Shell(c)] if c == "cat .env"));
        let cursor = json!({"hook_event_name": "beforeShellExecution", "cursor_version": "2.0.77", "command": "cat .env", "cwd": "/p", "workspace_roots": ["/p"]});
        let event = parse(&cursor).unwrap();
        assert_eq!(event.sent_by, Host::Cursor);
        assert!(matches!(&event.actions[..], [Action::Shell(c)] if c == "cat .env"));
        let cursor = json!({"hook_event_name": "preToolUse", "cursor_version": "2.0.77", "workspace_roots": ["/w"],
            "tool_name": "Shell", "tool_input": {"command": "ls", "working_directory": "/w"}});
        let event = parse(&cursor).unwrap();
        assert_eq!(event.cwd, PathBuf::from("/w"));
        assert!(matches!(&event.actions[..], [Action::Shell(c)] if c == "ls"));
        let read = json!({"hook_event_name": "beforeReadFile", "cursor_version": "2", "workspace_roots": ["/w"], "file_path": "/w/.env", "content": "A=1"});
        assert!(
            matches!(&parse(&read).unwrap().actions[..], [Action::Read { content: Some(c), .. }] if c == "A=1")
        );
        let cli = json!({"hook_event_name": "PreToolUse", "session_id": "s", "timestamp": "2026-09-01T00:00:00Z", "cwd": "/p",
            "tool_name": "Bash", "tool_input": {"command": "cat .env"}});
        let event = parse(&cli).unwrap();
        assert_eq!(event.sent_by, Host::Copilot, "the Copilot CLI in Claude Code's dialect");
        assert!(matches!(&event.actions[..], [Action::Shell(c)] if c == "cat .env"));
        let post = json!({"hookEventName": "PostToolUse", "cwd": "/p", "tool_name": "run_in_terminal", "tool_input": {}, "tool_response": "x"});
        assert!(parse(&post).unwrap().actions.is_empty(), "VS Code cannot replace an output");
    }
}
