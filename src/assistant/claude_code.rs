//! Claude Code's host adapter: its hook payload turned into guard's
//! actions, and guard's decision turned into its answer. Events:
//! `UserPromptSubmit` (the prompt), `PreToolUse` (every tool: reads,
//! searches, globs, writes and edits, Bash, web fetches and searches, MCP
//! calls) and `PostToolUse` of MCP tools (their output, which Claude Code
//! lets a hook replace). Exit 2 blocks, with the reason on standard error;
//! a replaced output is JSON on standard output. Field names are those of
//! Claude Code's hooks reference (docs/DECISIONS.md has the page and date).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::checks::{Action, Search};

/// One event as guard judges it.
#[derive(Debug)]
pub struct Event {
    /// The directory the assistant works in.
    pub cwd: PathBuf,
    /// What the assistant is about to do (empty: nothing guard judges).
    pub actions: Vec<Action>,
    /// For an MCP tool's output: the output, to be answered masked.
    pub output: Option<Value>,
}

/// Reads the payload Claude Code hands a hook.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let cwd = PathBuf::from(str_field(payload, "cwd")?);
    let mut event = Event { cwd, actions: Vec::new(), output: None };
    match str_field(payload, "hook_event_name")? {
        "UserPromptSubmit" => event.actions.push(Action::Prompt(str_field(payload, "prompt")?.to_string())),
        "PreToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").context("the PreToolUse event has no \"tool_input\"")?;
            event.actions =
                tool_actions(tool, input).with_context(|| format!("reading the {tool} tool's input"))?;
        }
        "PostToolUse" if str_field(payload, "tool_name")?.starts_with("mcp__") => {
            let output = payload.get("tool_response").cloned().unwrap_or(Value::Null);
            let text = strings(&output).join("\n");
            event.actions.push(Action::Output { text });
            event.output = Some(output);
        }
        _ => {}
    }
    Ok(event)
}

/// The actions of one tool call.
fn tool_actions(tool: &str, input: &Value) -> Result<Vec<Action>> {
    let text = |key: &str| str_field(input, key).map(str::to_string);
    let optional = |key: &str| input.get(key).and_then(Value::as_str).map(str::to_string);
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
        "Bash" => vec![Action::Shell(text("command")?)],
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

/// Every string in a JSON value, in order.
pub fn strings(value: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

fn collect<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(text) => out.push(text),
        Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
        Value::Object(members) => members.values().for_each(|item| collect(item, out)),
        _ => {}
    }
}

fn str_field<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    match value.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => bail!("the hook event's {key:?} is not a string"),
        None => bail!("the hook event has no {key:?}"),
    }
}

/// The answer that replaces an MCP tool's output with `masked`.
pub fn replaced_output(masked: Value) -> Value {
    json!({
        "hookSpecificOutput": {
            "hookEventName": "PostToolUse",
            "updatedMCPToolOutput": masked,
        }
    })
}

/// `value` with every string's `secrets` replaced by their masks.
pub fn masked(value: &Value, secrets: &[(String, String)]) -> Value {
    match value {
        Value::String(text) => {
            let mut text = text.clone();
            for (secret, mask) in secrets {
                text = text.replace(secret.as_str(), mask);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| masked(item, secrets)).collect()),
        Value::Object(members) => {
            Value::Object(members.iter().map(|(key, item)| (key.clone(), masked(item, secrets))).collect())
        }
        other => other.clone(),
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
    fn masking_keeps_the_outputs_shape() {
        let output =
            json!({"content": [{"type": "text", "text": "key=SECRET1 and SECRET1"}], "isError": false});
        let masked = masked(&output, &[("SECRET1".to_string(), "SE*****".to_string())]);
        assert_eq!(
            masked,
            json!({"content": [{"type": "text", "text": "key=SE***** and SE*****"}], "isError": false})
        );
    }
}
