//! One blob's content handed to the pipeline, as the hooks read a changed
//! file: held whole when it fits one scan window (the usual case, one read
//! through libgit2), streamed by git otherwise, so that a staged or pushed
//! file of any size is checked in bounded memory. A file whose added lines
//! git did not give is diffed here from its two versions when it is text
//! (UTF-16 included); a blob a partial clone never fetched is reported as
//! not read.

use anyhow::{Context, Result, bail};

use crate::git::Repo;
use crate::git::staged_diff::ChangedFile;
use crate::pipeline::{Origin, Pipeline, Results, Scratch, Skip, SkipReason, WINDOW, is_binary};
use crate::utf16;

/// Checks the content of a changed `file` (staged or pushed) from
/// `origin`, only the lines it adds counting (nothing when it adds none);
/// when its old blob is given, the lines are those the content adds to
/// that blob instead (its `added` lines stay for binary content and for a
/// blob too large to hold).
///
/// # Errors
/// A missing or corrupt object (missing outside a partial clone), or git
/// failing while it streams one.
pub fn check_changed_file(
    repo: &Repo,
    pipeline: &Pipeline,
    file: &ChangedFile,
    origin: Origin<'_>,
    scratch: &mut Scratch,
    out: &mut Results,
) -> Result<()> {
    if file.added.is_empty() {
        return Ok(());
    }
    let (oid, old, added) = (file.blob, file.old_blob, file.added.as_slice());
    let Some(size) = repo.blob_size(oid)? else {
        if repo.promisor_remote().is_none() {
            bail!("{}", repo.unreadable_object(oid));
        }
        let path = origin.path.map(Into::into);
        out.skipped.push(Skip { path, blob: Some(oid), reason: SkipReason::NotLocal });
        return Ok(());
    };
    if size <= WINDOW as u64 {
        let data = repo.blob(oid)?;
        let diffed = match old {
            Some(old) if is_text(&data) => Some(repo.lines_added_to(old, &data)?),
            _ => None,
        };
        pipeline.check_content(&data, origin, Some(diffed.as_deref().unwrap_or(added)), scratch, out);
        return Ok(());
    }
    let mut stream = repo.blob_stream(oid)?;
    let read = pipeline.check_stream(&mut stream, Some(size), origin, Some(added), scratch, out);
    // git's failure explains a short read best.
    stream.finish()?;
    read.with_context(|| format!("reading blob {oid} from git cat-file"))
}

/// Whether `data` is text the pipeline scans: not binary by git's rule,
/// or UTF-16 text.
fn is_text(data: &[u8]) -> bool {
    let binary = is_binary(data);
    !binary || utf16::detect(data, binary, true).is_some()
}
