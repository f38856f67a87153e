//! `guard scan [PATH…]` and `guard scan -`: files, directories or standard
//! input through the pipeline, then the report and the exit code.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::ScanArgs;
use crate::config::parse_size;
use crate::pipeline::Pipeline;
use crate::report::{self, Options};
use crate::sources::files::{self, SkipReason};

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
    let pipeline = Pipeline::new(&config)?;

    let outcome = if args.staged {
        let diff = crate::git::changes::StagedDiff::spawn()?;
        let repo = crate::git::Repo::open_from_env()?;
        let findings = crate::sources::staged::scan_diff(&repo, &pipeline, diff)?;
        files::Outcome { findings, ..files::Outcome::default() }
    } else if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        files::scan_reader(&pipeline, std::io::stdin().lock())?
    } else {
        let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
        if let Some(missing) = paths.iter().find(|p| !p.exists()) {
            anyhow::bail!("{}: no such file or directory", missing.display());
        }
        files::scan_paths(&pipeline, &paths, args.no_ignore)
    };

    if !common.quiet {
        for skip in &outcome.skipped {
            match skip.reason {
                SkipReason::TooLarge(size) => eprintln!(
                    "guard: skipped {}: {size} bytes is over the size limit of {} bytes (--max-file-size)",
                    skip.path.display(),
                    pipeline.max_file_size
                ),
                SkipReason::Binary if common.verbose => {
                    eprintln!("guard: skipped {}: binary (its name was still checked)", skip.path.display());
                }
                SkipReason::Binary => {}
            }
        }
    }
    for error in &outcome.errors {
        eprintln!("guard: error: {error}");
    }

    let options = Options { format: super::format(common.format), show_secrets: common.no_redact };
    if !(common.quiet && outcome.findings.is_empty()) {
        report::emit(common.output.as_deref(), |out| report::write(out, &outcome.findings, options))?;
    }
    Ok(report::outcome(!outcome.errors.is_empty(), !outcome.findings.is_empty()))
}
