//! Claude Code's settings file (`.claude/settings.json`): adding and
//! removing guard's hooks, reading and adding `permissions.deny` rules.
//! Edits are made in the text (json_text.rs), so everything else in the
//! file keeps its bytes, order and formatting.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::assistant::json_text::{self, Node};

/// The words that mark a hook command as guard's.
pub const HOOK_MARKER: &str = "guard hook claude";

/// The tools whose use guard's PreToolUse hook judges: every tool that
/// reads, writes, runs or sends something, MCP tools included.
pub const TOOL_MATCHER: &str =
    "Read|Write|Edit|MultiEdit|NotebookEdit|Grep|Glob|Bash|PowerShell|WebFetch|WebSearch|mcp__.*";

/// The tools whose output guard's PostToolUse hook masks: a shell's and an
/// MCP tool's (Claude Code lets a hook replace them).
pub const OUTPUT_MATCHER: &str = "Bash|PowerShell|mcp__.*";

/// The command Claude Code runs: `guard` from PATH (the settings file is
/// committed and shared), or a block with a clear message when it is
/// missing or is another program of that name.
pub fn hook_command() -> String {
    format!(
        "guard --version 2>/dev/null | grep -q '^guard [0-9]' || {{ echo 'guard is not installed (or not on PATH), so this step is blocked: install guard, or remove its hooks with guard uninstall --claude' >&2; exit 2; }}; {HOOK_MARKER}"
    )
}

/// The events guard's hooks are on.
pub const EVENTS: [&str; 3] = ["PreToolUse", "PostToolUse", "UserPromptSubmit"];

/// The hook entries guard adds, by event; with `"onFailure": "block"` when
/// `fail_closed` (a hook that cannot start, fails or times out then blocks).
fn entries(fail_closed: bool) -> [(&'static str, Value); 3] {
    let mut hook = json!({ "type": "command", "command": hook_command() });
    if fail_closed {
        hook["onFailure"] = json!("block");
    }
    [
        ("PreToolUse", json!({ "matcher": TOOL_MATCHER, "hooks": [hook.clone()] })),
        ("PostToolUse", json!({ "matcher": OUTPUT_MATCHER, "hooks": [hook.clone()] })),
        ("UserPromptSubmit", json!({ "hooks": [hook] })),
    ]
}

/// A new settings file's text.
pub const EMPTY: &str = "{}\n";

/// Whether a hook entry (one item of an event's list) is guard's.
fn is_guard_entry(text: &str, item: &Node) -> bool {
    serde_json::from_str::<Value>(&text[item.start..item.end]).is_ok_and(|entry| is_guard_value(&entry))
}

/// Whether a guard entry's hooks block when they fail.
fn fails_closed(entry: &Value) -> bool {
    entry.get("hooks").and_then(Value::as_array).is_some_and(|hooks| {
        hooks.iter().all(|h| h.get("onFailure").and_then(Value::as_str) == Some("block"))
    })
}

/// guard's hooks as a settings file has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Installed {
    /// The events with a guard entry.
    pub events: Vec<&'static str>,
    /// Every guard entry is this guard's (matcher and command).
    pub current: bool,
    /// Every guard entry sets `"onFailure": "block"`.
    pub fail_closed: bool,
}

/// Which of guard's hooks `text` holds, and how.
///
/// # Errors
/// Text that is not JSON.
pub fn installed(text: &str) -> Result<Installed> {
    let value: Value = serde_json::from_str(text)?;
    let mut found = Installed { current: true, fail_closed: true, ..Installed::default() };
    for event in EVENTS {
        let list = value.pointer(&format!("/hooks/{event}")).and_then(Value::as_array);
        let Some(entry) = list.into_iter().flatten().find(|e| is_guard_value(e)) else { continue };
        found.events.push(event);
        let closed = fails_closed(entry);
        found.fail_closed &= closed;
        let wanted = entries(closed).into_iter().find(|(name, _)| *name == event).map(|(_, e)| e);
        found.current &= wanted.as_ref() == Some(entry);
    }
    if found.events.is_empty() {
        return Ok(Installed::default());
    }
    found.current &= found.events.len() == EVENTS.len();
    Ok(found)
}

fn is_guard_value(entry: &Value) -> bool {
    entry.get("hooks").and_then(Value::as_array).is_some_and(|hooks| {
        hooks
            .iter()
            .any(|h| h.get("command").and_then(Value::as_str).is_some_and(|c| c.contains(HOOK_MARKER)))
    })
}

/// `text` with guard's hooks added where they are missing and an older
/// guard's replaced; the same text when they are all there. `fail_closed`
/// adds `"onFailure": "block"`; an entry that has it keeps it.
///
/// # Errors
/// Text that is not JSON, or whose `hooks` is not the shape Claude Code
/// reads.
pub fn add_hooks(text: &str, fail_closed: bool) -> Result<String> {
    let mut text = text.to_string();
    let already_closed = installed(&text).is_ok_and(|i| !i.events.is_empty() && i.fail_closed);
    for (event, entry) in entries(fail_closed || already_closed) {
        let root = root_object(&text)?;
        let Some(hooks) = root.member("hooks") else {
            text = json_text::insert_member(&text, &root, "hooks", &json!({ event: [entry] }));
            continue;
        };
        if !json_text::is_object(&text, hooks) {
            bail!("\"hooks\" is not an object");
        }
        let Some(list) = hooks.member(event) else {
            text = json_text::insert_member(&text, hooks, event, &json!([entry]));
            continue;
        };
        if !json_text::is_array(&text, list) {
            bail!("\"hooks\".{event:?} is not a list");
        }
        match list.items.iter().position(|item| is_guard_entry(&text, item)) {
            None => text = json_text::append_item(&text, list, &entry),
            // An older guard's entry is replaced by this one's.
            Some(index)
                if serde_json::from_str::<Value>(&text[list.items[index].start..list.items[index].end])
                    .ok()
                    .as_ref()
                    != Some(&entry) =>
            {
                text = json_text::remove_child(&text, list, index);
                let root = root_object(&text)?;
                let list = root
                    .member("hooks")
                    .and_then(|h| h.member(event))
                    .expect("the list guard's entry was in");
                text = json_text::append_item(&text, list, &entry);
            }
            Some(_) => {}
        }
    }
    Ok(text)
}

/// `text` without guard's hooks; an event list or `hooks` object left
/// empty by that is removed too. Nothing else changes.
///
/// # Errors
/// Text that is not JSON.
pub fn remove_hooks(text: &str) -> Result<String> {
    let mut text = text.to_string();
    for event in EVENTS {
        let mut removed = false;
        loop {
            let root = root_object(&text)?;
            let Some(list) = root.member("hooks").and_then(|h| h.member(event)) else { break };
            let Some(index) = list.items.iter().position(|item| is_guard_entry(&text, item)) else { break };
            text = json_text::remove_child(&text, list, index);
            removed = true;
        }
        if !removed {
            continue;
        }
        let root = root_object(&text)?;
        let hooks = root.member("hooks").expect("guard's hook was just removed from it");
        if let Some(index) =
            hooks.members.iter().position(|(key, _, list)| key == event && list.items.is_empty())
        {
            text = json_text::remove_child(&text, hooks, index);
            let root = root_object(&text)?;
            if let Some(index) =
                root.members.iter().position(|(key, _, hooks)| key == "hooks" && hooks.members.is_empty())
            {
                text = json_text::remove_child(&text, &root, index);
            }
        }
    }
    Ok(text)
}

/// The `permissions.deny` rules.
///
/// # Errors
/// Text that is not JSON.
pub fn deny_rules(text: &str) -> Result<Vec<String>> {
    let value: Value = serde_json::from_str(text)?;
    Ok(value
        .pointer("/permissions/deny")
        .and_then(Value::as_array)
        .map(|rules| rules.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default())
}

/// `text` with `items` appended to the list `permissions.KEY` (`deny`,
/// `additionalDirectories`; created if missing).
///
/// # Errors
/// Text that is not JSON, or whose `permissions` or list has another shape.
pub fn add_permission_items(text: &str, key: &str, items: &[String]) -> Result<String> {
    let mut text = text.to_string();
    for item in items {
        let root = root_object(&text)?;
        let item = Value::String(item.clone());
        let Some(permissions) = root.member("permissions") else {
            text = json_text::insert_member(&text, &root, "permissions", &json!({ key: [item] }));
            continue;
        };
        if !json_text::is_object(&text, permissions) {
            bail!("\"permissions\" is not an object");
        }
        match permissions.member(key) {
            None => text = json_text::insert_member(&text, permissions, key, &json!([item])),
            Some(list) if json_text::is_array(&text, list) => {
                text = json_text::append_item(&text, list, &item)
            }
            Some(_) => bail!("\"permissions\".{key:?} is not a list"),
        }
    }
    Ok(text)
}

/// Keys teams put in Claude Code's settings that Claude Code does not read
/// (an article's advice), each with what Claude Code enforces instead.
pub const UNREAD_KEYS: &[(&str, &str)] = &[
    (
        "allowedDirectories",
        "permissions.additionalDirectories (the directories besides the project it may use)",
    ),
    ("blockedPatterns", "permissions.deny Read(…) rules (guard audit --fix adds one per pattern)"),
    ("allowedExtensions", "permissions.deny Read(…) rules for what must not be read"),
    ("encryptionRequired", "nothing: its traffic to the model service is always TLS"),
    (
        "auditLogging",
        "nothing: sessions are kept as transcripts in ~/.claude/projects (guard scan-transcripts reads them)",
    ),
];

/// The unread keys `text` has, at the top level or under `permissions`,
/// with their string values.
///
/// # Errors
/// Text that is not JSON.
pub fn unread_keys(text: &str) -> Result<Vec<(&'static str, Vec<String>)>> {
    let value: Value = serde_json::from_str(text)?;
    let mut found = Vec::new();
    for (key, _) in UNREAD_KEYS {
        let Some(item) = value.get(key).or_else(|| value.pointer(&format!("/permissions/{key}"))) else {
            continue;
        };
        let strings = match item {
            Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            Value::String(one) => vec![one.clone()],
            _ => Vec::new(),
        };
        found.push((*key, strings));
    }
    Ok(found)
}

fn root_object(text: &str) -> Result<Node> {
    let root = json_text::parse(text)?;
    if !json_text::is_object(text, &root) {
        bail!("the settings are not a JSON object");
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_merge_with_the_users_and_leave_without_a_trace() {
        let original = r#"{
  "model": "opus",
  "hooks": {
    "PreToolUse": [
      { "matcher": "Edit", "hooks": [{ "type": "command", "command": "lint" }] }
    ]
  }
}
"#;
        let added = add_hooks(original, false).unwrap();
        assert!(added.starts_with(
            "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PreToolUse\": [\n      { \"matcher\": \"Edit\""
        ));
        assert_eq!(add_hooks(&added, false).unwrap(), added);
        assert_eq!(
            installed(&added).unwrap(),
            Installed { events: EVENTS.to_vec(), current: true, fail_closed: false }
        );
        let closed = add_hooks(&added, true).unwrap();
        assert!(installed(&closed).unwrap().fail_closed);
        assert_eq!(add_hooks(&closed, false).unwrap(), closed, "onFailure is never taken back");
        assert_eq!(remove_hooks(&closed).unwrap(), original);
        let value: Value = serde_json::from_str(&added).unwrap();
        assert_eq!(value["hooks"]["PreToolUse"][1]["matcher"], TOOL_MATCHER);
        assert!(
            value["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"]
                .as_str()
                .unwrap()
                .ends_with(HOOK_MARKER)
        );
        assert_eq!(remove_hooks(&added).unwrap(), original);
        let fresh = add_hooks(EMPTY, true).unwrap();
        assert_eq!(remove_hooks(&fresh).unwrap(), EMPTY);
    }

    #[test]
    fn deny_rules_are_appended() {
        let text =
            add_permission_items(EMPTY, "deny", &["Read(/.env)".into(), "Read(/**/.env.*)".into()]).unwrap();
        assert_eq!(deny_rules(&text).unwrap(), ["Read(/.env)", "Read(/**/.env.*)"]);
        assert!(add_permission_items("{\"permissions\": []}", "deny", &["Read(x)".into()]).is_err());
        let article =
            "{\"allowedDirectories\": [\"./src\"], \"blockedPatterns\": [\"*.key\"], \"auditLogging\": true}";
        let keys = unread_keys(article).unwrap();
        assert_eq!(
            keys,
            [
                ("allowedDirectories", vec!["./src".to_string()]),
                ("blockedPatterns", vec!["*.key".to_string()]),
                ("auditLogging", vec![])
            ]
        );
    }
}
