//! Cline's host adapter, for the hook scripts in its hooks directories
//! (one executable per event, named after it): `UserPromptSubmit` (the
//! prompt) and `PreToolUse` (its tools, each parameter a string; the
//! legacy extension's names and the SDK build's). The answer is JSON on
//! standard output, read whatever the exit code: `cancel: true` with an
//! `errorMessage` stops the task (Cline has no way to refuse one tool
//! call and go on). A hook that crashes or times out lets the tool run, so
//! guard's script answers `cancel` itself when guard fails.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::payload::{added_lines, decoded, optional, str_field, strings};
use super::{Event, Host, Reply, Verdict};
use crate::assistant::checks::{Action, Search};

/// The events guard's scripts are on.
pub const EVENTS: [&str; 2] = ["PreToolUse", "UserPromptSubmit"];

/// Reads a payload from Cline.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let cwd = payload
        .pointer("/workspaceRoots/0")
        .and_then(Value::as_str)
        .or(optional(payload, "workspacePath"))
        .context("the hook event has no \"workspaceRoots\"")?;
    let name = str_field(payload, "hookName")?;
    let mut event = Event::new(Host::Cline, name, PathBuf::from(cwd));
    if let Some(prompt) = payload.get("userPromptSubmit") {
        event.actions.push(Action::Prompt(optional(prompt, "prompt").unwrap_or_default().to_string()));
    } else if let Some(call) = payload.get("preToolUse") {
        let tool = str_field(call, "toolName")?;
        let parameters = call.get("parameters").unwrap_or(&Value::Null);
        event.actions =
            tool_actions(tool, parameters).with_context(|| format!("reading the {tool} tool's input"))?;
    }
    Ok(event)
}

/// The actions of one tool call, by the legacy extension's tool names and
/// the SDK build's.
fn tool_actions(tool: &str, parameters: &Value) -> Result<Vec<Action>> {
    let text = |key: &str| str_field(parameters, key).map(str::to_string);
    let every = || strings(parameters).join("\n");
    Ok(match tool {
        "read_file" => vec![Action::Read { path: text("path")?, content: None }],
        "read_files" => read_files(parameters),
        "write_to_file" => vec![Action::Write { path: text("path")?, content: text("content")? }],
        "replace_in_file" => {
            vec![Action::Write { path: text("path")?, content: replaced_text(&text("diff")?) }]
        }
        "editor" => vec![Action::Write {
            path: text("path")?,
            content: optional(parameters, "new_text").unwrap_or_default().to_string(),
        }],
        "apply_patch" => {
            vec![Action::Write { path: "the patch".to_string(), content: added_lines(&text("input")?) }]
        }
        "execute_command" => vec![Action::Shell(text("command")?)],
        "run_commands" => run_commands(parameters),
        "search_files" => vec![Action::Search(Search {
            pattern: text("regex")?,
            path: optional(parameters, "path").map(str::to_string),
            glob: optional(parameters, "file_pattern").map(str::to_string),
            ..Search::default()
        })],
        "use_mcp_tool" | "access_mcp_resource" => {
            let name =
                optional(parameters, "tool_name").or(optional(parameters, "uri")).unwrap_or("an MCP tool");
            let arguments = parameters.get("arguments").map(decoded).unwrap_or(Value::Null);
            let mut text = strings(&arguments).join("\n");
            text.push('\n');
            text.push_str(&every());
            vec![Action::Send { what: format!("this call of {name}"), text }]
        }
        "web_fetch" | "browser_action" => vec![Action::Send { what: format!("this {tool}"), text: every() }],
        // The SDK build names MCP tools `server__tool`.
        tool if tool.contains("__") => {
            vec![Action::Send { what: format!("this call of {tool}"), text: every() }]
        }
        _ => Vec::new(),
    })
}

/// `read_files`'s files: a JSON string of a list of paths or of objects
/// with `path`.
fn read_files(parameters: &Value) -> Vec<Action> {
    let files = parameters.get("files").or(parameters.get("paths")).map(decoded).unwrap_or(Value::Null);
    let paths: Vec<String> = match &files {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().or(optional(item, "path")).map(str::to_string))
            .collect(),
        Value::String(one) => vec![one.clone()],
        _ => optional(parameters, "path").map(str::to_string).into_iter().collect(),
    };
    paths.into_iter().map(|path| Action::Read { path, content: None }).collect()
}

/// `run_commands`'s commands: a JSON string of a list of strings or of
/// `{command, args}`.
fn run_commands(parameters: &Value) -> Vec<Action> {
    let commands = parameters.get("commands").map(decoded).unwrap_or(Value::Null);
    let list = match &commands {
        Value::Array(items) => items.clone(),
        Value::Null => parameters.get("command").cloned().into_iter().collect(),
        other => vec![other.clone()],
    };
    list.iter()
        .map(|command| match command {
            Value::String(line) => Action::Shell(line.clone()),
            other => Action::Shell(strings(other).join(" ")),
        })
        .collect()
}

/// The text a `replace_in_file` diff writes: each block's part between
/// `=======` and `+++++++ REPLACE`.
fn replaced_text(diff: &str) -> String {
    let mut out = Vec::new();
    let mut replacing = false;
    for line in diff.lines() {
        if line.starts_with("=======") {
            replacing = true;
        } else if line.starts_with("+++++++") || line.starts_with(">>>>>>>") || line.starts_with("-------") {
            replacing = false;
        } else if replacing {
            out.push(line);
        }
    }
    out.join("\n")
}

/// `verdict` as Cline reads it: `cancel` with the reason, exit 0.
pub fn reply(verdict: &Verdict) -> Reply {
    match verdict {
        Verdict::Block(reason) => Reply::json(&json!({ "cancel": true, "errorMessage": reason })),
        Verdict::Allow | Verdict::Mask { .. } => Reply::json(&json!({ "cancel": false })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str, parameters: Value) -> Vec<Action> {
        let payload = json!({"clineVersion": "3.36.0", "hookName": "PreToolUse", "timestamp": "1736654400000",
            "taskId": "t", "workspaceRoots": ["/w"], "userId": "u", "preToolUse": {"toolName": name, "parameters": parameters}});
        parse(&payload).unwrap().actions
    }

    #[test]
    fn every_tool_becomes_its_actions() {
        let prompt = parse(&json!({"clineVersion": "3", "hookName": "UserPromptSubmit", "timestamp": "1", "taskId": "t",
            "workspaceRoots": ["/w"], "userId": "u", "userPromptSubmit": {"prompt": "hi", "attachments": []}}))
        .unwrap();
        assert_eq!(prompt.cwd, PathBuf::from("/w"));
        assert!(matches!(&prompt.actions[..], [Action::Prompt(p)] if p == "hi"));
        assert!(
            matches!(&tool("read_file", json!({"path": ".env"}))[..], [Action::Read { path, .. }] if path == ".env")
        );
        assert!(matches!(
            &tool("read_files", json!({"files": "[{\"path\": \".env\"}, \"b\"]"}))[..],
            [Action::Read { .. }, Action::Read { .. }]
        ));
        assert!(
            matches!(&tool("write_to_file", json!({"path": "a", "content": "K"}))[..], [Action::Write { content, .. }] if content == "K")
        );
        let diff = "------- SEARCH\nold = 1\n=======\nnew = 2\n+++++++ REPLACE\n";
        assert!(
            matches!(&tool("replace_in_file", json!({"path": "a", "diff": diff}))[..], [Action::Write { content, .. }] if content == "new = 2")
        );
        assert!(
            matches!(&tool("execute_command", json!({"command": "cat .env", "requires_approval": "false"}))[..], [Action::Shell(c)] if c == "cat .env")
        );
        assert!(
            matches!(&tool("run_commands", json!({"commands": "[\"ls\", \"cat .env\"]"}))[..], [Action::Shell(_), Action::Shell(c)] if c == "cat .env")
        );
        assert!(matches!(
            &tool("search_files", json!({"path": ".", "regex": "TOKEN"}))[..],
            [Action::Search(_)]
        ));
        assert!(
            matches!(&tool("use_mcp_tool", json!({"server_name": "db", "tool_name": "q", "arguments": "{\"sql\": \"select\"}"}))[..],
            [Action::Send { text, .. }] if text.contains("select"))
        );
        assert!(tool("attempt_completion", json!({"result": "done"})).is_empty());
    }

    #[test]
    fn answers_cancel() {
        let block: Value = serde_json::from_str(&reply(&Verdict::Block("no".into())).stdout).unwrap();
        assert_eq!(block, json!({"cancel": true, "errorMessage": "no"}));
        assert!(!reply(&Verdict::Block("no".into())).blocks_by_exit);
        assert_eq!(
            serde_json::from_str::<Value>(&reply(&Verdict::Allow).stdout).unwrap(),
            json!({"cancel": false})
        );
    }
}
