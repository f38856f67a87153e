//! A pushed commit's changes through libgit2: the files it changes against
//! its parent, with the lines it adds; for a merge, the lines present in
//! none of its parents; for a root commit, its whole tree.

use std::ops::RangeInclusive;

use anyhow::{Context, Result};
use git2::{Delta, DiffFindOptions, DiffOptions};

use super::staged_diff::ChangedFile;
use super::{Oid, Repo};

impl Repo {
    /// The files commit `oid` changes, with the lines it adds: against its
    /// parent, or the lines in none of its parents for a merge, or its whole
    /// tree for a root commit.
    ///
    /// # Errors
    /// A missing or corrupt commit or tree.
    pub fn commit_changes(&self, oid: Oid) -> Result<Vec<ChangedFile>> {
        let repo = &self.inner;
        let commit = repo.find_commit(oid.to_git2()?).with_context(|| format!("reading commit {oid}"))?;
        let tree = commit.tree().with_context(|| format!("reading the tree of commit {oid}"))?;
        let parents: Vec<git2::Tree<'_>> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<Result<_, _>>()
            .with_context(|| format!("reading the parents of commit {oid}"))?;
        let mut per_parent = Vec::new();
        for parent in parents.iter().map(Some).chain(parents.is_empty().then_some(None)) {
            let mut diff = repo
                .diff_tree_to_tree(parent, Some(&tree), Some(&mut diff_options()))
                .with_context(|| format!("diffing commit {oid}"))?;
            per_parent.push(changed_files(&mut diff)?);
        }
        let mut files = per_parent.remove(0);
        for other in &per_parent {
            files.retain_mut(|file| match other.iter().find(|o| o.path == file.path) {
                Some(o) => {
                    file.added = intersect(&file.added, &o.added);
                    !file.added.is_empty()
                }
                // Unchanged against this parent: the merge adds no line of it.
                None => false,
            });
        }
        Ok(files)
    }
}

/// Zero context; every file diffed as text (a `-diff` attribute must not
/// hide lines from guard, which judges binary content itself).
fn diff_options() -> DiffOptions {
    let mut options = DiffOptions::new();
    options.context_lines(0).ignore_submodules(true).include_typechange(true).force_text(true);
    options
}

/// The changed blobs of `diff` with their added line ranges; pure renames
/// (same content) add no lines.
fn changed_files(diff: &mut git2::Diff<'_>) -> Result<Vec<ChangedFile>> {
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(false).exact_match_only(true);
    diff.find_similar(Some(&mut find)).context("finding renamed files")?;
    let files = std::cell::RefCell::new(Vec::<ChangedFile>::new());
    diff.foreach(
        &mut |delta, _| {
            let wanted = matches!(
                delta.status(),
                Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
            );
            let file = delta.new_file();
            let is_blob = matches!(
                file.mode(),
                git2::FileMode::Blob | git2::FileMode::BlobExecutable | git2::FileMode::Link
            );
            if wanted && is_blob {
                files.borrow_mut().push(ChangedFile {
                    path: file.path_bytes().unwrap_or_default().to_vec(),
                    blob: Oid::from_git2(file.id()),
                    new_path: matches!(delta.status(), Delta::Added | Delta::Renamed | Delta::Copied),
                    added: Vec::new(),
                });
            }
            true
        },
        None,
        Some(&mut |delta, hunk| {
            let mut files = files.borrow_mut();
            if let Some(last) = files.last_mut()
                && Some(last.path.as_slice()) == delta.new_file().path_bytes()
                && hunk.new_lines() > 0
            {
                let start = hunk.new_start() as usize;
                last.added.push(start..=start + hunk.new_lines() as usize - 1);
            }
            true
        }),
        None,
    )
    .context("reading the changes")?;
    Ok(files.into_inner())
}

/// The lines in both sorted range lists.
fn intersect(a: &[RangeInclusive<usize>], b: &[RangeInclusive<usize>]) -> Vec<RangeInclusive<usize>> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let (start, end) = (*x.start().max(y.start()), *x.end().min(y.end()));
            if start <= end {
                out.push(start..=end);
            }
        }
    }
    out
}
