//! What guard prints of what it was given: a configured value only
//! redacted, a parser's message with its quoted values redacted, a name with
//! its control characters escaped. Error messages and human output go
//! through here, so a token written into `guard.toml`, the baseline, a file
//! name or pre-push input never reaches the terminal in clear.

use std::fmt::Write as _;

use crate::scan::finding::redact;

/// A configured value as error messages show it: at most a quarter of it,
/// then its length (the redaction findings use).
pub fn value(text: &str) -> String {
    if text.is_empty() { "\"\"".to_owned() } else { format!("\"{}\"", redact(text.as_bytes(), 0)) }
}

/// A TOML or serde message with every quoted span (`` `x` `` or `"x"`)
/// redacted, except the names of the file's own schema (`expected one of
/// `paths`, `regexes``) and one-character grammar tokens, which say what
/// was expected and hold nothing of the user's.
pub fn parser_message(message: &str, schema_words: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open];
        let after = &rest[open + 1..];
        let Some(close) = after.find(char::from(quote)) else { break };
        let quoted = &after[..close];
        out.push_str(&rest[..open]);
        let keep = quoted.chars().count() <= 1 || schema_words.contains(&quoted);
        let shown = if keep { quoted.to_owned() } else { redact(quoted.as_bytes(), 0) };
        let _ = write!(out, "{0}{shown}{0}", char::from(quote));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `name` with every control character (newline, escape, tab, DEL, and the
/// C1 range) written as a visible escape, so that a file name cannot move
/// the cursor, colour the screen or fake a line of output.
pub fn name(name: &str) -> String {
    if !name.chars().any(char::is_control) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_show_a_quarter_at_most() {
        assert_eq!(value("abcdefghijklmnop"), "\"abcd…(16 chars)\"");
        assert_eq!(value("{bad"), "\"{…(4 chars)\"");
        assert_eq!(value(""), "\"\"");
    }

    #[test]
    fn quoted_user_text_is_redacted_and_schema_words_kept() {
        let message = "unknown field `tokentokentokentoken`, expected one of `paths`, `regexes`";
        assert_eq!(
            parser_message(message, &["paths", "regexes"]),
            "unknown field `toke…(20 chars)`, expected one of `paths`, `regexes`"
        );
        assert_eq!(
            parser_message("invalid type: string \"sixteen-chars-xx\", expected u64", &[]),
            "invalid type: string \"sixt…(16 chars)\", expected u64"
        );
        assert_eq!(parser_message("expected `\"`, `'`", &[]), "expected `\"`, `'`");
        assert_eq!(parser_message("an unclosed `quote", &[]), "an unclosed `quote");
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(name("plain/name.txt"), "plain/name.txt");
        assert_eq!(name("a\nb\x1b[31mc\x7f\u{9b}"), "a\\nb\\u{1b}[31mc\\u{7f}\\u{9b}");
    }
}
