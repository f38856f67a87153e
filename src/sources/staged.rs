//! The staged changes as chunks: each changed file's whole staged content
//! is scanned (so a multi-line secret around a hunk is seen whole) and only
//! findings that touch an added line are kept. Every staged file goes
//! through the path policy; binary files and Git LFS pointers get no
//! content rules. No size limit applies: a commit is checked whole. New
//! files are scanned while git still writes the hunks of modified ones, so
//! on a large commit git's diff and guard's scan each take a core.

use anyhow::{Result, anyhow};

use crate::git::Repo;
use crate::git::changes::{ChangedFile, StagedDiff};
use crate::pipeline::Pipeline;
use crate::scan::finding::{Finding, SourceKind};
use crate::scan::scanner::ScanScratch;
use crate::sources::{Chunk, git_path, is_binary};

/// First bytes of a Git LFS pointer file (the content lives elsewhere).
/// A pointer is small; a large file that merely starts so is scanned.
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// The findings on the lines and file names `diff` adds.
///
/// # Errors
/// git fails, or an object cannot be read.
pub fn scan_diff(repo: &Repo, pipeline: &Pipeline, diff: StagedDiff) -> Result<Vec<Finding>> {
    let (known, pending) = diff.files()?;
    if known.is_empty() {
        // Nothing to scan meanwhile (the usual edit): no thread to start.
        return scan(repo, pipeline, pending.finish()?);
    }
    std::thread::scope(|threads| {
        let modified = threads.spawn(move || pending.finish());
        let first = scan(repo, pipeline, known);
        // git's failure comes first: it explains any other.
        let modified =
            modified.join().unwrap_or_else(|_| Err(anyhow!("reading git diff --cached failed")))?;
        let mut findings = first?;
        findings.extend(scan(repo, pipeline, modified)?);
        Ok(findings)
    })
}

/// The findings on added lines and new file names of `changes`, whose
/// content is read from `repo`.
///
/// # Errors
/// An unreadable object.
fn scan(repo: &Repo, pipeline: &Pipeline, changes: Vec<ChangedFile>) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut scratch = ScanScratch::default();
    for file in changes {
        let path = git_path(&file.path);
        pipeline.check_path(&path, SourceKind::Staged, &mut findings);
        if file.added.is_empty() {
            continue;
        }
        let data = repo.blob(file.blob)?;
        if is_binary(&data) || is_lfs_pointer(&data) {
            continue;
        }
        let chunk = Chunk {
            data: &data,
            path: Some(&path),
            source: SourceKind::Staged,
            first_line: 1,
            only_lines: Some(&file.added),
        };
        pipeline.scan_chunk(&chunk, &mut scratch, &mut findings);
    }
    Ok(findings)
}

/// Whether `data` is a Git LFS pointer (under 1 KB, with its header).
pub fn is_lfs_pointer(data: &[u8]) -> bool {
    data.len() < 1024 && data.starts_with(LFS_POINTER)
}
