//! The baseline, `.guard-baseline.toml` at the work tree's root: findings
//! accepted on purpose, one entry per line, sorted, keyed by fingerprint
//! (a salted hash of rule and secret, or rule and path). It never holds a
//! secret, a commit id, a line number or a timestamp, so it survives edits,
//! rebases and moved lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, anyhow};
use serde::Deserialize;

use crate::safe_text;
use crate::scan::finding::Finding;

/// The baseline's file name.
pub const FILE_NAME: &str = ".guard-baseline.toml";

/// The largest baseline read: room for about 100,000 entries.
pub const MAX_SIZE: u64 = 16 << 20;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule, for people reading the file.
    pub rule: String,
    /// A path where it was found, for people reading the file.
    #[serde(default)]
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    accepted: Vec<Entry>,
}

/// Reads the baseline at the root of the work tree `root`, if there is one.
///
/// # Errors
/// A file that cannot be read or parsed (the message names the line), or
/// a symbolic link that leads outside the work tree.
pub fn read(root: &Path) -> Result<Option<Vec<Entry>>> {
    let path = &root.join(FILE_NAME);
    if std::fs::symlink_metadata(path).is_err_and(|err| err.kind() == std::io::ErrorKind::NotFound) {
        return Ok(None);
    }
    let text = crate::small_file::read_inside(path, root, MAX_SIZE)?;
    let file: File = toml::from_str(&text).map_err(|err| {
        let line = err.span().map_or(0, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let message = safe_text::parser_message(err.message(), &["accepted", "fingerprint", "rule", "path"]);
        anyhow!("{}:{line}: {message}", path.display())
    })?;
    Ok(Some(file.accepted))
}

/// The entries for `findings`: one per fingerprint, with the first path.
pub fn entries(findings: &[Finding]) -> Vec<Entry> {
    let mut by_fingerprint: BTreeMap<&str, Entry> = BTreeMap::new();
    for finding in findings {
        by_fingerprint.entry(&finding.fingerprint).or_insert_with(|| Entry {
            fingerprint: finding.fingerprint.clone(),
            rule: finding.rule_id.to_string(),
            path: finding.path.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default(),
        });
    }
    by_fingerprint.into_values().collect()
}

/// The file's text: a header, then one entry per line, sorted.
pub fn render(entries: &[Entry]) -> String {
    let mut text = String::from(
        "# guard baseline: findings accepted on purpose, by fingerprint (a salted hash of the rule\n\
         # and the secret, never the secret). They do not block any hook or scan.\n\
         # Refresh with `guard baseline --update`.\n\
         accepted = [\n",
    );
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    for entry in sorted {
        let _ = writeln!(
            text,
            "  {{ fingerprint = {:?}, rule = {:?}, path = {:?} }},",
            entry.fingerprint, entry.rule, entry.path
        );
    }
    text.push_str("]\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_then_read_round_trips_sorted() {
        let entries = vec![
            Entry { fingerprint: "bb".into(), rule: "r".into(), path: "a \"quoted\" path".into() },
            Entry { fingerprint: "aa".into(), rule: "r".into(), path: String::new() },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, render(&entries)).unwrap();
        let read = read(dir.path()).unwrap().unwrap();
        assert_eq!(read.iter().map(|e| e.fingerprint.as_str()).collect::<Vec<_>>(), ["aa", "bb"]);
        assert_eq!(read[1].path, "a \"quoted\" path");
        std::fs::write(&path, "accepted = [ { fingerprint = 1 } ]\n").unwrap();
        assert!(format!("{:#}", super::read(dir.path()).unwrap_err()).contains(":1:"));
    }
}
