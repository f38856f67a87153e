//! The baseline, `.guard-baseline.toml` at the work tree's root: findings
//! accepted on purpose, one entry per line, sorted, keyed by fingerprint
//! (a salted hash of rule and secret, or of rule, path and the file's
//! content for a file that must not be committed). It never holds a secret,
//! a commit id, a line number or a timestamp, so it survives edits, rebases
//! and moved lines. Version 1 bound a forbidden file's entry to its path
//! alone; such entries accept nothing now and are reported as stale.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use serde::Deserialize;

use crate::safe_text;
use crate::scan::finding::Finding;

/// The baseline's file name.
pub const FILE_NAME: &str = ".guard-baseline.toml";

/// The largest baseline read: room for about 100,000 entries.
pub const MAX_SIZE: u64 = 16 << 20;

/// The version written: forbidden files' entries bound to their content.
pub const VERSION: u32 = 2;

/// A baseline as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The format version (1 when the file names none).
    pub version: u32,
    /// The accepted findings.
    pub entries: Vec<Entry>,
}

impl Baseline {
    /// How many entries accept nothing any more: a version-1 entry for a
    /// file that must not be committed, made of its rule and path alone.
    pub fn stale_entries(&self) -> usize {
        if self.version >= VERSION {
            return 0;
        }
        let path_kind =
            |rule: &str| crate::policy::path_policy::PathPolicy::builtin_ids().any(|id| id == rule);
        self.entries.iter().filter(|e| path_kind(&e.rule)).count()
    }

    /// The line that says so, naming the file as `file`, if any is stale.
    pub fn stale_warning(&self, file: &str) -> Option<String> {
        let stale = self.stale_entries();
        (stale > 0).then(|| {
            format!(
                "{file} has {stale} version-1 {} for files that must not be committed, which accept nothing now \
                 (such entries are bound to the file's content since version 2): run `guard baseline --update` \
                 and commit the baseline",
                if stale == 1 { "entry" } else { "entries" }
            )
        })
    }
}

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
    version: Option<u32>,
    #[serde(default)]
    accepted: Vec<Entry>,
}

/// Reads the baseline at the root of the work tree `root`, if there is one.
///
/// # Errors
/// A file that cannot be read or parsed (the message names the line), or
/// a symbolic link that leads outside the work tree.
pub fn read(root: &Path) -> Result<Option<Baseline>> {
    let path = &root.join(FILE_NAME);
    if std::fs::symlink_metadata(path).is_err_and(|err| err.kind() == std::io::ErrorKind::NotFound) {
        return Ok(None);
    }
    let text = crate::small_file::read_inside(path, root, MAX_SIZE)?;
    parse(&text, &path.display().to_string()).map(Some)
}

/// Parses a baseline's `text`, read from `file` (a name for messages).
///
/// # Errors
/// Text that is not a baseline, or one of a later version; the message
/// names the line.
pub fn parse(text: &str, file: &str) -> Result<Baseline> {
    let parsed: File = toml::from_str(text).map_err(|err| {
        let line = err.span().map_or(0, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let words = ["version", "accepted", "fingerprint", "rule", "path"];
        anyhow!("{file}:{line}: {}", safe_text::parser_message(err.message(), &words))
    })?;
    let version = parsed.version.unwrap_or(1);
    if version == 0 || version > VERSION {
        bail!(
            "{file}: baseline version {version} is not one this guard reads (1 or {VERSION}); update guard"
        );
    }
    Ok(Baseline { version, entries: parsed.accepted })
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
         # Refresh with `guard baseline --update`; entries count once committed.\n\
         version = 2\n\
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
        assert_eq!(read.version, VERSION);
        let read = read.entries;
        assert_eq!(read.iter().map(|e| e.fingerprint.as_str()).collect::<Vec<_>>(), ["aa", "bb"]);
        assert_eq!(read[1].path, "a \"quoted\" path");
        std::fs::write(&path, "accepted = [ { fingerprint = 1 } ]\n").unwrap();
        assert!(format!("{:#}", super::read(dir.path()).unwrap_err()).contains(":1:"));
    }

    #[test]
    fn version_one_path_entries_are_stale() {
        let text = "accepted = [\n  { fingerprint = \"aa\", rule = \"file-dotenv\", path = \".env\" },\n  \
                    { fingerprint = \"bb\", rule = \"github-pat\", path = \"a\" },\n]\n";
        let old = parse(text, "b").unwrap();
        assert_eq!((old.version, old.stale_entries()), (1, 1));
        assert!(old.stale_warning("b").unwrap().contains("guard baseline --update"));
        let new = parse(&format!("version = 2\n{text}"), "b").unwrap();
        assert_eq!(new.stale_entries(), 0);
        assert!(format!("{:#}", parse("version = 3\n", "b").unwrap_err()).contains("update guard"));
    }
}
