//! The plan every scanning command shares, built once from the effective
//! configuration: the rule set and scanner, the path policy and the filters.
//! Sources hand it chunks and paths; it hands back the findings that count.

use std::borrow::Cow;

use std::path::Path;

use anyhow::{Result, bail};

use crate::config::{Config, DEFAULT_MAX_FILE_SIZE};
use crate::policy::allow::Filters;
use crate::policy::path_policy::PathPolicy;
use crate::rules::{BUILTIN, Rule};
use crate::scan::finding::{Finding, SourceKind};
use crate::scan::matcher::Matcher;
use crate::scan::scanner::{ScanScratch, Scanner};
use crate::sources::Chunk;

/// Scanner, path policy and filters, ready to use from many threads.
#[derive(Debug)]
pub struct Pipeline {
    /// Content rules.
    pub scanner: Scanner,
    /// Names of files that must not be committed.
    pub policy: PathPolicy,
    /// What the user has accepted.
    pub filters: Filters,
    /// Files (and blobs) larger than this are skipped and reported.
    pub max_file_size: u64,
}

impl Pipeline {
    /// Builds the plan from `config`.
    ///
    /// # Errors
    /// A disabled id that names no rule, or an invalid user pattern.
    pub fn new(config: &Config) -> Result<Pipeline> {
        let rules = effective_rules(config)?;
        let matcher = Matcher::new(rules)?;
        Ok(Pipeline {
            scanner: Scanner::new(matcher),
            policy: PathPolicy::new(&config.path_deny, &config.path_allow, &config.disabled)?,
            filters: Filters::new(config)?,
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        })
    }

    /// Appends the accepted-filtered findings in `chunk` to `out`.
    pub fn scan_chunk(&self, chunk: &Chunk<'_>, scratch: &mut ScanScratch, out: &mut Vec<Finding>) {
        let first_new = out.len();
        self.scanner.scan(chunk, scratch, out);
        let mut new = out.split_off(first_new);
        if let Some(lines) = chunk.only_lines {
            new.retain(|f| {
                lines.iter().any(|wanted| f.line <= *wanted.end() && *wanted.start() <= f.end_line)
            });
        }
        self.filters.retain(chunk.data, &mut new);
        out.append(&mut new);
    }

    /// Appends the path-policy finding for `path`, unless the user accepted it.
    pub fn check_path(&self, path: &Path, source: SourceKind, out: &mut Vec<Finding>) {
        if let Some(finding) = self.policy.check(path, source) {
            let mut one = vec![finding];
            self.filters.retain(&[], &mut one);
            out.append(&mut one);
        }
    }
}

/// User rules first (a user rule with a built-in id replaces it), then the
/// built-in rules that are not disabled, in rule-file order; the built-in
/// rules themselves, borrowed, when the configuration changes none.
///
/// # Errors
/// A disabled id that names no rule or path-policy kind.
pub fn effective_rules(config: &Config) -> Result<Cow<'static, [Rule]>> {
    for id in &config.disabled {
        let known = BUILTIN.iter().any(|r| r.id == id.as_str())
            || config.rules.iter().any(|r| r.id == id.as_str())
            || PathPolicy::builtin_ids().any(|p| p == id);
        if !known {
            let files: Vec<String> = config.files.iter().map(|f| f.display().to_string()).collect();
            bail!(
                "{}: [rules] disable: no rule has the id {id:?} (see `guard rules list`)",
                files.join(", ")
            );
        }
    }
    let disables_a_rule = config.disabled.iter().any(|id| BUILTIN.iter().any(|r| r.id == id.as_str()));
    if config.rules.is_empty() && !disables_a_rule {
        return Ok(Cow::Borrowed(BUILTIN));
    }
    let mut rules: Vec<Rule> =
        config.rules.iter().filter(|r| !config.disabled.contains(&r.id.to_string())).cloned().collect();
    rules.extend(
        BUILTIN
            .iter()
            .filter(|r| !config.disabled.iter().any(|d| d == r.id.as_ref()))
            .filter(|r| !config.rules.iter().any(|u| u.id == r.id))
            .cloned(),
    );
    Ok(Cow::Owned(rules))
}
