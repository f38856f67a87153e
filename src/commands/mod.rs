//! One file per subcommand: each turns its arguments into a plan (config
//! loaded, pipeline built) and runs it. Shared set-up lives here.

pub mod audit;
pub mod baseline;
pub mod hook;
pub mod hook_claude;
pub mod install;
pub mod install_claude;
pub mod redact;
pub mod rules;
pub mod scan;
pub mod scan_history;
pub mod status;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::{Command, FormatArg};
use crate::config::{self, Config, Sources};
use crate::pipeline::{Pipeline, Results, SkipReason};
use crate::report::{Coverage, Format, NotLocal, TooLarge};

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
    }
}

/// Loads the configuration that applies in the current directory:
/// `--config`, else the work tree's `guard.toml` (outside a work tree, the
/// current directory's); then the user's.
///
/// # Errors
/// A config file that cannot be read or is invalid.
pub fn load_config(explicit: Option<&Path>) -> Result<Config> {
    let work_tree = if explicit.is_none() { Some(work_tree_or_cwd()?) } else { None };
    load_config_at(explicit, work_tree.as_deref())
}

/// [`load_config`] for a work tree already known (a hook's repository).
///
/// # Errors
/// A config file that cannot be read or is invalid.
pub fn load_config_at(explicit: Option<&Path>, work_tree: Option<&Path>) -> Result<Config> {
    config::load(&Sources {
        explicit: explicit.map(Into::into),
        work_tree: work_tree.map(Into::into),
        head: None,
        user: config::user_config_path(),
    })
}

/// The plan for a work tree: the configuration's pipeline, accepting the
/// fingerprints of the baseline at `work_tree`'s root.
///
/// # Errors
/// An invalid configuration or baseline.
pub fn pipeline(config: &Config, work_tree: Option<&Path>) -> Result<Pipeline> {
    let baseline = match work_tree {
        Some(root) => crate::policy::baseline::read(root)?.unwrap_or_default(),
        None => Vec::new(),
    };
    crate::report::names::remember_user_rules(&config.rules);
    Pipeline::new(config, baseline.into_iter().map(|entry| entry.fingerprint).collect())
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
