//! `guard rules list` and `guard rules check`. The check runs every rule in
//! effect (built-in and from `guard.toml`) against its examples through the
//! full scanner, keyword gate included, and compares gated with ungated
//! results; the test suite runs the same check.

use std::io::Write;

use anyhow::Result;

use crate::Outcome;
use crate::cli::{RulesAction, RulesArgs};
use crate::pipeline::Pipeline;
use crate::policy::path_policy::PathPolicy;
use crate::rules::template::Expander;
use crate::scan::chunk::Chunk;
use crate::scan::finding::SourceKind;
use crate::scan::matcher::Gate;
use crate::scan::scanner::{ScanScratch, Scanner};

/// Runs `guard rules`.
///
/// # Errors
/// Invalid configuration.
pub fn run(args: &RulesArgs) -> Result<Outcome> {
    let (plan, repo) = super::plan::Plan::for_cwd(args.config.as_deref())?;
    let disabled = |id: &str| plan.acceptance.disabled_by(repo.as_ref(), id);
    let pipeline = &plan.pipeline;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.action {
        RulesAction::List => list(pipeline, &disabled, &mut out).map(|()| Outcome::Clean),
        RulesAction::Check { seed, rounds } => {
            let failures = check(&pipeline.scanner, seed, rounds);
            let count = pipeline.scanner.matcher().rules().len();
            (|| {
                for failure in &failures {
                    writeln!(out, "FAIL {failure}")?;
                }
                writeln!(
                    out,
                    "{} passed, {} failed",
                    count - failed_rules(&failures),
                    failed_rules(&failures)
                )?;
                Ok(if failures.is_empty() { Outcome::Clean } else { Outcome::Findings })
            })()
        }
    };
    match written.and_then(|outcome| out.flush().map(|()| outcome)) {
        Ok(outcome) => Ok(outcome),
        Err(err) if crate::report::is_closed_pipe(&err) => Ok(Outcome::Clean),
        Err(err) => Err(err.into()),
    }
}

/// Every rule and path kind, one a line; a disabled one says by which
/// file (it still runs, and its findings are counted as accepted).
fn list(
    pipeline: &Pipeline,
    disabled: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let off = |id: &str| disabled(id).map_or_else(String::new, |file| format!(" [disabled by {file}]"));
    for rule in pipeline.scanner.matcher().rules() {
        writeln!(out, "{:<36} {}{}", rule.id, rule.description, off(&rule.id))?;
    }
    for id in PathPolicy::builtin_ids() {
        writeln!(out, "{id:<36} (path policy: file name){}", off(id))?;
    }
    Ok(())
}

/// A rule that failed its own examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The rule.
    pub rule: String,
    /// What went wrong, with the template and the seed to replay it.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

fn failed_rules(failures: &[Failure]) -> usize {
    let mut rules: Vec<&str> = failures.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    rules.len()
}

/// Runs every rule of `scanner` against its examples (`rounds` fresh
/// expansions each, from `seed`): each example must yield a finding of its
/// rule, no negative example may, a rule must have at least one example,
/// and the keyword gate must not change any result.
pub fn check(scanner: &Scanner, seed: u64, rounds: u32) -> Vec<Failure> {
    let mut failures = Vec::new();
    for rule in scanner.matcher().rules() {
        let path = rule.paths.iter().find(|glob| !glob.starts_with('!')).map(|glob| sample_path(glob));
        let mut fail = |message: String| failures.push(Failure { rule: rule.id.to_string(), message });
        if rule.examples.is_empty() {
            fail("has no examples".into());
        }
        let cases =
            rule.examples.iter().map(|t| (t, true)).chain(rule.negative_examples.iter().map(|t| (t, false)));
        for (index, (template, positive)) in cases.enumerate() {
            for round in 0..rounds {
                let case_seed = seed ^ (u64::from(round) << 32) ^ (index as u64).wrapping_mul(0x9E37_79B9);
                let text = match Expander::new(case_seed).expand(template) {
                    Ok(text) => text,
                    Err(err) => {
                        fail(format!("template {template:?}: {err}"));
                        break;
                    }
                };
                let found = |gate| {
                    let chunk = Chunk {
                        data: text.as_bytes(),
                        path: path.as_deref(),
                        source: SourceKind::File,
                        first_line: 1,
                        only_lines: None,
                    };
                    let mut findings = Vec::new();
                    scanner.scan_with(&chunk, gate, &mut ScanScratch::default(), &mut findings);
                    findings.into_iter().map(|f| (f.rule_id.to_string(), f.span)).collect::<Vec<_>>()
                };
                let gated = found(Gate::Keywords);
                let hit = gated.iter().any(|(id, _)| *id == rule.id);
                if hit != positive {
                    let kind = if positive { "example not found" } else { "negative example found" };
                    fail(format!("{kind}: {template:?} (seed {case_seed}, text {text:?})"));
                    break;
                }
                if gated != found(Gate::Off) {
                    fail(format!("keyword gate changes the result on {template:?} (seed {case_seed})"));
                    break;
                }
            }
        }
    }
    failures
}

/// A file name matching `glob`, for running the examples of a rule that
/// applies to some files only: `*.yaml` gives `example.yaml`.
fn sample_path(glob: &str) -> std::path::PathBuf {
    glob.trim_start_matches("**/").replace('*', "example").into()
}
