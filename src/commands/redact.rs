//! `guard redact`: standard input to standard output with every secret
//! masked, so a log or a terminal's output can be shared. Exit 0, or 1 with
//! `--check` when something was masked.

use std::io::{BufReader, BufWriter};

use anyhow::Result;

use crate::Outcome;
use crate::cli::RedactArgs;

/// Runs `guard redact`.
///
/// # Errors
/// Invalid configuration, or a read or write error (a closed output pipe is
/// not one).
pub fn run(args: &RedactArgs) -> Result<Outcome> {
    // Every secret is masked: nothing is accepted here.
    let (plan, _) = super::plan::Plan::for_cwd(args.config.as_deref())?;
    let pipeline = plan.pipeline;
    let mut input = BufReader::with_capacity(64 * 1024, std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let masked = match crate::report::masked::copy_masked(&pipeline.scanner, &mut input, &mut output) {
        Ok(masked) => masked,
        Err(err) if crate::report::is_closed_pipe(&err) => return Ok(Outcome::Clean),
        Err(err) => return Err(anyhow::Error::new(err).context("copying standard input to standard output")),
    };
    Ok(if args.check && masked > 0 { Outcome::Findings } else { Outcome::Clean })
}
