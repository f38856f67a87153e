//! `guard scan [PATH…]` and `guard scan -`: files, directories or standard
//! input through the pipeline, then the report and the exit code.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
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
    let (mut plan, repo) = if args.staged {
        // The repository git is running in, as the pre-commit hook opens it.
        let repo = crate::git::Repo::open_from_env()?;
        (Plan::for_repo(&repo, common.config.as_deref())?, Some(repo))
    } else {
        Plan::for_cwd(common.config.as_deref())?
    };
    if let Some(size) = &common.max_file_size {
        plan.pipeline = plan.pipeline.with_size_limit(parse_size(size).context("--max-file-size")?);
    }
    let mut pipeline = plan.pipeline;
    if args.staged {
        // What the pre-commit hook checks: the change whole.
        pipeline = pipeline.without_size_limit();
    }

    let mut promisor = None;
    let mut outcome = if let (true, Some(repo)) = (args.staged, &repo) {
        promisor = repo.promisor_remote();
        let diff = crate::git::staged_diff::StagedDiff::spawn(promisor.is_some())?;
        crate::sources::staged::check_staged(repo, &pipeline, diff)?
    } else if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        crate::sources::stdin::check_stdin(&pipeline, std::io::stdin().lock())?
    } else {
        let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
        if let Some(missing) = paths.iter().find(|p| !p.exists()) {
            anyhow::bail!("{}: no such file or directory", missing.display());
        }
        files::check_paths(&pipeline, &paths, args.no_ignore)
    };
    // What is being scanned is not committed yet: HEAD's files judge it.
    plan.acceptance.apply(repo.as_ref(), Judge::Head, &mut outcome.findings, &mut outcome.accepted)?;

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
    plan.pipeline = pipeline;
    super::say_acceptance(&plan, &outcome.accepted, common.quiet);

    let coverage = super::coverage(&outcome, &plan.pipeline, "<stdin>", promisor);
    let options = Options { format: super::format(common.format), show_secrets: common.no_redact };
    if !(common.quiet && outcome.findings.is_empty() && coverage.is_complete()) {
        report::emit(common.output.as_deref(), |out| {
            report::write(out, &outcome.findings, &coverage, options)
        })?;
    }
    Ok(super::scan_outcome(&coverage, !outcome.findings.is_empty(), common.fail_on_skip))
}
