//! A pushed commit's changes: the files it changes against its parent,
//! with the lines it adds; for a merge, the lines present in none of its
//! parents; for a root commit, its whole tree. The file lists come from
//! libgit2's tree diff, or `git diff-tree` where git reads the repository;
//! the added lines from guard's diff of the two blobs either way.

use std::ops::RangeInclusive;

use anyhow::{Context, Result};
use git2::{Delta, DiffFindOptions, DiffOptions};

use super::blob_diff::EVERY_LINE;
use super::staged_diff::ChangedFile;
use super::{MaybeZeroOid, Oid, Repo, Store, parse};

impl Repo {
    /// The files commit `oid` changes, with the lines it adds: against its
    /// parent, or the lines in none of its parents for a merge, or its whole
    /// tree for a root commit.
    ///
    /// # Errors
    /// A missing or corrupt commit or tree.
    pub fn commit_changes(&self, oid: Oid) -> Result<Vec<ChangedFile>> {
        let mut per_parent = match &self.store {
            Store::Lib(repo) => {
                let commit =
                    repo.find_commit(oid.to_git2()?).with_context(|| format!("reading commit {oid}"))?;
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
                    per_parent.push(changed_files(self, &mut diff)?);
                }
                per_parent
            }
            Store::Git(store) => {
                let parents = self.commit(oid)?.parents;
                let (commit, mut per_parent) = (oid.to_string(), Vec::new());
                // Exact renames only, submodules left out, as above.
                let args = ["diff-tree", "-r", "-z", "--raw", "--no-commit-id", "--find-renames=100%"];
                if parents.is_empty() {
                    let raw = store.git(&[&args[..], &["--root", &commit]].concat())?;
                    per_parent.push(changed_files_from_raw(self, &raw)?);
                }
                for parent in &parents {
                    let raw = store.git(&[&args[..], &[&parent.to_string(), &commit]].concat())?;
                    per_parent.push(changed_files_from_raw(self, &raw)?);
                }
                per_parent
            }
        };
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
fn changed_files(repo: &Repo, diff: &mut git2::Diff<'_>) -> Result<Vec<ChangedFile>> {
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
            Delta::Added => vec![EVERY_LINE],
            Delta::Renamed | Delta::Copied => Vec::new(),
            Delta::Modified | Delta::Typechange => {
                hunks(repo, Oid::from_git2(delta.old_file().id()), Oid::from_git2(file.id()))?
            }
            _ => continue,
        };
        let new_path = matches!(delta.status(), Delta::Added | Delta::Renamed | Delta::Copied);
        files.push(ChangedFile { path, blob, old_blob: None, new_path, added });
    }
    Ok(files)
}

/// [`changed_files`] from `git diff-tree -z --raw` output: records of
/// metadata, path and (for a rename or copy) the new path.
fn changed_files_from_raw(repo: &Repo, raw: &[u8]) -> Result<Vec<ChangedFile>> {
    let mut fields = raw.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut files = Vec::new();
    while let Some(meta) = fields.next() {
        let record = parse::raw_record(meta)?;
        let mut path = fields.next().context("git diff-tree wrote a record without a path")?;
        if record.has_two_paths() {
            path = fields.next().context("git diff-tree wrote a rename without its new path")?;
        }
        let Some(blob) = record.new_blob() else { continue };
        let added = match (record.status, record.old_oid) {
            (b'A', _) => vec![EVERY_LINE],
            (b'R' | b'C', _) => Vec::new(),
            (b'M' | b'T', MaybeZeroOid::Oid(old)) => hunks(repo, old, blob)?,
            (b'M' | b'T', MaybeZeroOid::Zero) => vec![EVERY_LINE],
            _ => continue,
        };
        let new_path = matches!(record.status, b'A' | b'R' | b'C');
        files.push(ChangedFile { path: path.to_vec(), blob, old_blob: None, new_path, added });
    }
    Ok(files)
}

/// The lines blob `new` adds to blob `old`, diffed as text (UTF-16
/// decoded first). Every line when the old side is no blob (a type
/// change), is missing (a partial clone never fetched it), or either is
/// over [`MAX_DIFFED_BLOB`]; a missing new blob too, which the scan then
/// reports as not read.
fn hunks(repo: &Repo, old: Oid, new: Oid) -> Result<Vec<RangeInclusive<usize>>> {
    if old.is_zero() {
        return Ok(vec![EVERY_LINE]);
    }
    let small = |size: Option<u64>| size.is_some_and(|s| s <= MAX_DIFFED_BLOB);
    // A type change from a submodule or to nothing readable adds it whole.
    if !small(repo.blob_size(old).unwrap_or(None)) || !small(repo.blob_size(new)?) {
        return Ok(vec![EVERY_LINE]);
    }
    let Some(new_content) = repo.blob_if_present(new)? else { return Ok(vec![EVERY_LINE]) };
    match repo.blob_if_present(old) {
        Ok(Some(old_content)) => super::blob_diff::added_lines(&old_content, &new_content)
            .with_context(|| format!("diffing blob {old} with {new}")),
        _ => Ok(vec![EVERY_LINE]),
    }
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
