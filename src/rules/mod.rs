//! What a rule is, and where rules come from: the built-in rule files (turned
//! into static data by `build.rs`) and `[[rule]]` tables of `guard.toml`.
//! Matching lives in `matcher.rs`; this module never runs a regex.

pub mod set;
pub mod spec;
pub mod template;

use std::borrow::Cow;

use crate::scan::keywords::KeywordTable;

/// Text that is static for built-in rules and owned for user rules.
pub type Text = Cow<'static, str>;
/// A list of [`Text`], static for built-in rules.
pub type TextList = Cow<'static, [Text]>;

/// A detection rule. Built-in rules are static data; user rules own their text.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable identifier, such as `github-pat-classic`.
    pub id: Text,
    /// The rule file it comes from (`github`, `generic`), or `custom` for
    /// rules of `guard.toml`: accuracy figures are kept per family.
    pub family: Text,
    /// One line saying what was found.
    pub description: Text,
    /// Literal strings (ASCII case-insensitive); one must occur on the line of
    /// a match (anywhere before it, for multi-line rules).
    pub keywords: TextList,
    /// The pattern (`regex` crate syntax, bytes, Unicode off).
    pub regex: Text,
    /// The capture group holding the secret (see `spec::RuleSpec`).
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy in bits per byte.
    pub min_entropy: Option<f64>,
    /// Name of the offline checksum the secret must carry.
    pub checksum: Option<Text>,
    /// Regexes for secrets that are not findings of this rule.
    pub allow: TextList,
    /// Whether a match may span lines.
    pub multiline: bool,
    /// Globs of the files the rule applies to; empty: everything.
    pub paths: TextList,
    /// Where and how to revoke this kind of secret.
    pub rotate: Text,
    /// Templates that must produce a finding of this rule.
    pub examples: TextList,
    /// Templates that must not produce a finding of this rule.
    pub negative_examples: TextList,
}

/// Every built-in rule, in rule-file order.
pub static BUILTIN: &[Rule] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The keyword table of [`BUILTIN`], built by `build.rs`.
pub static BUILTIN_KEYWORDS: KeywordTable = include!(concat!(env!("OUT_DIR"), "/builtin_keywords.rs"));

impl From<spec::RuleSpec> for Rule {
    fn from(spec: spec::RuleSpec) -> Rule {
        let list = |items: Vec<String>| Cow::Owned(items.into_iter().map(Cow::Owned).collect());
        Rule {
            id: Cow::Owned(spec.id),
            family: Cow::Borrowed("custom"),
            description: Cow::Owned(spec.description),
            keywords: list(spec.keywords),
            regex: Cow::Owned(spec.regex),
            secret_group: spec.secret_group,
            min_entropy: spec.min_entropy,
            checksum: spec.checksum.map(Cow::Owned),
            allow: list(spec.allow),
            multiline: spec.multiline,
            paths: list(spec.paths),
            rotate: Cow::Owned(spec.rotate),
            examples: list(spec.examples),
            negative_examples: list(spec.negative_examples),
        }
    }
}
