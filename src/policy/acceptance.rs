//! What may accept a finding, layer by layer, and by what it was accepted.
//! A layer is one configuration file's acceptance (`[allow]` paths,
//! regexes and stopwords, `[rules] disable`, `[path_policy] allow`) or one
//! baseline's fingerprints, named by where it was read (`guard.toml at
//! HEAD`, the user's file). Which layers apply to a finding is decided by
//! the caller: a repository's entries count only as committed in the first
//! parent of the commit that introduces the finding (DESIGN, "which config
//! applies"). Inline `guard:allow` marks are judged in the pipeline, where
//! the line is.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Result, bail};
use regex::bytes::Regex;

use crate::config::Config;
use crate::policy::globs::PathGlobs;
use crate::scan::finding::Finding;

/// How many findings were accepted, by what (`"[allow] paths in guard.toml
/// at HEAD"`, `"guard:allow on its line"`), in a stable order.
pub type Accepted = BTreeMap<String, usize>;

/// What inline marks are counted as.
pub const INLINE: &str = "guard:allow on its line";

/// The layers in effect, in order; the first that accepts a finding names it.
#[derive(Debug, Clone, Default)]
pub struct Acceptance {
    layers: Vec<Layer>,
}

/// One file's acceptance.
#[derive(Debug, Clone)]
struct Layer {
    /// Where it was read, as the acceptance line names it.
    file: String,
    paths: PathGlobs,
    regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
    disabled: HashSet<String>,
    path_allow: PathGlobs,
    baseline: HashSet<String>,
}

impl Acceptance {
    /// No acceptance at all.
    pub fn none() -> Acceptance {
        Acceptance::default()
    }

    /// Adds the acceptance of `config`, read from `file` (a name for people).
    ///
    /// # Errors
    /// An invalid glob or regex (reported with its line when the file was
    /// loaded).
    pub fn add_config(&mut self, config: &Config, file: &str) -> Result<()> {
        if config.allow_paths.is_empty()
            && config.allow_regexes.is_empty()
            && config.stopwords.is_empty()
            && config.disabled.is_empty()
            && config.path_allow.is_empty()
        {
            return Ok(());
        }
        let regexes = config
            .allow_regexes
            .iter()
            .map(|r| crate::rules::set::compile_regex(r, crate::rules::set::Author::User))
            .collect::<Result<_>>()?;
        self.layers.push(Layer {
            file: file.to_owned(),
            paths: PathGlobs::new(&config.allow_paths, false)?,
            regexes,
            stopwords: config.stopwords.iter().map(|w| w.to_ascii_lowercase().into_bytes()).collect(),
            disabled: config.disabled.iter().cloned().collect(),
            path_allow: PathGlobs::new(&config.path_allow, false)?,
            baseline: HashSet::new(),
        });
        Ok(())
    }

    /// Adds a baseline's `fingerprints`, read from `file`.
    pub fn add_baseline(&mut self, fingerprints: impl IntoIterator<Item = String>, file: &str) {
        let baseline: HashSet<String> = fingerprints.into_iter().collect();
        if baseline.is_empty() {
            return;
        }
        self.layers.push(Layer {
            file: file.to_owned(),
            paths: PathGlobs::default(),
            regexes: Vec::new(),
            stopwords: Vec::new(),
            disabled: HashSet::new(),
            path_allow: PathGlobs::default(),
            baseline,
        });
    }

    /// The same layers without any baseline's.
    pub fn without_baselines(self) -> Acceptance {
        Acceptance { layers: self.layers.into_iter().filter(|l| l.baseline.is_empty()).collect() }
    }

    /// The file whose `[rules] disable` names `id`, if one does.
    pub fn disabling(&self, id: &str) -> Option<&str> {
        self.layers.iter().find(|layer| layer.disabled.contains(id)).map(|layer| layer.file.as_str())
    }

    /// What accepts `finding`, if anything.
    pub fn reason(&self, finding: &Finding) -> Option<String> {
        self.layers
            .iter()
            .find_map(|layer| layer.reason(finding).map(|what| format!("{what} in {}", layer.file)))
    }
}

impl Layer {
    fn reason(&self, finding: &Finding) -> Option<&'static str> {
        if self.baseline.contains(&finding.fingerprint) {
            return Some("the baseline");
        }
        if self.disabled.contains(finding.rule_id.as_ref()) {
            return Some("[rules] disable");
        }
        let path = finding.path.as_deref();
        if path.is_some_and(|p| self.paths.is_match(p)) {
            return Some("[allow] paths");
        }
        if finding.is_path_finding() {
            return path.filter(|p| self.path_allow.is_match(p)).map(|_| "[path_policy] allow");
        }
        if self.regexes.iter().any(|r| r.is_match(&finding.secret)) {
            return Some("[allow] regexes");
        }
        let lower = finding.secret.to_ascii_lowercase();
        self.stopwords
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some())
            .then_some("[allow] stopwords")
    }
}

/// The one line that says what was accepted, or `None` when nothing was:
/// `3 findings accepted: 2 by [allow] paths in guard.toml at HEAD, 1 by
/// guard:allow on its line`.
pub fn summary(accepted: &Accepted) -> Option<String> {
    let total: usize = accepted.values().sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = accepted.iter().map(|(by, count)| format!("{count} by {by}")).collect();
    let noun = if total == 1 { "finding" } else { "findings" };
    Some(format!("{total} {noun} accepted: {}", parts.join(", ")))
}

/// Paths of every kind: an allowlist that matches them all leaves every
/// path unscanned.
const PROBE_PATHS: &[&str] = &[
    "a",
    ".env",
    "src/main.rs",
    "deep/down/in/id_rsa",
    "key.pem",
    "config/credentials.json",
    "A b/\u{fc}.txt",
];

/// Secrets of every shape: an allowlist that matches them all accepts
/// every finding.
const PROBE_SECRETS: &[&str] = &["x", "Zq9", "token-0123456789", "two words", "-----BEGIN", "\u{e9}t\u{e9}"];

/// What `config`'s acceptance leaves unscanned when it leaves everything of
/// a kind (every path, every secret, every rule), one phrase each; empty
/// for an ordinary configuration.
///
/// # Errors
/// An invalid glob or regex (reported with its line when it was loaded).
pub fn sweeping(config: &Config) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let every_path = |globs: &[String]| -> Result<bool> {
        let globs = PathGlobs::new(globs, false)?;
        Ok(PROBE_PATHS.iter().all(|p| globs.is_match(std::path::Path::new(p))))
    };
    if every_path(&config.allow_paths)? {
        found.push("[allow] paths accepts every path".to_owned());
    }
    if every_path(&config.path_allow)? {
        found.push("[path_policy] allow accepts every file that must not be committed".to_owned());
    }
    for regex in &config.allow_regexes {
        let compiled = crate::rules::set::compile_regex(regex, crate::rules::set::Author::User)?;
        if PROBE_SECRETS.iter().all(|s| compiled.is_match(s.as_bytes())) {
            found.push("[allow] regexes accepts every secret".to_owned());
        }
    }
    let lower: Vec<String> = config.stopwords.iter().map(|w| w.to_lowercase()).collect();
    if lower.iter().any(|w| PROBE_SECRETS.iter().all(|s| s.to_lowercase().contains(w.as_str()))) {
        found.push("[allow] stopwords accepts every secret".to_owned());
    }
    if crate::rules::BUILTIN.iter().all(|rule| config.disabled.iter().any(|d| d == rule.id.as_ref())) {
        found.push("[rules] disable turns off every built-in rule".to_owned());
    }
    Ok(found)
}

/// Checks that every id `config` disables names a rule in `known` or a
/// path-policy kind.
///
/// # Errors
/// The first id that names nothing, with the file it is in.
pub fn check_disabled(config: &Config, file: &str, known: &dyn Fn(&str) -> bool) -> Result<()> {
    if let Some(id) = config.disabled.iter().find(|id| !known(id)) {
        bail!("{file}: [rules] disable: no rule has the id {id:?} (see `guard rules list`)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Text;
    use crate::scan::finding::SourceKind;

    fn finding(rule: &'static str, path: &str, secret: &[u8]) -> Finding {
        Finding {
            rule_id: Text::Borrowed(rule),
            description: Text::Borrowed(""),
            rotate: Text::Borrowed(""),
            path: Some(path.into()),
            line: 1,
            column: 1,
            end_line: 1,
            span: 0..0,
            secret: secret.to_vec(),
            encoded: None,
            public_prefix: 0,
            fingerprint: format!("fp-{rule}-{path}"),
            entropy: 0.0,
            source: SourceKind::File,
            commit: None,
            history: None,
        }
    }

    #[test]
    fn each_kind_of_entry_is_named_with_its_file() {
        let config = Config {
            allow_paths: vec!["fixtures/**".into()],
            allow_regexes: vec!["^EXAMPLE".into()],
            stopwords: vec!["dummy".into()],
            disabled: vec!["off".into()],
            path_allow: vec![".env.test".into()],
            ..Config::default()
        };
        let mut acceptance = Acceptance::none();
        acceptance.add_config(&config, "guard.toml at HEAD").unwrap();
        acceptance.add_baseline(["fp-r-kept.txt".to_string()], ".guard-baseline.toml at HEAD");
        let cases = [
            (finding("r", "fixtures/a", b"x"), Some("[allow] paths in guard.toml at HEAD")),
            (finding("r", "a", b"EXAMPLEKEY"), Some("[allow] regexes in guard.toml at HEAD")),
            (finding("r", "a", b"aDUMMYb"), Some("[allow] stopwords in guard.toml at HEAD")),
            (finding("off", "a", b"x"), Some("[rules] disable in guard.toml at HEAD")),
            (finding("file-env", ".env.test", b""), Some("[path_policy] allow in guard.toml at HEAD")),
            (finding("r", "kept.txt", b"x"), Some("the baseline in .guard-baseline.toml at HEAD")),
            (finding("r", "a", b"secret"), None),
            // The path policy's exemptions are not a content allowlist.
            (finding("r", ".env.test", b"secret"), None),
        ];
        let mut accepted = Accepted::new();
        for (finding, want) in cases {
            let reason = acceptance.reason(&finding);
            assert_eq!(reason.as_deref(), want, "{finding:?}");
            if let Some(reason) = reason {
                *accepted.entry(reason).or_default() += 1;
            }
        }
        let line = summary(&accepted).unwrap();
        assert!(line.starts_with("6 findings accepted: "), "{line}");
        assert!(line.contains("1 by [allow] paths in guard.toml at HEAD"), "{line}");
        assert_eq!(summary(&Accepted::new()), None);
    }
}
