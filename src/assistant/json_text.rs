//! Editing JSON as text, so a user's file keeps its formatting, order and
//! every byte guard did not add: the spans of a document's values, and
//! inserting or removing one member or array item with the indentation the
//! file already uses. Re-serialising (even order-preserving) would reformat
//! the whole file. The text must be valid JSON (checked with serde_json).

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// A value's place in the text, and for containers its children.
#[derive(Debug, Clone)]
pub struct Node {
    /// Byte offset of the value's first character.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
    /// Members of an object (key, key's opening quote, value), in order.
    pub members: Vec<(String, usize, Node)>,
    /// Items of an array, in order.
    pub items: Vec<Node>,
}

impl Node {
    /// The member named `key`.
    pub fn member(&self, key: &str) -> Option<&Node> {
        self.members.iter().find(|(name, _, _)| name == key).map(|(_, _, node)| node)
    }
}

/// Whether `node` is an object in `text`.
pub fn is_object(text: &str, node: &Node) -> bool {
    text.as_bytes().get(node.start) == Some(&b'{')
}

/// Whether `node` is an array in `text`.
pub fn is_array(text: &str, node: &Node) -> bool {
    text.as_bytes().get(node.start) == Some(&b'[')
}

/// `text` (JSON with comments and trailing commas, as Zed and VS Code
/// write settings) as plain JSON: comments become spaces, a comma before a
/// closing bracket is dropped. Strings are left as they are.
pub fn without_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.extend_from_slice(&bytes[start..i]);
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                out.push(b' ');
            }
            b',' => {
                let next = bytes[i + 1..].iter().position(|b| !b.is_ascii_whitespace());
                if !next.is_some_and(|n| matches!(bytes[i + 1 + n], b'}' | b']')) {
                    out.push(b',');
                }
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The spans of `text`, a JSON document.
///
/// # Errors
/// Text that is not valid JSON (serde_json's message, with line and column).
pub fn parse(text: &str) -> Result<Node> {
    serde_json::from_str::<Value>(text).context("not valid JSON")?;
    let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
    parser.skip_space();
    parser.value()
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Node> {
        let start = self.at;
        let mut node = Node { start, end: start, members: Vec::new(), items: Vec::new() };
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                self.skip_space();
                while self.bytes.get(self.at) != Some(&b'}') {
                    let key_start = self.at;
                    self.string()?;
                    let key: String = serde_json::from_slice(&self.bytes[key_start..self.at])?;
                    self.skip_space();
                    self.at += 1; // ':'
                    self.skip_space();
                    let value = self.value()?;
                    node.members.push((key, key_start, value));
                    self.after_child();
                }
                self.at += 1;
            }
            Some(b'[') => {
                self.at += 1;
                self.skip_space();
                while self.bytes.get(self.at) != Some(&b']') {
                    let item = self.value()?;
                    node.items.push(item);
                    self.after_child();
                }
                self.at += 1;
            }
            Some(b'"') => self.string()?,
            Some(_) => {
                while self.bytes.get(self.at).is_some_and(|b| !b",]} \t\r\n".contains(b)) {
                    self.at += 1;
                }
            }
            None => bail!("unexpected end of JSON"),
        }
        node.end = self.at;
        Ok(node)
    }

    fn after_child(&mut self) {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b',') {
            self.at += 1;
            self.skip_space();
        }
    }

    fn string(&mut self) -> Result<()> {
        self.at += 1;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => return Ok(()),
                _ => {}
            }
        }
        bail!("unterminated string")
    }
}

/// The indentation of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let rest = &text[line_start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// One level of indentation as the file uses it (two spaces when it shows
/// none).
fn indent_unit(text: &str) -> String {
    text.lines()
        .map(|line| &line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
        .find(|indent| !indent.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// `value` pretty-printed with the file's indentation, its lines after the
/// first indented by `indent`.
fn render(value: &Value, unit: &str, indent: &str) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut serializer).expect("a Value always serialises");
    String::from_utf8_lossy(&out).replace('\n', &format!("\n{indent}"))
}

/// `text` with `item` (rendered by [`render`]) added as the container's last
/// child: after the last one, on its own line in a multi-line container.
fn append_child(text: &str, container: &Node, rendered_child: impl Fn(&str, &str) -> String) -> String {
    let unit = indent_unit(text);
    let last_end = container.members.last().map(|(_, _, n)| n.end).or(container.items.last().map(|n| n.end));
    match last_end {
        Some(last_end) => {
            let first_start =
                container.members.first().map(|(_, k, _)| *k).or(container.items.first().map(|n| n.start));
            let first_start = first_start.unwrap_or(last_end);
            let multi_line = text[container.start..first_start].contains('\n');
            let indent = line_indent(text, first_start);
            let separator = if multi_line { format!(",\n{indent}") } else { ", ".to_string() };
            format!("{}{separator}{}{}", &text[..last_end], rendered_child(&unit, indent), &text[last_end..])
        }
        None => {
            let outer = line_indent(text, container.start);
            let indent = format!("{outer}{unit}");
            format!(
                "{}\n{indent}{}\n{outer}{}",
                &text[..=container.start],
                rendered_child(&unit, &indent),
                &text[container.end - 1..]
            )
        }
    }
}

/// `text` with member `key: value` added at the end of `object`.
pub fn insert_member(text: &str, object: &Node, key: &str, value: &Value) -> String {
    let key = Value::String(key.to_string()).to_string();
    append_child(text, object, |unit, indent| format!("{key}: {}", render(value, unit, indent)))
}

/// `text` with `value` appended to `array`.
pub fn append_item(text: &str, array: &Node, value: &Value) -> String {
    append_child(text, array, |unit, indent| render(value, unit, indent))
}

/// `text` without child `index` of `container` (a member or an item) and
/// its separator: the exact inverse of appending it.
pub fn remove_child(text: &str, container: &Node, index: usize) -> String {
    let spans: Vec<(usize, usize)> = if container.members.is_empty() {
        container.items.iter().map(|n| (n.start, n.end)).collect()
    } else {
        container.members.iter().map(|(_, k, n)| (*k, n.end)).collect()
    };
    let (from, to) = match (index.checked_sub(1).map(|i| spans[i]), spans.get(index + 1)) {
        (Some((_, previous_end)), _) => (previous_end, spans[index].1),
        (None, Some(&(next_start, _))) => (spans[index].0, next_start),
        (None, None) => (container.start + 1, container.end - 1),
    };
    format!("{}{}", &text[..from], &text[to..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_taken_out() {
        let text = "{\n  // private\n  \"a\": [\"//x\", \"/*y*/\",], /* b */\n  \"c\": 1,\n}";
        let value: Value = serde_json::from_str(&without_comments(text)).unwrap();
        assert_eq!(value, serde_json::json!({"a": ["//x", "/*y*/"], "c": 1}));
    }

    use serde_json::json;

    #[test]
    fn appending_keeps_every_byte_and_removing_restores_them() {
        let original = "{\n    \"a\": [1,2],\n    \"b\": {}\n}\n";
        let root = parse(original).unwrap();
        let added = insert_member(original, &root, "c", &json!({"d": [true]}));
        assert_eq!(
            added,
            "{\n    \"a\": [1,2],\n    \"b\": {},\n    \"c\": {\n        \"d\": [\n            true\n        ]\n    }\n}\n"
        );
        let root = parse(&added).unwrap();
        assert_eq!(remove_child(&added, &root, 2), original);
        let array = root.member("a").unwrap();
        let with_item = append_item(&added, array, &json!(3));
        assert!(with_item.contains("[1,2, 3]"), "{with_item}");
        let empty = parse(&added).unwrap();
        let into_empty = insert_member(&added, empty.member("b").unwrap(), "x", &json!(1));
        assert!(into_empty.contains("\"b\": {\n        \"x\": 1\n    },"), "{into_empty}");
        let compact = "{}";
        let filled = insert_member(compact, &parse(compact).unwrap(), "k", &json!(1));
        assert_eq!(filled, "{\n  \"k\": 1\n}");
        assert_eq!(remove_child(&filled, &parse(&filled).unwrap(), 0), "{}");
        let first = "[1, 2, 3]";
        assert_eq!(remove_child(first, &parse(first).unwrap(), 0), "[2, 3]");
    }
}
