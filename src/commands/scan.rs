//! `guard scan [PATH…]` and `guard scan -`: files, directories or standard
//! input through the pipeline, then the report and the exit code.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::ScanArgs;
use crate::config::parse_size;
use crate::pipeline::SkipReason;
use crate::report::{self, Options};
use crate::sources::files;

/// Runs `guard scan`.
///
/// # Errors
/// Invalid configuration or flags, an unreadable standard input, or a report
/// that cannot be written.
pub fn run(args: &ScanArgs) -> Result<Outcome> {
    let common = &args.common;
    let mut config = super::load_config(common.config.as_deref())?;
    if let Some(size) = &common.max_file_size {
        config.max_file_size = Some(parse_size(size).context("--max-file-size")?);
    }
    let work_tree = if common.config.is_none() { Some(super::work_tree_or_cwd()?) } else { None };
    let mut pipeline = super::pipeline(&config, work_tree.as_deref())?;
    if args.staged {
        // What the pre-commit hook checks: the change whole.
        pipeline = pipeline.without_size_limit();
    }

    let mut promisor = None;
    let outcome = if args.staged {
        let repo = crate::git::Repo::open_from_env()?;
        promisor = repo.promisor_remote();
        let diff = crate::git::staged_diff::StagedDiff::spawn(promisor.is_some())?;
        crate::sources::staged::check_staged(&repo, &pipeline, diff)?
    } else if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        crate::sources::stdin::check_stdin(&pipeline, std::io::stdin().lock())?
    } else {
        let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
        if let Some(missing) = paths.iter().find(|p| !p.exists()) {
            anyhow::bail!("{}: no such file or directory", missing.display());
        }
        files::check_paths(&pipeline, &paths, args.no_ignore)
    };

    if common.verbose && !common.quiet {
        for skip in &outcome.skipped {
            let place = skip.path.as_deref().map_or("<stdin>".into(), |path| report::shown_path(path, false));
            match skip.reason {
                SkipReason::Binary => {
                    eprintln!("guard: skipped {place}: binary (its name was still checked)")
                }
                SkipReason::LfsPointer => {
                    eprintln!("guard: skipped {place}: a Git LFS pointer (its name was still checked)");
                }
                SkipReason::TooLarge(_) | SkipReason::NotLocal => {}
            }
        }
    }
    for error in &outcome.errors {
        report::say_error(error);
    }

    let coverage = super::coverage(&outcome, &pipeline, "<stdin>", promisor);
    let options = Options { format: super::format(common.format), show_secrets: common.no_redact };
    if !(common.quiet && outcome.findings.is_empty() && coverage.is_complete()) {
        report::emit(common.output.as_deref(), |out| {
            report::write(out, &outcome.findings, &coverage, options)
        })?;
    }
    Ok(super::scan_outcome(&coverage, !outcome.findings.is_empty(), common.fail_on_skip))
}
