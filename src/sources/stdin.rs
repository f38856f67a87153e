//! Standard input (`guard scan -`): text about to be pasted into an AI
//! chat, or any stream, handed to the pipeline as one piece of content of
//! unknown size: scanned whole, a window at a time, so a stream of any
//! length is checked in bounded memory.

use std::io::Read;

use anyhow::{Context, Result};

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::SourceKind;

/// All of `reader`, checked.
///
/// # Errors
/// A read error.
pub fn check_stdin(pipeline: &Pipeline, mut reader: impl Read) -> Result<Results> {
    let mut results = Results::default();
    let origin = Origin::new(SourceKind::Stdin);
    pipeline
        .check_stream(&mut reader, None, origin, None, &mut Scratch::default(), &mut results)
        .context("reading standard input")?;
    Ok(results)
}
