//! Reading hook payloads, whichever host sent them: a string field, every
//! string of a value (a tool's input as text to scan), a value with its
//! secrets masked, and a patch's added lines.

use anyhow::{Result, bail};
use serde_json::Value;

/// The string `key` of `value`.
///
/// # Errors
/// The field is missing or not a string.
pub fn str_field<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    match value.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => bail!("the hook event's {key:?} is not a string"),
        None => bail!("the hook event has no {key:?}"),
    }
}

/// The string `key` of `value`, if it has one.
pub fn optional<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
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

/// A tool input some hosts hand over as a JSON string (Cursor's MCP
/// calls, Copilot CLI's `toolArgs`): the value it encodes, else the string.
pub fn decoded(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// The lines a patch adds (`+` lines, without the `+++` header), which is
/// what it writes.
pub fn added_lines(patch: &str) -> String {
    let added: Vec<&str> =
        patch.lines().filter(|l| !l.starts_with("+++")).filter_map(|l| l.strip_prefix('+')).collect();
    added.join("\n")
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
    use serde_json::json;

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

    #[test]
    fn patches_and_encoded_inputs_are_read() {
        assert_eq!(added_lines("--- a/x\n+++ b/x\n@@\n-old\n+new\n+more\n"), "new\nmore");
        assert_eq!(decoded(&json!("{\"q\": 1}")), json!({"q": 1}));
        assert_eq!(decoded(&json!("not json")), json!("not json"));
    }
}
