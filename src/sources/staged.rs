//! The staged changes: each changed file's whole staged content goes to
//! the pipeline (so a multi-line secret around a hunk is seen whole) with
//! the lines it adds, and every staged file's name through the path policy.
//! New files are read while git still writes the hunks of modified ones,
//! so on a large commit git's diff and guard's scan each take a core.

use anyhow::{Result, anyhow};

use crate::git::Repo;
use crate::git::staged_diff::{ChangedFile, StagedDiff};
use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::SourceKind;

/// What `diff` stages, checked.
///
/// # Errors
/// git fails, or an object cannot be read.
pub fn check_staged(repo: &Repo, pipeline: &Pipeline, diff: StagedDiff) -> Result<Results> {
    let (known, pending) = diff.files()?;
    if known.is_empty() {
        // Nothing to scan meanwhile (the usual edit): no thread to start.
        return check_files(repo, pipeline, pending.finish()?);
    }
    std::thread::scope(|threads| {
        let modified = threads.spawn(move || pending.finish());
        let first = check_files(repo, pipeline, known);
        // git's failure comes first: it explains any other.
        let modified =
            modified.join().unwrap_or_else(|_| Err(anyhow!("reading git diff --cached failed")))?;
        let mut results = first?;
        results.append(&mut check_files(repo, pipeline, modified)?);
        Ok(results)
    })
}

/// The added lines and names of `changes`, whose content is read from `repo`.
///
/// # Errors
/// An unreadable object.
fn check_files(repo: &Repo, pipeline: &Pipeline, changes: Vec<ChangedFile>) -> Result<Results> {
    let mut results = Results::default();
    let mut scratch = Scratch::default();
    for file in changes {
        let path = crate::git::path_from_bytes(&file.path);
        let origin = Origin { blob: Some(file.blob), ..Origin::file(SourceKind::Staged, &path) };
        pipeline.check_path(origin, &mut scratch, &mut results);
        super::blob::check_changed_file(repo, pipeline, &file, origin, &mut scratch, &mut results)?;
    }
    Ok(results)
}
