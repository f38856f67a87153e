//! Changed files with the line ranges they add: the staged index against
//! HEAD (the empty tree before the first commit) for pre-commit, and a
//! pushed commit against its parents for pre-push (a merge's own lines are
//! those in none of its parents). The repository is opened from the
//! environment, so the temporary index of `git commit -a` or
//! `git commit PATH` (`GIT_INDEX_FILE`) is the one read.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::ops::RangeInclusive;
use std::process::{Child, ChildStdout};
use std::thread::JoinHandle;

use anyhow::{Context, Result, bail};
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

/// `git diff --cached` started early, so that guard builds its matcher
/// while git compares the index with HEAD.
pub struct StagedDiff {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// git's error output, read meanwhile so that git never waits on it.
    stderr: JoinHandle<Vec<u8>>,
}

/// The modified files of a staged diff, whose added lines git writes last
/// (in its patch), and the rest of git's output.
pub struct PendingHunks {
    diff: StagedDiff,
    files: Vec<ChangedFile>,
}

impl StagedDiff {
    /// Starts comparing the staged index with HEAD (the empty tree before
    /// the first commit). git uses the index's cached trees and reads only
    /// what changed; libgit2 reads all of HEAD's trees and the old blobs'
    /// delta chains (10 against 3.4 ms on git/git, docs/PERFORMANCE.md).
    /// One call gives the changed files (raw, NUL separated) and then their
    /// hunks (patch, zero context).
    ///
    /// # Errors
    /// git cannot be started.
    pub fn spawn() -> Result<StagedDiff> {
        let mut child = super::git_command()
            .args([
                "diff",
                "--cached",
                "--raw",
                "--patch",
                "--unified=0",
                "-z",
                "--no-abbrev",
                "--full-index",
            ])
            .args([
                "--find-renames=100%",
                "--no-ext-diff",
                "--no-textconv",
                "--ignore-submodules",
                "--no-color",
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .context("running `git diff --cached` (guard's hooks need the git binary)")?;
        let stdout = BufReader::with_capacity(1 << 16, child.stdout.take().context("git's output")?);
        let mut errors = child.stderr.take().context("git's error output")?;
        let stderr = std::thread::spawn(move || {
            let mut text = Vec::new();
            // Whatever was read is shown; a read error leaves it short.
            let _ = errors.read_to_end(&mut text);
            text
        });
        Ok(StagedDiff { child, stdout, stderr })
    }

    /// The files the staged index changes, from the list git writes before
    /// its patch. New files add all their lines and exact renames none, so
    /// those come at once; the modified ones wait in [`PendingHunks`] for
    /// their hunks. Submodules are skipped.
    ///
    /// # Errors
    /// git fails (its message is included) or writes something unexpected.
    pub fn files(mut self) -> Result<(Vec<ChangedFile>, PendingHunks)> {
        match self.read_files() {
            Ok((known, modified)) => Ok((known, PendingHunks { diff: self, files: modified })),
            // git's own failure explains a short or odd output best.
            Err(err) => Err(self.finish().err().unwrap_or(err)),
        }
    }

    /// Reads the NUL-separated raw entries (`:modes oids status`, path, and
    /// a second path for renames) up to the empty field that ends them.
    fn read_files(&mut self) -> Result<(Vec<ChangedFile>, Vec<ChangedFile>)> {
        let (mut known, mut modified) = (Vec::new(), Vec::new());
        let mut meta = Vec::new();
        while self.field(&mut meta)? && !meta.is_empty() {
            let meta = std::str::from_utf8(&meta).context("git diff wrote a malformed line")?;
            let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
            let [_, new_mode, _, new_oid, status] = parts[..] else {
                bail!("git diff wrote an unexpected line {meta:?}");
            };
            let mut path = Vec::new();
            let mut next_path = |path: &mut Vec<u8>| -> Result<()> {
                if !self.field(path)? {
                    bail!("git diff stopped in the middle of a change");
                }
                Ok(())
            };
            next_path(&mut path)?;
            if status.starts_with(['R', 'C']) {
                next_path(&mut path)?;
            }
            if status.starts_with(['D', 'U']) || !matches!(new_mode, "100644" | "100755" | "120000") {
                continue;
            }
            let file = ChangedFile {
                path,
                blob: Oid::from_str(new_oid).context("git diff wrote a malformed object id")?,
                new_path: !status.starts_with(['M', 'T']),
                added: Vec::new(),
            };
            match status.as_bytes()[0] {
                b'A' => known.push(ChangedFile { added: vec![1..=usize::MAX], ..file }),
                // Exact renames and copies (`--find-renames=100%`).
                b'R' | b'C' => known.push(file),
                _ => modified.push(file),
            }
        }
        Ok((known, modified))
    }

    /// The next NUL-terminated field into `field`; false at the end.
    fn field(&mut self, field: &mut Vec<u8>) -> Result<bool> {
        field.clear();
        self.stdout.read_until(0, field).context("reading git diff --cached")?;
        if field.is_empty() {
            return Ok(false);
        }
        if field.pop() != Some(0) {
            bail!("git diff stopped in the middle of a field");
        }
        Ok(true)
    }

    /// Reads the rest of git's output, waits for git, and fails with its
    /// message if it failed.
    fn finish(mut self) -> Result<Vec<u8>> {
        let mut rest = Vec::new();
        let read = self.stdout.read_to_end(&mut rest).context("reading git diff --cached");
        let status = self.child.wait().context("waiting for git diff --cached")?;
        let errors = self.stderr.join().unwrap_or_default();
        if !status.success() {
            bail!("git diff --cached failed: {}", String::from_utf8_lossy(&errors).trim());
        }
        read?;
        Ok(rest)
    }
}

impl PendingHunks {
    /// The modified files with the lines they add, once git has written its
    /// patch and ended well.
    ///
    /// # Errors
    /// git fails (its message is included) or writes a malformed hunk.
    pub fn finish(mut self) -> Result<Vec<ChangedFile>> {
        let patch = self.diff.finish()?;
        add_hunks(&patch, &mut self.files)?;
        Ok(self.files)
    }
}

impl Repo {
    /// Opens the repository git is working on, from the environment
    /// (`GIT_DIR`, `GIT_INDEX_FILE`, the current directory), as a hook must.
    ///
    /// # Errors
    /// Not in a repository, or one libgit2 cannot read.
    pub fn open_from_env() -> Result<Repo> {
        let inner = Repository::open_from_env().context("opening the git repository git is running in")?;
        Ok(Repo::wrap(inner))
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

/// Adds to `files` the lines git's zero-context `patch` says they add.
/// Hunks are matched to files by the new blob id on each patch's
/// `index OLD..NEW` line (a type change prints two patches, a conflict none,
/// so order alone would not do). A file git shows as binary (`Binary files
/// … differ`, by content or by a `-diff` attribute) counts as added whole:
/// guard judges binary itself.
fn add_hunks(patch: &[u8], files: &mut [ChangedFile]) -> Result<()> {
    let mut by_blob: HashMap<Oid, Vec<usize>> = HashMap::new();
    for (index, file) in files.iter().enumerate() {
        by_blob.entry(file.blob).or_default().push(index);
    }
    let mut current: &[usize] = &[];
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', patch).chain(std::iter::once(patch.len())) {
        let line = &patch[start..end];
        start = end + 1;
        // With zero context a hunk holds only `+`, `-` and `\` lines.
        if matches!(line.first(), None | Some(b'+' | b'-' | b'\\')) {
            continue;
        }
        if line.starts_with(b"diff --git ") {
            current = &[];
        } else if let Some(ids) = line.strip_prefix(b"index ") {
            let ids = std::str::from_utf8(ids).unwrap_or_default();
            let new = ids.split(' ').next().and_then(|range| range.split_once("..")).map(|(_, new)| new);
            let new = new.and_then(|new| Oid::from_str(new).ok());
            current = new.and_then(|new| by_blob.get(&new)).map_or(&[], Vec::as_slice);
        } else if let Some(header) = line.strip_prefix(b"@@ ") {
            let range = hunk_new_range(header).context("git diff wrote a malformed hunk header")?;
            if let Some(range) = range {
                current.iter().for_each(|&index| files[index].added.push(range.clone()));
            }
        } else if line.starts_with(b"Binary files ") {
            current.iter().for_each(|&index| files[index].added = vec![1..=usize::MAX]);
        }
    }
    Ok(())
}

/// The new-side lines of a hunk header `-a[,b] +c[,d] @@`, if it adds any.
fn hunk_new_range(header: &[u8]) -> Option<Option<RangeInclusive<usize>>> {
    let text = std::str::from_utf8(header).ok()?;
    let new = text.split(' ').find(|part| part.starts_with('+'))?.trim_start_matches('+');
    let (start, count) = match new.split_once(',') {
        Some((start, count)) => (start.parse::<usize>().ok()?, count.parse::<usize>().ok()?),
        None => (new.parse::<usize>().ok()?, 1),
    };
    Some((count > 0).then(|| start..=start + count - 1))
}
