//! `guard scan-history`: open the repository (work tree, bare or mirror),
//! take its configuration (`commands/plan.rs`), scan
//! the history, and write the incident report, the exit code and, if asked,
//! a `git filter-repo` replace-text file.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::cli::ScanHistoryArgs;
use crate::config::parse_size;
use crate::git::Repo;
use crate::git::log::Selection;
use crate::pipeline::SkipReason;
use crate::progress::Progress;
use crate::report::{self, Format, Options};
use crate::sources::history;

/// Runs `guard scan-history`.
///
/// # Errors
/// Not a repository, a bad revision, date or configuration, or a report that
/// cannot be written.
pub fn run(args: &ScanHistoryArgs) -> Result<Outcome> {
    let common = &args.common;
    let started = Instant::now();
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let repo = Repo::discover(&cwd)?;
    let mut plan = Plan::for_repo(&repo, common.config.as_deref())?;
    if let Some(size) = &common.max_file_size {
        plan.pipeline = plan.pipeline.with_size_limit(parse_size(size).context("--max-file-size")?);
    }
    let pipeline = &plan.pipeline;
    let since = args.since.as_deref().map(crate::datetime::parse).transpose().context("--since")?;
    let selection = Selection { revisions: args.revisions.clone(), since };

    let progress = Progress::new("scanning blobs", 0, !common.quiet);
    let done = AtomicBool::new(false);
    // A chosen history is judged commit by commit, each by what its parent
    // accepted; the whole history by what HEAD accepts today.
    let judge = if selection.revisions.is_empty() && selection.since.is_none() {
        Judge::Head
    } else {
        Judge::ParentOfEach
    };
    let mut scan = std::thread::scope(|threads| {
        threads.spawn(|| progress.draw_until(|| done.load(Ordering::Relaxed)));
        let scan = history::check_history(&repo, pipeline, &selection, &progress);
        done.store(true, Ordering::Relaxed);
        scan
    })?;
    plan.acceptance.apply(Some(&repo), judge, &mut scan.results.findings, &mut scan.results.accepted)?;
    let results = &scan.results;

    if !common.quiet {
        if common.verbose {
            let count = |reason| results.skipped.iter().filter(|s| s.reason == reason).count();
            eprintln!("guard: {} binary blobs got no content rules", count(SkipReason::Binary));
            eprintln!("guard: {} Git LFS pointers got no content rules", count(SkipReason::LfsPointer));
        }
        eprintln!(
            "guard: scanned {} commits, {} blobs ({:.1} MB) in {:.1} s",
            scan.commits,
            scan.blobs,
            scan.bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    for error in &results.errors {
        report::say_error(error);
    }
    super::say_acceptance(&plan, &results.accepted, common.quiet);

    if let Some(path) = &args.replace_file {
        let mut file = std::io::BufWriter::new(report::create_private_file(path)?);
        let written =
            report::replace_text::write(&mut file, &results.findings).and_then(|n| file.flush().map(|()| n));
        let count = written.with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "guard: wrote {count} expressions to {} for `git filter-repo --replace-text {}`. It holds the secrets in clear: delete it when done.",
            path.display(),
            path.display()
        );
        eprintln!(
            "guard: rewriting history does not make a leaked secret safe; rotating it does (see each finding's rotate line)."
        );
    }

    let coverage = super::coverage(results, pipeline, "a commit message", repo.promisor_remote());
    let options = Options { format: super::format(common.format), show_secrets: common.no_redact };
    if !(common.quiet && results.findings.is_empty() && coverage.is_complete()) {
        report::emit(common.output.as_deref(), |out| match options.format {
            Format::Human => report::incident::write(out, &results.findings, &coverage, options.show_secrets),
            _ => report::write(out, &results.findings, &coverage, options),
        })?;
    }
    Ok(super::scan_outcome(&coverage, !results.findings.is_empty(), common.fail_on_skip))
}
