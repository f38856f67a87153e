//! A finding, its fingerprint and its redaction. Nothing here does I/O; the
//! secret leaves this type only through [`Finding::redacted`] unless the user
//! asked for `--no-redact`.

use std::ops::Range;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::rules::Text;

/// Salt of the fingerprint hash: fixed, so that a baseline made on one
/// machine holds on every other, yet no plain SHA-256 table of known secrets
/// applies.
const FINGERPRINT_SALT: &[u8] = b"guard fingerprint v1\0";

/// Salt of a forbidden file's fingerprint (baseline version 2).
const PATH_FINGERPRINT_SALT: &[u8] = b"guard path fingerprint v2\0";

/// How many hex digits of the hash a fingerprint keeps (128 bits).
const FINGERPRINT_HEX: usize = 32;

/// Where the scanned bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The staged index (pre-commit).
    Staged,
    /// A commit's changes (pre-push, history).
    Commit,
    /// A file on disk.
    File,
    /// Standard input.
    Stdin,
    /// A commit or tag message.
    Message,
    /// A file's name: a secret in the path itself.
    FileName,
    /// A branch's or tag's name: a secret in the ref name itself.
    RefName,
}

impl SourceKind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Staged => "staged",
            SourceKind::Commit => "commit",
            SourceKind::File => "file",
            SourceKind::Stdin => "stdin",
            SourceKind::Message => "message",
            SourceKind::FileName => "file-name",
            SourceKind::RefName => "ref-name",
        }
    }
}

/// One secret (or one forbidden file) found.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule that found it.
    pub rule_id: Text,
    /// What the rule finds.
    pub description: Text,
    /// Where the provider revokes it.
    pub rotate: Text,
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// First line of the match, 1-based.
    pub line: usize,
    /// Byte column of the match in that line, 1-based.
    pub column: usize,
    /// Last line of the match, 1-based.
    pub end_line: usize,
    /// The match as offsets into the scanned chunk (for inline allow marks).
    pub span: Range<usize>,
    /// The secret itself. Empty for a path-policy finding.
    pub secret: Vec<u8>,
    /// The text as written, when the secret was decoded from it (base64 in
    /// a Kubernetes Secret or a Docker config): what a redaction masks and
    /// a history rewrite replaces.
    pub encoded: Option<Vec<u8>>,
    /// How many leading bytes of the secret are a public, fixed prefix
    /// (`ghp_`, `AKIA`) that redaction may show.
    pub public_prefix: usize,
    /// Salted hash of rule and secret (or rule, path and content id).
    pub fingerprint: String,
    /// Shannon entropy of the secret, bits per byte.
    pub entropy: f64,
    /// What kind of source held it.
    pub source: SourceKind,
    /// The commit it was found in (history, pre-push), when known.
    pub commit: Option<Box<CommitInfo>>,
    /// Incident facts added by `scan-history`.
    pub history: Option<Box<HistoryInfo>>,
}

/// The commit a finding was introduced in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full commit id in hex.
    pub oid: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author time, Unix seconds (UTC).
    pub time: i64,
}

/// What `scan-history` knows about a secret beyond where it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryInfo {
    /// Whether a file in HEAD's tree still holds the secret.
    pub in_head: bool,
    /// Branches, tags and other refs that contain the introducing commit.
    pub refs: Vec<String>,
    /// How many (commit, path) places hold the secret in all.
    pub occurrences: usize,
    /// Every path that ever held it, sorted.
    pub paths: Vec<String>,
}

impl Finding {
    /// The secret as reports show it by default: the public prefix plus at
    /// most four more characters, never more than a quarter of the secret,
    /// then its length.
    pub fn redacted(&self) -> String {
        redact(&self.secret, self.public_prefix)
    }

    /// Whether this finding is about a file name rather than content.
    pub fn is_path_finding(&self) -> bool {
        self.secret.is_empty()
    }

    /// Whether this finding is about a name (a forbidden file, or a secret
    /// in a file's or ref's name), which has no line of its own.
    pub fn is_name_finding(&self) -> bool {
        self.is_path_finding() || matches!(self.source, SourceKind::FileName | SourceKind::RefName)
    }
}

/// See [`Finding::redacted`].
pub fn redact(secret: &[u8], public_prefix: usize) -> String {
    if secret.is_empty() {
        return String::new();
    }
    let quarter = secret.len() / 4;
    let shown = (public_prefix.min(secret.len()) + 4).min(quarter);
    // Never cut a multi-byte character: show fewer bytes instead.
    let text = String::from_utf8_lossy(&secret[..shown]);
    let visible: String = text.chars().filter(|c| *c != char::REPLACEMENT_CHARACTER).collect();
    format!("{}…({} chars)", visible.replace(['\n', '\r'], ""), secret.len())
}

/// The fingerprint of a content finding: rule id and secret.
pub fn fingerprint(rule_id: &str, secret: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(FINGERPRINT_SALT);
    hasher.update(rule_id.as_bytes());
    hasher.update([0]);
    hasher.update(secret);
    hex_prefix(&hasher.finalize())
}

/// The fingerprint of a file that must not be committed: rule id, path and
/// the id of its content (its blob), so that accepting one `.env` accepts
/// no other. Without a content id it matches no baseline entry.
pub fn path_fingerprint(rule_id: &str, path: &[u8], content: Option<&[u8]>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(PATH_FINGERPRINT_SALT);
    hasher.update(rule_id.as_bytes());
    hasher.update([0]);
    hasher.update(path);
    hasher.update([0]);
    match content {
        Some(id) => {
            hasher.update([1]);
            hasher.update(id);
        }
        None => hasher.update([0]),
    }
    hex_prefix(&hasher.finalize())
}

fn hex_prefix(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(FINGERPRINT_HEX);
    for byte in digest.iter().take(FINGERPRINT_HEX / 2) {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// Shannon entropy of `bytes` in bits per byte.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_shows_prefix_plus_four_capped_at_a_quarter() {
        let token = format!("ghp_{}", "a1B2".repeat(9));
        assert_eq!(redact(token.as_bytes(), 4), "ghp_a1B2…(40 chars)");
        let key = format!("AKIA{}", "Q".repeat(16));
        assert_eq!(redact(key.as_bytes(), 4), "AKIAQ…(20 chars)");
        assert_eq!(redact(b"Maple7!Harbor#", 0), "Map…(14 chars)");
        assert_eq!(redact(b"abc", 0), "…(3 chars)");
    }

    #[test]
    fn fingerprint_depends_on_rule_and_secret_only() {
        let a = fingerprint("rule-a", b"value");
        assert_eq!(a, fingerprint("rule-a", b"value"));
        assert_ne!(a, fingerprint("rule-b", b"value"));
        assert_ne!(a, fingerprint("rule-a", b"other"));
        assert_eq!(a.len(), FINGERPRINT_HEX);
    }

    #[test]
    fn entropy_of_uniform_and_constant_strings() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
