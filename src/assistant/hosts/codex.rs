//! The Codex CLI's host adapter: `UserPromptSubmit` (the prompt),
//! `PreToolUse` of its shell (`Bash`, the command as one string),
//! `apply_patch` (the patch as `command`) and MCP tools (`mcp__server__tool`),
//! and `PostToolUse` of the shell and MCP tools (their output). Exit 2
//! blocks with the reason on standard error; after a tool has run, Codex
//! replaces its output with that feedback, which is how guard hands the
//! model the output masked. Codex has no option to block when a hook
//! fails, and it quotes the blocked command (a patch: all of it) after the
//! reason it passes to the model, so guard's reason never repeats it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::Value;

use super::payload::{added_lines, str_field, strings};
use super::{Event, Host, Reply, Verdict};
use crate::assistant::checks::Action;

/// The events guard's entries are on, with their matchers.
pub const EVENTS: [(&str, Option<&str>); 3] = [
    ("UserPromptSubmit", None),
    ("PreToolUse", Some("Bash|apply_patch|mcp__.*")),
    ("PostToolUse", Some("Bash|mcp__.*")),
];

/// Reads a payload from Codex.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(payload: &Value) -> Result<Event> {
    let name = str_field(payload, "hook_event_name")?;
    let mut event = Event::new(Host::Codex, name, PathBuf::from(str_field(payload, "cwd")?));
    match name {
        "UserPromptSubmit" => event.actions.push(Action::Prompt(str_field(payload, "prompt")?.to_string())),
        "PreToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            let input = payload.get("tool_input").context("the PreToolUse event has no \"tool_input\"")?;
            match tool {
                "Bash" => event.actions.push(Action::Shell(str_field(input, "command")?.to_string())),
                "apply_patch" => event.actions.push(Action::Write {
                    path: "the patch".to_string(),
                    content: added_lines(str_field(input, "command")?),
                }),
                tool if tool.starts_with("mcp__") => event.actions.push(Action::Send {
                    what: format!("this call of {tool}"),
                    text: strings(input).join("\n"),
                }),
                _ => {}
            }
        }
        "PostToolUse" => {
            let tool = str_field(payload, "tool_name")?;
            if tool == "Bash" || tool.starts_with("mcp__") {
                let output = payload.get("tool_response").cloned().unwrap_or(Value::Null);
                event.actions.push(Action::Output { text: strings(&output).join("\n") });
                event.output = Some(output);
                event.mcp = tool.starts_with("mcp__");
            }
        }
        _ => {}
    }
    Ok(event)
}

/// `verdict` as Codex reads it: exit 2 with the reason (or the masked
/// output) on standard error.
pub fn reply(verdict: &Verdict) -> Reply {
    match verdict {
        Verdict::Allow => Reply::default(),
        Verdict::Block(reason) => Reply::exit_2(reason),
        Verdict::Mask { output, count } => Reply::exit_2(&format!(
            "guard masked {count} secret(s) in this tool's output; the output, masked:\n{}",
            strings(output).join("\n")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, fields: Value) -> Event {
        let mut payload = json!({"session_id": "s", "transcript_path": null, "cwd": "/p", "hook_event_name": name,
            "model": "gpt-5", "turn_id": "t", "permission_mode": "default"});
        payload.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        parse(&payload).unwrap()
    }

    #[test]
    fn every_event_becomes_its_actions() {
        assert!(
            matches!(&event("UserPromptSubmit", json!({"prompt": "hi"})).actions[..], [Action::Prompt(p)] if p == "hi")
        );
        let bash = event(
            "PreToolUse",
            json!({"tool_name": "Bash", "tool_use_id": "call_1", "tool_input": {"command": "cat .env"}}),
        );
        assert!(matches!(&bash.actions[..], [Action::Shell(c)] if c == "cat .env"));
        let patch = "*** Begin Patch\n*** Add File: a.py\n+KEY = 1\n*** End Patch\n";
        let patch =
            event("PreToolUse", json!({"tool_name": "apply_patch", "tool_input": {"command": patch}}));
        assert!(matches!(&patch.actions[..], [Action::Write { content, .. }] if content == "KEY = 1"));
        let mcp =
            event("PreToolUse", json!({"tool_name": "mcp__db__query", "tool_input": {"sql": "select"}}));
        assert!(matches!(&mcp.actions[..], [Action::Send { text, .. }] if text == "select"));
        let output = event(
            "PostToolUse",
            json!({"tool_name": "Bash", "tool_input": {"command": "env"}, "tool_response": "A=1"}),
        );
        assert!(matches!(&output.actions[..], [Action::Output { text }] if text == "A=1"));
        assert!(event("Stop", json!({"stop_hook_active": false})).actions.is_empty());
    }

    #[test]
    fn answers_block_by_exit_2() {
        assert_eq!(reply(&Verdict::Allow), Reply::default());
        let block = reply(&Verdict::Block("guard blocked this shell command".into()));
        assert!(block.blocks_by_exit && block.stdout.is_empty());
        let mask = reply(&Verdict::Mask { output: json!("A=gh*****"), count: 1 });
        assert!(mask.blocks_by_exit && mask.stderr.ends_with("A=gh*****"));
    }
}
