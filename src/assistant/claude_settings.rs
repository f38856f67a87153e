//! Claude Code's settings file (`.claude/settings.json`): adding and
//! removing guard's hooks, reading and adding `permissions.deny` rules.
//! Edits are made in the text (json_text.rs), so everything else in the
//! file keeps its bytes, order and formatting.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::assistant::hook_config;
use crate::assistant::json_text;

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
    pub events: Vec<String>,
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
    let found = hook_config::guard_entries(text, HOOK_MARKER)?;
    if found.is_empty() {
        return Ok(Installed::default());
    }
    let fail_closed = found.iter().all(|(_, entry)| fails_closed(entry));
    let current = hook_config::installed(text, HOOK_MARKER, &entries(fail_closed))?.current;
    Ok(Installed { events: found.into_iter().map(|(event, _)| event).collect(), current, fail_closed })
}

/// `text` with guard's hooks added where they are missing and an older
/// guard's replaced; the same text when they are all there. `fail_closed`
/// adds `"onFailure": "block"`; an entry that has it keeps it.
///
/// # Errors
/// Text that is not JSON, or whose `hooks` is not the shape Claude Code
/// reads.
pub fn add_hooks(text: &str, fail_closed: bool) -> Result<String> {
    let already_closed = installed(text).is_ok_and(|i| !i.events.is_empty() && i.fail_closed);
    hook_config::add(text, HOOK_MARKER, &entries(fail_closed || already_closed))
}

/// `text` without guard's hooks; an event list or `hooks` object left
/// empty by that is removed too. Nothing else changes.
///
/// # Errors
/// Text that is not JSON.
pub fn remove_hooks(text: &str) -> Result<String> {
    hook_config::remove(text, HOOK_MARKER)
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
        let root = hook_config::root_object(&text)?;
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
            Installed {
                events: vec!["PostToolUse".into(), "PreToolUse".into(), "UserPromptSubmit".into()],
                current: true,
                fail_closed: false
            }
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
