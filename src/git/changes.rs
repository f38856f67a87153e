//! Changed files with the line ranges they add: the staged index against
//! HEAD (the empty tree before the first commit) for pre-commit, and a
//! pushed commit against its parents for pre-push (a merge's own lines are
//! those in none of its parents). The repository is opened from the
//! environment, so the temporary index of `git commit -a` or
//! `git commit PATH` (`GIT_INDEX_FILE`) is the one read.

use std::ops::RangeInclusive;

use anyhow::{Context, Result};
use git2::{Delta, DiffFindOptions, DiffOptions, Repository};

use super::{Oid, Repo};

/// A file whose content changed.
#[derive(Debug, Clone)]
pub struct ChangedFile {
    /// Its path.
    pub path: Vec<u8>,
    /// Its new content.
    pub blob: Oid,
    /// Whether the path is new (added, renamed or copied).
    pub new_path: bool,
    /// Line ranges (1-based, inclusive) the change adds.
    pub added: Vec<RangeInclusive<usize>>,
}

impl Repo {
    /// Opens the repository git is working on, from the environment
    /// (`GIT_DIR`, `GIT_INDEX_FILE`, the current directory), as a hook must.
    ///
    /// # Errors
    /// Not in a repository, or one libgit2 cannot read.
    pub fn open_from_env() -> Result<Repo> {
        let inner = Repository::open_from_env().context("opening the git repository git is running in")?;
        Ok(Repo { inner })
    }

    /// The files the staged index changes against HEAD, with added lines.
    /// Pure renames (same content) add no lines; submodules are skipped.
    ///
    /// # Errors
    /// An unreadable index or object.
    pub fn staged_changes(&self) -> Result<Vec<ChangedFile>> {
        let repo = &self.inner;
        let index = repo.index().context("reading the index")?;
        let head = match repo.head() {
            Ok(head) => Some(head.peel_to_tree().context("reading HEAD's tree")?),
            Err(err) if matches!(err.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
                None
            }
            Err(err) => return Err(err).context("reading HEAD"),
        };
        let mut diff = repo
            .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut diff_options()))
            .context("comparing the index with HEAD")?;
        changed_files(&mut diff)
    }

    /// The files commit `oid` changes, with the lines it adds: against its
    /// parent, or the lines in none of its parents for a merge, or its whole
    /// tree for a root commit.
    ///
    /// # Errors
    /// A missing or corrupt commit or tree.
    pub fn commit_changes(&self, oid: Oid) -> Result<Vec<ChangedFile>> {
        let repo = &self.inner;
        let commit = repo.find_commit(oid).with_context(|| format!("reading commit {oid}"))?;
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

    /// The content of blob `oid`.
    ///
    /// # Errors
    /// A missing or corrupt object, named.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        let blob = self.inner.find_blob(oid).with_context(|| format!("reading blob {oid}"))?;
        Ok(blob.content().to_vec())
    }
}

fn diff_options() -> DiffOptions {
    let mut options = DiffOptions::new();
    options.context_lines(0).ignore_submodules(true).include_typechange(true);
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
                    blob: file.id(),
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
