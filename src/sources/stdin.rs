//! Standard input (`guard scan -`): text about to be pasted into an AI
//! chat, or any stream, read whole and handed to the pipeline as one piece
//! of content.

use std::io::Read;

use anyhow::{Context, Result};

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::SourceKind;

/// All of `reader`, checked.
///
/// # Errors
/// A read error.
pub fn check_stdin(pipeline: &Pipeline, mut reader: impl Read) -> Result<Results> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).context("reading standard input")?;
    let mut results = Results::default();
    pipeline.check_content(
        &data,
        Origin::new(SourceKind::Stdin),
        None,
        &mut Scratch::default(),
        &mut results,
    );
    Ok(results)
}
