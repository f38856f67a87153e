//! What the user has accepted: inline `guard:allow` (or detect-secrets'
//! `pragma: allowlist secret`) on a finding's line, the allowlists of
//! `guard.toml` (paths, secret regexes, stopwords), and the baseline.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use regex::bytes::Regex;

use crate::policy::globs::PathGlobs;
use crate::scan::finding::Finding;

/// Marks that, on a finding's first or last line, suppress it.
pub const INLINE_MARKERS: &[&str] = &["guard:allow", "pragma: allowlist secret"];

/// The allowlists of the effective configuration, compiled.
#[derive(Debug, Clone)]
pub struct Filters {
    baseline: HashSet<String>,
    paths: PathGlobs,
    regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
}

impl Filters {
    /// Compiles the allowlists (`[allow]` of `guard.toml`: path globs,
    /// secret regexes, stopwords) and accepts the `baseline` fingerprints.
    ///
    /// # Errors
    /// An invalid glob or regex (already reported with its line when the
    /// configuration was loaded).
    pub fn new(
        paths: &[String],
        regexes: &[String],
        stopwords: &[String],
        baseline: Vec<String>,
    ) -> Result<Filters> {
        Ok(Filters {
            baseline: baseline.into_iter().collect(),
            paths: PathGlobs::new(paths, false)?,
            regexes: regexes
                .iter()
                .map(|r| crate::rules::set::compile_regex(r, crate::rules::set::Author::User))
                .collect::<Result<_>>()?,
            stopwords: stopwords.iter().map(|w| w.to_ascii_lowercase().into_bytes()).collect(),
        })
    }

    /// Drops from `findings` those the user has accepted. `data` is the chunk
    /// the content findings were found in.
    pub fn retain(&self, data: &[u8], findings: &mut Vec<Finding>) {
        findings.retain(|f| !self.allows(data, f));
    }

    /// Whether findings in `path` are dropped (`[allow] paths`).
    pub fn allows_path(&self, path: &Path) -> bool {
        self.paths.is_match(path)
    }

    fn allows(&self, data: &[u8], finding: &Finding) -> bool {
        if self.baseline.contains(&finding.fingerprint)
            || finding.path.as_deref().is_some_and(|p| self.allows_path(p))
        {
            return true;
        }
        if finding.is_path_finding() {
            return false;
        }
        if has_inline_marker(data, finding) || self.regexes.iter().any(|r| r.is_match(&finding.secret)) {
            return true;
        }
        let lower = finding.secret.to_ascii_lowercase();
        self.stopwords.iter().any(|w| memchr::memmem::find(&lower, w).is_some())
    }
}

/// Whether the first or last line of the finding carries an inline marker.
fn has_inline_marker(data: &[u8], finding: &Finding) -> bool {
    let span = finding.span.clone();
    if span.end > data.len() {
        return false;
    }
    let first_start = memchr::memrchr(b'\n', &data[..span.start]).map_or(0, |i| i + 1);
    let first_end = memchr::memchr(b'\n', &data[span.start..]).map_or(data.len(), |i| span.start + i);
    let last_start = memchr::memrchr(b'\n', &data[..span.end]).map_or(0, |i| i + 1);
    let last_end = memchr::memchr(b'\n', &data[span.end..]).map_or(data.len(), |i| span.end + i);
    [&data[first_start..first_end], &data[last_start..last_end]]
        .iter()
        .any(|line| INLINE_MARKERS.iter().any(|m| memchr::memmem::find(line, m.as_bytes()).is_some()))
}
