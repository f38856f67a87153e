//! The hooks file most assistants read: JSON whose `hooks` object maps each
//! event to a list of entries (Claude Code's and Gemini CLI's settings,
//! Codex's, Cursor's, Copilot's and Windsurf's `hooks.json`). guard's
//! entries are the ones with its marker (`guard hook HOST`) in a string;
//! they are added, replaced when an older guard's differ, and removed, in
//! the text (json_text.rs), so every other byte of the file stays as it is.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::assistant::json_text::{self, Node};

/// guard's hooks as a file has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Installed {
    /// The events with a guard entry.
    pub events: Vec<String>,
    /// Every event has guard's entry, and each is exactly this guard's.
    pub current: bool,
}

/// Whether `value` holds `marker` in one of its strings.
pub fn is_guard(value: &Value, marker: &str) -> bool {
    match value {
        Value::String(text) => text.contains(marker),
        Value::Array(items) => items.iter().any(|item| is_guard(item, marker)),
        Value::Object(members) => members.values().any(|item| is_guard(item, marker)),
        _ => false,
    }
}

/// guard's entry (the first with `marker`) of each event, as `text` has it.
///
/// # Errors
/// Text that is not JSON.
pub fn guard_entries(text: &str, marker: &str) -> Result<Vec<(String, Value)>> {
    let value: Value = serde_json::from_str(text).context("not valid JSON")?;
    let Some(Value::Object(events)) = value.get("hooks") else { return Ok(Vec::new()) };
    Ok(events
        .iter()
        .filter_map(|(event, list)| {
            let entry = list.as_array()?.iter().find(|entry| is_guard(entry, marker))?;
            Some((event.clone(), entry.clone()))
        })
        .collect())
}

/// Which of `wanted` (event, entry) `text` holds.
///
/// # Errors
/// Text that is not JSON.
pub fn installed(text: &str, marker: &str, wanted: &[(&str, Value)]) -> Result<Installed> {
    let found = guard_entries(text, marker)?;
    let current =
        wanted.iter().all(|(event, entry)| found.iter().any(|(name, value)| name == event && value == entry))
            && found.len() == wanted.len();
    Ok(Installed { events: found.into_iter().map(|(event, _)| event).collect(), current })
}

/// `text` with each of `wanted` (event, entry) in place: added where the
/// event has no guard entry, replacing one that differs; the same text
/// when all are there. Events guard no longer hooks lose its entry.
///
/// # Errors
/// Text that is not a JSON object, or whose `hooks` is not an object of
/// lists.
pub fn add(text: &str, marker: &str, wanted: &[(&str, Value)]) -> Result<String> {
    let mut text = text.to_string();
    for (event, _) in guard_entries(&text, marker)? {
        if !wanted.iter().any(|(name, _)| *name == event) {
            text = remove_event_entries(&text, marker, &event)?;
        }
    }
    for (event, entry) in wanted {
        let root = root_object(&text)?;
        let Some(hooks) = root.member("hooks") else {
            text = json_text::insert_member(&text, &root, "hooks", &json!({ *event: [entry] }));
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
        match position(&text, list, marker) {
            None => text = json_text::append_item(&text, list, entry),
            Some(index) if item(&text, &list.items[index]).as_ref() != Some(entry) => {
                // An older guard's entry is replaced by this one's.
                text = remove_event_entries(&text, marker, event)?;
                text = add(&text, marker, &[(event, entry.clone())])?;
            }
            Some(_) => {}
        }
    }
    Ok(text)
}

/// `text` without guard's entries; an event list or `hooks` object left
/// empty by that is removed too. Nothing else changes, so text that `add`
/// changed comes back byte for byte.
///
/// # Errors
/// Text that is not JSON.
pub fn remove(text: &str, marker: &str) -> Result<String> {
    let mut text = text.to_string();
    for (event, _) in guard_entries(&text, marker)? {
        text = remove_event_entries(&text, marker, &event)?;
    }
    Ok(text)
}

fn remove_event_entries(text: &str, marker: &str, event: &str) -> Result<String> {
    let mut text = text.to_string();
    loop {
        let root = root_object(&text)?;
        let Some(list) = root.member("hooks").and_then(|h| h.member(event)) else { return Ok(text) };
        let Some(index) = position(&text, list, marker) else { break };
        text = json_text::remove_child(&text, list, index);
    }
    let root = root_object(&text)?;
    let Some(hooks) = root.member("hooks") else { return Ok(text) };
    if let Some(index) = hooks.members.iter().position(|(key, _, list)| key == event && list.items.is_empty())
    {
        text = json_text::remove_child(&text, hooks, index);
        let root = root_object(&text)?;
        if let Some(index) =
            root.members.iter().position(|(key, _, hooks)| key == "hooks" && hooks.members.is_empty())
        {
            text = json_text::remove_child(&text, &root, index);
        }
    }
    Ok(text)
}

fn position(text: &str, list: &Node, marker: &str) -> Option<usize> {
    list.items.iter().position(|node| item(text, node).is_some_and(|value| is_guard(&value, marker)))
}

fn item(text: &str, node: &Node) -> Option<Value> {
    serde_json::from_str(&text[node.start..node.end]).ok()
}

/// The root object of `text`.
///
/// # Errors
/// Text that is not JSON, or not an object.
pub fn root_object(text: &str) -> Result<Node> {
    let root = json_text::parse(text)?;
    if !json_text::is_object(text, &root) {
        bail!("the file is not a JSON object");
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "guard hook cursor";

    fn wanted() -> Vec<(&'static str, Value)> {
        vec![
            ("beforeShellExecution", json!({"command": "guard hook cursor", "failClosed": true})),
            ("beforeReadFile", json!({"command": "guard hook cursor", "failClosed": true})),
        ]
    }

    #[test]
    fn entries_merge_with_the_users_and_leave_without_a_trace() {
        let original = "{\n  \"version\": 1,\n  \"hooks\": {\n    \"beforeShellExecution\": [\n      { \"command\": \"./audit.sh\" }\n    ]\n  }\n}\n";
        let added = add(original, MARKER, &wanted()).unwrap();
        assert!(added.contains("{ \"command\": \"./audit.sh\" },"), "{added}");
        assert_eq!(add(&added, MARKER, &wanted()).unwrap(), added);
        let found = installed(&added, MARKER, &wanted()).unwrap();
        assert!(found.current);
        assert_eq!(
            found.events,
            ["beforeReadFile", "beforeShellExecution"],
            "in the order serde_json keeps keys"
        );
        assert_eq!(remove(&added, MARKER).unwrap(), original);
        // An older guard's entry is replaced, and an event guard dropped
        // loses its entry.
        let older =
            add(original, MARKER, &[("stop", json!({"command": "guard hook cursor --old"}))]).unwrap();
        let updated = add(&older, MARKER, &wanted()).unwrap();
        assert_eq!(updated, added);
        assert!(!installed(&older, MARKER, &wanted()).unwrap().current);
        assert!(add("[]", MARKER, &wanted()).is_err());
        assert!(add("{\"hooks\": {\"beforeReadFile\": {}}}", MARKER, &wanted()).is_err());
    }
}
