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
            per_parent.push(changed_files(repo, &mut diff)?);
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

/// A blob larger than this is taken as added whole, without a diff: its
/// hunks would need both versions in memory (the scan itself streams it).
const MAX_DIFFED_BLOB: u64 = 32 << 20;

/// The changed blobs of `diff` with their added line ranges: a new file
/// adds every line, a pure rename (same content) none, a modified file the
/// lines of its hunks, computed one file at a time from its two blobs (or,
/// over [`MAX_DIFFED_BLOB`], every line).
fn changed_files(repo: &git2::Repository, diff: &mut git2::Diff<'_>) -> Result<Vec<ChangedFile>> {
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(false).exact_match_only(true);
    diff.find_similar(Some(&mut find)).context("finding renamed files")?;
    let mut files = Vec::new();
    for delta in diff.deltas() {
        let file = delta.new_file();
        let is_blob = matches!(
            file.mode(),
            git2::FileMode::Blob | git2::FileMode::BlobExecutable | git2::FileMode::Link
        );
        if !is_blob {
            continue;
        }
        let path = file.path_bytes().unwrap_or_default().to_vec();
        let blob = Oid::from_git2(file.id());
        let added = match delta.status() {
            Delta::Added => vec![1..=usize::MAX],
            Delta::Renamed | Delta::Copied => Vec::new(),
            Delta::Modified | Delta::Typechange => hunks(repo, delta.old_file().id(), file.id(), &path)?,
            _ => continue,
        };
        let new_path = matches!(delta.status(), Delta::Added | Delta::Renamed | Delta::Copied);
        files.push(ChangedFile { path, blob, new_path, added });
    }
    Ok(files)
}

/// The lines `new` adds to `old` (a file at `path`).
fn hunks(
    repo: &git2::Repository,
    old: git2::Oid,
    new: git2::Oid,
    path: &[u8],
) -> Result<Vec<RangeInclusive<usize>>> {
    let odb = repo.odb().context("opening the object database")?;
    let size =
        |id| odb.read_header(id).map(|(size, _)| size as u64).with_context(|| format!("reading blob {id}"));
    // A type change from a submodule or to nothing readable adds it whole.
    let old_size = if old.is_zero() { None } else { size(old).ok() };
    if old_size.is_none_or(|s| s > MAX_DIFFED_BLOB) || size(new)? > MAX_DIFFED_BLOB {
        return Ok(vec![1..=usize::MAX]);
    }
    let (Ok(old_blob), new_blob) = (repo.find_blob(old), repo.find_blob(new)) else {
        return Ok(vec![1..=usize::MAX]);
    };
    let new_blob = new_blob.with_context(|| format!("reading blob {new}"))?;
    let shown = String::from_utf8_lossy(path);
    let patch = git2::Patch::from_blobs(
        &old_blob,
        Some(std::path::Path::new(shown.as_ref())),
        &new_blob,
        Some(std::path::Path::new(shown.as_ref())),
        Some(&mut diff_options()),
    )
    .with_context(|| format!("diffing blob {old} with {new}"))?;
    let mut added = Vec::new();
    for index in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(index).with_context(|| format!("diffing blob {old} with {new}"))?;
        if hunk.new_lines() > 0 {
            let start = hunk.new_start() as usize;
            added.push(start..=start + hunk.new_lines() as usize - 1);
        }
    }
    Ok(added)
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
