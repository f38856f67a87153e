//! The staged changes, as pre-commit sees them: the index against HEAD
//! (the empty tree before the first commit), through `git diff --cached`,
//! which uses the index's cached trees and reads only what changed (libgit2
//! reads all of HEAD's trees: 10 against 3.4 ms on git/git,
//! docs/PERFORMANCE.md). git runs in the environment of the hook, so the
//! temporary index of `git commit -a` or `git commit PATH`
//! (`GIT_INDEX_FILE`) is the one read.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::ops::RangeInclusive;
use std::path::Path;
use std::process::ChildStdout;

use anyhow::{Context, Result, bail};

use super::blob_diff::EVERY_LINE;
use super::command::Running;
use super::{MaybeZeroOid, Oid, parse};

/// A file whose content changed.
///
/// A file git's diff takes for binary (by content, by attribute, or for
/// being over 32 MiB, which git then never loads) counts as added whole,
/// unless guard diffs it itself (`old_blob`).
#[derive(Debug, Clone)]
pub struct ChangedFile {
    /// Its path.
    pub path: Vec<u8>,
    /// Its new content.
    pub blob: Oid,
    /// The old content of a modified file whose added lines git did not
    /// give: git showed it as binary (UTF-16 text is, to git), or this is
    /// a partial clone, where git's patch would need an old blob the clone
    /// may lack. The reader of the new content diffs the two itself
    /// (`blob_diff.rs`) when it is text.
    pub old_blob: Option<Oid>,
    /// Whether the path is new (added, renamed or copied).
    pub new_path: bool,
    /// Line ranges (1-based, inclusive) the change adds.
    pub added: Vec<RangeInclusive<usize>>,
}

/// `git diff --cached` started early, so that guard builds its matcher
/// while git compares the index with HEAD.
pub struct StagedDiff {
    git: Running,
    stdout: BufReader<ChildStdout>,
    /// Whether git writes no patch (a partial clone): every modified file
    /// is then diffed by guard.
    without_patch: bool,
}

/// The modified files of a staged diff, whose added lines git writes last
/// (in its patch), and the rest of git's output.
pub struct PendingHunks {
    diff: StagedDiff,
    files: Vec<ChangedFile>,
}

impl StagedDiff {
    /// Starts comparing the staged index with HEAD. One call gives the
    /// changed files (raw, NUL separated) and then their hunks (patch, zero
    /// context). In a partial clone (`partial_clone`) git writes no patch:
    /// it would need each modified file's old blob, which such a clone may
    /// lack and git would fetch (guard forbids it, so git would fail).
    ///
    /// # Errors
    /// git cannot be started.
    pub fn spawn(partial_clone: bool) -> Result<StagedDiff> {
        let mut args = vec![
            // git diffs a file over this size as binary, without loading
            // it: such a file counts as added whole, and guard streams it.
            "-c",
            "core.bigFileThreshold=32m",
            "diff",
            "--cached",
            "--raw",
        ];
        if !partial_clone {
            args.extend(["--patch", "--unified=0"]);
        }
        args.extend([
            "-z",
            "--no-abbrev",
            "--full-index",
            "--find-renames=100%",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            "--no-color",
        ]);
        let (git, stdout) = Running::spawn(super::command::command(&args), "git diff --cached")?;
        Ok(StagedDiff {
            git,
            stdout: BufReader::with_capacity(1 << 16, stdout),
            without_patch: partial_clone,
        })
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
            let record = parse::raw_record(&meta)?;
            let mut path = Vec::new();
            for _ in 0..if record.has_two_paths() { 2 } else { 1 } {
                if !self.field(&mut path)? {
                    bail!("git diff stopped in the middle of a change");
                }
            }
            let Some(blob) = record.new_blob() else { continue };
            let file = ChangedFile {
                path,
                blob,
                old_blob: None,
                new_path: !matches!(record.status, b'M' | b'T'),
                added: Vec::new(),
            };
            match (record.status, record.old_oid) {
                (b'A', _) => known.push(ChangedFile { added: vec![EVERY_LINE], ..file }),
                // Exact renames and copies (`--find-renames=100%`).
                (b'R' | b'C', _) => known.push(file),
                (_, MaybeZeroOid::Oid(old)) if self.without_patch => {
                    known.push(ChangedFile { added: vec![EVERY_LINE], old_blob: Some(old), ..file });
                }
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

    /// Drains the rest of git's output unread, waits for git, and fails
    /// with its message if it failed.
    fn finish(mut self) -> Result<()> {
        let read = std::io::copy(&mut self.stdout, &mut std::io::sink()).context("reading git diff --cached");
        if let Err(err) = self.git.wait() {
            // Outside a repository git diff answers with its usage text:
            // git's own reason it sees none says more.
            if let Err(why) = super::command::output(Path::new("."), &["rev-parse", "--git-dir"]) {
                bail!(
                    "git does not see a repository here ({why:#}); if .git/HEAD is damaged, it must hold \
                     `ref: refs/heads/NAME` or a commit id"
                );
            }
            return Err(err);
        }
        read?;
        Ok(())
    }
}

impl PendingHunks {
    /// The modified files with the lines they add, once git has written its
    /// patch and ended well.
    ///
    /// # Errors
    /// git fails (its message is included) or writes a malformed hunk.
    pub fn finish(mut self) -> Result<Vec<ChangedFile>> {
        let added = add_hunks(&mut self.diff.stdout, &mut self.files);
        // git's failure explains a malformed or short patch best.
        self.diff.finish()?;
        added?;
        Ok(self.files)
    }
}

/// The longest patch line kept whole: header lines (`diff --git`,
/// `index`, `@@`, `Binary files`) are read up to it, the rest of a longer
/// one skipped; the lines a hunk adds or removes are skipped unread, so a
/// patch of any size is parsed in bounded memory.
const MAX_HEADER_LINE: usize = 64 << 10;

/// Adds to `files` the lines git's zero-context `patch` says they add.
/// Hunks are matched to files by the new blob id on each patch's
/// `index OLD..NEW` line (a type change prints two patches, a conflict none,
/// so order alone would not do). A file git shows as binary (`Binary files
/// … differ`, by content or by a `-diff` attribute) counts as added whole,
/// with its old blob so that UTF-16 text is diffed by guard: guard judges
/// binary itself.
fn add_hunks(patch: &mut dyn BufRead, files: &mut [ChangedFile]) -> Result<()> {
    let mut by_blob: HashMap<Oid, Vec<usize>> = HashMap::new();
    for (index, file) in files.iter().enumerate() {
        by_blob.entry(file.blob).or_default().push(index);
    }
    let mut current: &[usize] = &[];
    let mut old = None;
    let mut line = Vec::new();
    loop {
        let next = patch.fill_buf().context("reading git diff --cached")?;
        let Some(&first) = next.first() else { break };
        // With zero context a hunk holds only `+`, `-` and `\` lines.
        if matches!(first, b'+' | b'-' | b'\\') {
            skip_line(patch)?;
            continue;
        }
        line.clear();
        patch
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .context("reading git diff --cached")?;
        if line.last() == Some(&b'\n') {
            line.pop();
        } else {
            skip_line(patch)?;
        }
        let line = line.as_slice();
        if line.starts_with(b"diff --git ") {
            current = &[];
        } else if let Some(ids) = line.strip_prefix(b"index ") {
            old = parse::index_line_old_oid(ids);
            let new = parse::index_line_new_oid(ids);
            current = new.and_then(|new| by_blob.get(&new)).map_or(&[], Vec::as_slice);
        } else if let Some(header) = line.strip_prefix(b"@@ ") {
            if let Some(range) = parse::hunk_new_lines(header)? {
                current.iter().for_each(|&index| files[index].added.push(range.clone()));
            }
        } else if line.starts_with(b"Binary files ") {
            for &index in current {
                files[index].added = vec![EVERY_LINE];
                files[index].old_blob = old;
            }
        }
    }
    Ok(())
}

/// Consumes `reader` up to and including the next line break.
fn skip_line(reader: &mut dyn BufRead) -> Result<()> {
    loop {
        let buffer = reader.fill_buf().context("reading git diff --cached")?;
        if buffer.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buffer) {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let all = buffer.len();
                reader.consume(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(blob: &str) -> ChangedFile {
        ChangedFile {
            path: b"f".to_vec(),
            blob: Oid::from_hex(blob.as_bytes()).unwrap(),
            old_blob: None,
            new_path: false,
            added: vec![],
        }
    }

    #[test]
    fn hunks_find_their_files_by_blob_id() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let patch = format!(
            "diff --git a/x b/x\nindex {a}..{b} 100644\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n-old\n+new\n+more\n\
             diff --git a/y b/y\nindex {a}..{c}\nBinary files a/y and b/y differ\n\
             diff --git a/z b/z\nindex {a}..{a}\n@@ -4 +3,0 @@\n-gone\n"
        );
        let mut files = vec![file(&b), file(&c)];
        add_hunks(&mut patch.as_bytes(), &mut files).unwrap();
        assert_eq!(files[0].added, vec![1..=2]);
        assert_eq!(files[1].added, vec![1..=usize::MAX]);
        assert_eq!(files[1].old_blob, Some(Oid::from_hex(a.as_bytes()).unwrap()));
        assert_eq!(files[0].old_blob, None);
        let bad = format!("index {a}..{b}\n@@ -1 +x @@\n");
        assert!(add_hunks(&mut bad.as_bytes(), &mut files).is_err());
    }
}
