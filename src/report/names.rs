//! Names and messages as guard prints them. A file, ref or tag name can
//! hold a secret (a token pasted into a branch name, a key file named after
//! its key), and so can an error message that quotes git or a parser: both
//! are masked with the rules in effect before they are printed, and names
//! have their control characters escaped, so that no report that redacts
//! shows a secret in a name and no name can move the cursor or hide a line.
//!
//! The rules are the process's own (the built-in ones, plus the user's once
//! a command has loaded them), compiled on first use: output with no names
//! in it costs nothing.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::rules::set::{CheckedRule, RuleSet};
use crate::scan::matcher::Matcher;
use crate::scan::scanner::{ScanScratch, Scanner};

static USER_RULES: OnceLock<Vec<CheckedRule>> = OnceLock::new();
static SCANNER: OnceLock<Option<Scanner>> = OnceLock::new();

/// Makes the user's `rules` mask names and messages as well as the
/// built-in ones. Called once, when a command builds its pipeline, before
/// anything is printed; a later call changes nothing.
pub fn remember_user_rules(rules: &[CheckedRule]) {
    let _ = USER_RULES.set(rules.to_vec());
}

fn scanner() -> Option<&'static Scanner> {
    SCANNER
        .get_or_init(|| {
            let user = USER_RULES.get().map_or(&[][..], Vec::as_slice);
            Matcher::new(RuleSet::new(user)).ok().map(Scanner::new)
        })
        .as_ref()
}

/// `text` with every secret the rules find masked: the last line of
/// defence for error messages, which may quote what git or a parser
/// printed.
pub fn masked_text(text: &str) -> String {
    let Some(scanner) = scanner() else { return text.to_owned() };
    let mut out = Vec::with_capacity(text.len());
    let written = super::masked::write_masked(
        scanner,
        text.as_bytes(),
        &mut ScanScratch::default(),
        &mut Vec::new(),
        &mut out,
    );
    match (written, String::from_utf8(out)) {
        (Ok(_), Ok(masked)) => masked,
        _ => text.to_owned(),
    }
}

/// `name` with every secret in it masked, unless `show_secrets`
/// (`--no-redact`); for machine formats, which escape on their own.
pub fn masked_name(name: &str, show_secrets: bool) -> Cow<'_, str> {
    if show_secrets { Cow::Borrowed(name) } else { Cow::Owned(masked_text(name)) }
}

/// `name` as human output prints it: masked unless `show_secrets`, and
/// with every control character escaped.
pub fn shown_name(name: &str, show_secrets: bool) -> String {
    crate::safe_text::name(&masked_name(name, show_secrets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_a_name_is_masked_and_control_characters_are_escaped() {
        let token = crate::rules::template::Expander::new(7).expand("{{base62_crc:ghp_}}").unwrap();
        let name = format!("refs/heads/fix-{token}\n\x1b[2K");
        let shown = shown_name(&name, false);
        assert!(!shown.contains(&token[4..]), "{shown}");
        assert!(!shown.contains('\n') && !shown.contains('\x1b'), "{shown}");
        assert!(shown_name(&name, true).contains(&token));
        assert_eq!(masked_name("src/main.rs", false), "src/main.rs");
    }
}
