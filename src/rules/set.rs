//! One rule set, validated once. [`check`] examines everything a rule
//! carries (id, regex and secret group, allow patterns, path globs,
//! checksum name, keywords, example templates) and keeps what it compiled:
//! user rules are checked when `guard.toml` is loaded, which names the
//! file, the line and the rule; the built-in rules are proven valid by a
//! test (`every_builtin_rule_passes_check`), so a process running them
//! compiles each regex lazily, on first use, and only patterns already
//! known to be valid. No I/O.

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow, bail};
use regex::bytes::{Regex, RegexBuilder};

use super::template::Expander;
use super::{BUILTIN, Rule};
use crate::policy::globs::PathGlobs;
use crate::safe_text;
use crate::scan::checksum::Checksum;

/// Who wrote a pattern, which sets how large it may compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// guard's own rules: reviewed, and measured in `benches/`.
    BuiltIn,
    /// `guard.toml`: rules and allow patterns anyone may write.
    User,
}

impl Author {
    /// The compiled-size budget of a pattern. A user pattern's budget is
    /// small enough that nested counted repetitions, which make the regex
    /// engine fall back from its lazy DFA to a per-byte simulation of the
    /// whole automaton (minutes on a few megabytes), are an error at load;
    /// ordinary patterns compile to a few kilobytes (`docs/RELIABILITY.md`).
    pub fn size_limit(self) -> usize {
        match self {
            Author::BuiltIn => 8 << 20,
            Author::User => 256 << 10,
        }
    }
}

/// The lazy DFA's cache for every pattern: large, so that a pattern within
/// its size budget keeps its states instead of recomputing them.
const DFA_CACHE_LIMIT: usize = 8 << 20;

/// Compiles a pattern: bytes, Unicode off, within `author`'s budget.
///
/// # Errors
/// What is wrong and where, with the pattern itself only redacted.
pub fn compile_regex(pattern: &str, author: Author) -> Result<Regex> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(author.size_limit())
        .dfa_size_limit(DFA_CACHE_LIMIT)
        .build()
        .map_err(|err| anyhow!(describe_regex_error(pattern, &err, author)))
}

/// A regex error without the pattern in clear: the regex crate quotes it.
fn describe_regex_error(pattern: &str, err: &regex::Error, author: Author) -> String {
    let shown = safe_text::value(pattern);
    if let regex::Error::CompiledTooBig(_) = err {
        return format!(
            "pattern {shown} is too complex: it compiles to over {} KiB, the budget for {} patterns \
             (nested counted repetitions such as (?:[a-z]{{1,50}}){{1,50}} multiply; bound them)",
            author.size_limit() >> 10,
            if author == Author::User { "guard.toml" } else { "built-in" },
        );
    }
    let parsed = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern);
    match parsed {
        Err(regex_syntax::Error::Parse(err)) => {
            format!("pattern {shown}: {} at column {}", err.kind(), err.span().start.column)
        }
        Err(regex_syntax::Error::Translate(err)) => {
            format!("pattern {shown}: {} at column {}", err.kind(), err.span().start.column)
        }
        _ => format!("pattern {shown} is not a valid regex"),
    }
}

/// What a rule needs at match time.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The rule's pattern.
    pub regex: Regex,
    /// The rule's allow patterns, matched against the secret; for a
    /// built-in rule, compiled when it first has a candidate.
    allow: OnceLock<Vec<Regex>>,
    /// The files the rule applies to; `None`: every file, and text
    /// without a path.
    pub paths: Option<PathGlobs>,
    /// The files the rule never applies to (`!` patterns).
    pub exclude: Option<PathGlobs>,
    /// The capture group holding the secret; `None`: the first group that
    /// took part in the match, else the whole match.
    pub secret_group: Option<usize>,
}

impl Compiled {
    /// Compiles `rule`'s regex and path globs (not its allow patterns).
    ///
    /// # Errors
    /// An invalid regex or glob, or a secret group the regex does not have.
    fn new(rule: &Rule, author: Author) -> Result<Compiled> {
        let regex = compile_regex(&rule.regex, author).context("invalid regex")?;
        let groups = regex.captures_len() - 1;
        if let Some(group) = rule.secret_group
            && group > groups
        {
            bail!("secret_group {group} but the regex has {groups} groups");
        }
        let (excluded, included): (Vec<&str>, Vec<&str>) =
            rule.paths.iter().map(|p| p.as_ref()).partition(|p| p.starts_with('!'));
        let excluded: Vec<&str> = excluded.iter().map(|p| &p[1..]).collect();
        let globs = |patterns: &[&str]| -> Result<Option<PathGlobs>> {
            if patterns.is_empty() {
                return Ok(None);
            }
            Ok(Some(PathGlobs::new(patterns, false).context("paths")?))
        };
        Ok(Compiled {
            regex,
            allow: OnceLock::new(),
            paths: globs(&included)?,
            exclude: globs(&excluded)?,
            secret_group: rule.secret_group,
        })
    }

    /// The allow patterns of `rule`, whose compiled form this is.
    pub fn allow(&self, rule: &Rule) -> &[Regex] {
        self.allow.get_or_init(|| {
            compile_allow(rule, Author::BuiltIn).expect("allow patterns of a rule set are known to be valid")
        })
    }

    /// Whether the rule applies to a chunk from `path` (`None`: standard
    /// input or a message).
    pub fn applies_to(&self, path: Option<&Path>) -> bool {
        match path {
            None => self.paths.is_none(),
            Some(path) => {
                self.paths.as_ref().is_none_or(|p| p.is_match(path))
                    && !self.exclude.as_ref().is_some_and(|e| e.is_match(path))
            }
        }
    }
}

fn compile_allow(rule: &Rule, author: Author) -> Result<Vec<Regex>> {
    rule.allow.iter().map(|pattern| compile_regex(pattern, author).context("invalid allow pattern")).collect()
}

/// A rule that passed [`check`], with its patterns compiled.
#[derive(Debug, Clone)]
pub struct CheckedRule {
    /// The rule.
    pub rule: Rule,
    compiled: Compiled,
}

/// Checks everything `rule`, written by `author`, carries.
///
/// # Errors
/// The first problem, saying which field (never quoting a value in clear);
/// the caller adds where the rule was written.
pub fn check(rule: Rule, author: Author) -> Result<CheckedRule> {
    if rule.id.is_empty() || !rule.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        bail!("id must be non-empty letters, digits, '-' or '_'");
    }
    let compiled = Compiled::new(&rule, author)?;
    let allow = compile_allow(&rule, author)?;
    let _ = compiled.allow.set(allow);
    if let Some(name) = &rule.checksum
        && Checksum::from_name(name).is_none()
    {
        bail!("unknown checksum {} (known: {})", safe_text::value(name), Checksum::NAMES.join(", "));
    }
    if rule.keywords.iter().any(|k| k.len() < 2 || k.contains('\n')) {
        bail!("keywords must be at least two bytes long and on one line");
    }
    for (kind, templates) in [("example", &rule.examples), ("negative example", &rule.negative_examples)] {
        for (index, template) in templates.iter().enumerate() {
            Expander::new(0).expand(template).with_context(|| format!("{kind} {}", index + 1))?;
        }
    }
    Ok(CheckedRule { rule, compiled })
}

/// The rules in effect, in priority order, each known to be valid.
#[derive(Debug)]
pub struct RuleSet {
    rules: Cow<'static, [Rule]>,
    /// What is already compiled: the user rules, checked at load.
    compiled: Vec<Option<Compiled>>,
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> RuleSet {
        RuleSet { rules: Cow::Borrowed(BUILTIN), compiled: vec![None; BUILTIN.len()] }
    }

    /// `user` rules first (one with a built-in id replaces it), then the
    /// built-in rules. Disabled rules still run: disabling one accepts its
    /// findings, and says so.
    pub fn new(user: &[CheckedRule]) -> RuleSet {
        if user.is_empty() {
            return RuleSet::builtin();
        }
        let mut rules = Vec::new();
        let mut compiled = Vec::new();
        for checked in user {
            rules.push(checked.rule.clone());
            compiled.push(Some(checked.compiled.clone()));
        }
        for rule in BUILTIN.iter().filter(|r| !user.iter().any(|u| u.rule.id == r.id)) {
            rules.push(rule.clone());
            compiled.push(None);
        }
        RuleSet { rules: Cow::Owned(rules), compiled }
    }

    /// The rules, in priority order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether these are the built-in rules themselves, whose keyword table
    /// `build.rs` has built.
    pub fn is_builtin(&self) -> bool {
        std::ptr::eq(self.rules.as_ref(), BUILTIN)
    }

    /// The rules and, for each, its compiled form if it has one already.
    pub fn into_parts(self) -> (Cow<'static, [Rule]>, Vec<Option<Compiled>>) {
        (self.rules, self.compiled)
    }
}

/// The compiled form of a rule of a [`RuleSet`] that came without one (a
/// built-in rule).
pub fn compile_known_valid(rule: &Rule) -> Compiled {
    Compiled::new(rule, Author::BuiltIn)
        .expect("built-in rules are proven valid by every_builtin_rule_passes_check")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What makes lazy compilation of the built-in rules safe.
    #[test]
    fn every_builtin_rule_passes_check() {
        let failures: Vec<String> = BUILTIN
            .iter()
            .filter_map(|rule| {
                check(rule.clone(), Author::BuiltIn).err().map(|err| format!("{}: {err:#}", rule.id))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// A change to a valid rule.
    type Edit = Box<dyn FnOnce(&mut Rule)>;

    fn custom(edit: impl FnOnce(&mut Rule)) -> Result<CheckedRule> {
        let mut rule = BUILTIN[0].clone();
        rule.id = Cow::Borrowed("custom-rule");
        edit(&mut rule);
        check(rule, Author::User)
    }

    #[test]
    fn each_field_is_checked() {
        let cases: Vec<(&str, Edit)> = vec![
            ("id", Box::new(|r| r.id = Cow::Borrowed("bad id"))),
            ("invalid regex", Box::new(|r| r.regex = Cow::Borrowed("("))),
            ("secret_group", Box::new(|r| r.secret_group = Some(99))),
            ("invalid allow pattern", Box::new(|r| r.allow = Cow::Owned(vec![Cow::Borrowed("[")]))),
            ("paths", Box::new(|r| r.paths = Cow::Owned(vec![Cow::Borrowed("{bad")]))),
            ("paths", Box::new(|r| r.paths = Cow::Owned(vec![Cow::Borrowed("!{bad")]))),
            ("unknown checksum", Box::new(|r| r.checksum = Some(Cow::Borrowed("nope")))),
            ("keywords", Box::new(|r| r.keywords = Cow::Owned(vec![Cow::Borrowed("x")]))),
            (
                "example 1",
                Box::new(|r| r.examples = Cow::Owned(vec![Cow::Borrowed("{{no_such_generator}}")])),
            ),
        ];
        for (expected, edit) in cases {
            let err = custom(edit).expect_err(expected);
            assert!(format!("{err:#}").contains(expected), "{expected}: {err:#}");
        }
        assert!(custom(|_| {}).is_ok());
    }

    #[test]
    fn user_rules_come_first_and_replace_built_in_ones() {
        let user = custom(|r| r.id = BUILTIN[1].id.clone()).unwrap();
        let set = RuleSet::new(&[user]);
        assert!(!set.is_builtin());
        assert_eq!(set.rules()[0].id, BUILTIN[1].id);
        assert_eq!(set.rules().len(), BUILTIN.len());
        assert!(!set.rules()[1..].iter().any(|r| r.id == BUILTIN[1].id));
        assert!(RuleSet::new(&[]).is_builtin());
    }
}
