//! One file per subcommand: each turns its arguments into a plan (config
//! loaded, pipeline built) and runs it. Shared set-up lives here.

pub mod audit;
pub mod audit_assistants;
pub mod audit_host_hooks;
pub mod baseline;
pub mod hook;
pub mod hook_assistant;
pub mod install;
pub mod install_assistant;
pub mod plan;
pub mod redact;
pub mod rules;
pub mod scan;
pub mod scan_history;
pub mod scan_transcripts;
pub mod status;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::{Command, FormatArg};
use crate::pipeline::{Pipeline, Results, SkipReason};
use crate::policy::acceptance::{self, Accepted};
use crate::report::{Coverage, Format, NotLocal, TooLarge};
use plan::Plan;

/// Runs one subcommand.
///
/// # Errors
/// Whatever stopped it.
pub fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::Scan(args) => scan::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::ScanHistory(args) => scan_history::run(&args),
        Command::Install(args) => install::install(&args),
        Command::Uninstall(args) => install::uninstall(&args),
        Command::Status => status::run(),
        Command::Hook(args) => hook::run(&args),
        Command::Baseline(args) => baseline::run(&args),
        Command::Redact(args) => redact::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::ScanTranscripts(args) => scan_transcripts::run(&args),
    }
}

/// Says what was accepted and what was noticed about the files that
/// accept (on standard error, one line each), unless `quiet`.
pub fn say_acceptance(plan: &Plan, accepted: &Accepted, quiet: bool) {
    if quiet {
        return;
    }
    let mut err = std::io::stderr().lock();
    for note in plan.acceptance.notes() {
        let _ = writeln!(err, "guard: warning: {}", crate::report::names::masked_text(&note));
    }
    if let Some(line) = acceptance::summary(accepted) {
        let _ = writeln!(err, "guard: {line}");
    }
}

/// The work tree the current directory is in, else the current directory:
/// where `guard.toml` and the baseline are looked for.
///
/// # Errors
/// The current directory cannot be found.
pub fn work_tree_or_cwd() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    Ok(crate::git::work_tree_root(&cwd).unwrap_or(cwd))
}

/// The report format chosen on the command line.
pub fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
    }
}

/// What a scan's report must say it did not look at; `unnamed` is what
/// content without a path is; `promisor` the remote of a partial clone.
pub fn coverage(
    results: &Results,
    pipeline: &Pipeline,
    unnamed: &'static str,
    promisor: Option<String>,
) -> Coverage {
    let mut coverage = Coverage {
        limit: pipeline.size_limit().unwrap_or(u64::MAX),
        promisor,
        errors: results.errors.len(),
        unnamed,
        accepted: results.accepted.clone(),
        ..Coverage::default()
    };
    for skip in &results.skipped {
        let (path, blob) = (skip.path.clone(), skip.blob.map(|oid| oid.to_string()));
        match skip.reason {
            SkipReason::TooLarge(size) => coverage.too_large.push(TooLarge { path, blob, size }),
            SkipReason::NotLocal => {
                coverage.not_local.push(NotLocal { path, blob: blob.unwrap_or_default() });
            }
            SkipReason::Binary | SkipReason::LfsPointer => {}
        }
    }
    coverage
}

/// The exit status of a scan: an error, or with `--fail-on-skip` content
/// not read, beats findings, which beat clean.
pub fn scan_outcome(coverage: &Coverage, findings: bool, fail_on_skip: bool) -> Outcome {
    let incomplete = coverage.errors > 0 || (fail_on_skip && coverage.skipped_content());
    crate::report::outcome(incomplete, findings)
}
