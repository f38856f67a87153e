//! One blob's content handed to the pipeline, as the hooks read a changed
//! file: held whole when it fits one scan window (the usual case, one read
//! through libgit2), streamed by git otherwise, so that a staged or pushed
//! file of any size is checked in bounded memory.

use std::ops::RangeInclusive;

use anyhow::{Context, Result};

use crate::git::{Oid, Repo};
use crate::pipeline::{Origin, Pipeline, Results, Scratch, WINDOW};

/// Checks blob `oid`'s content from `origin`, only the `added` lines
/// counting.
///
/// # Errors
/// A missing or corrupt object, or git failing while it streams one.
pub fn check_blob(
    repo: &Repo,
    pipeline: &Pipeline,
    oid: Oid,
    origin: Origin<'_>,
    added: &[RangeInclusive<usize>],
    scratch: &mut Scratch,
    out: &mut Results,
) -> Result<()> {
    let size = repo.blob_size(oid)?;
    if size <= WINDOW as u64 {
        let data = repo.blob(oid)?;
        pipeline.check_content(&data, origin, Some(added), scratch, out);
        return Ok(());
    }
    let mut stream = repo.blob_stream(oid)?;
    let read = pipeline.check_stream(&mut stream, Some(size), origin, Some(added), scratch, out);
    // git's failure explains a short read best.
    stream.finish()?;
    read.with_context(|| format!("reading blob {oid} from git cat-file"))
}
