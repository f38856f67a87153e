//! The rule schema as written in TOML: built-in rule files and `[[rule]]` tables
//! in `guard.toml` share it. Plain serde data, nothing else: `build.rs` includes
//! this file too, to turn the built-in rule files into static data at build time.

use serde::Deserialize;

/// One rule exactly as written in a rule file or in `guard.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable identifier, such as `github-pat-classic`.
    pub id: String,
    /// One line saying what was found.
    pub description: String,
    /// Literal strings (ASCII case-insensitive) of which one must occur on the
    /// line of a match. Empty means the rule runs on every line.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The pattern, in `regex` crate syntax, matched against bytes.
    pub regex: String,
    /// The capture group holding the secret; by default the first group
    /// that took part in the match (so alternatives may each have their
    /// own), else the whole match.
    #[serde(default)]
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Offline checksum the secret must carry, by name (`github`).
    #[serde(default)]
    pub checksum: Option<String>,
    /// Regexes: a secret matching any of them is not a finding of this rule.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Whether a match may span lines (PEM blocks); otherwise the regex runs
    /// within single lines.
    #[serde(default)]
    pub multiline: bool,
    /// Globs (as in `.gitignore`: `*.yaml`, `.env.*`) of the files this rule
    /// applies to, and `!` globs of files it never applies to (`!*.py`).
    /// Without a plain glob the rule applies to every other file and to text
    /// without a path (standard input, messages); with one, only to files.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Where and how the provider revokes this kind of secret.
    #[serde(default)]
    pub rotate: String,
    /// Templates that must produce a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Templates that must not produce a finding of this rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A rule file: a list of `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules, in file order.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
}
