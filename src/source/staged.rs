//! The staged changes as chunks: each changed file's whole staged content
//! is scanned (so a multi-line secret around a hunk is seen whole) and only
//! findings that touch an added line are kept. Every staged file goes
//! through the path policy; binary files and Git LFS pointers get no
//! content rules. No size limit applies: a commit is checked whole.

use anyhow::Result;

use crate::finding::{Finding, SourceKind};
use crate::git::Repo;
use crate::git::changes::ChangedFile;
use crate::pipeline::Pipeline;
use crate::scanner::ScanScratch;
use crate::source::{Chunk, git_path, is_binary};

/// First bytes of a Git LFS pointer file (the content lives elsewhere).
/// A pointer is small; a large file that merely starts so is scanned.
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// The findings on added lines and new file names of `changes`, whose
/// content is read from `repo`.
///
/// # Errors
/// An unreadable object.
pub fn scan(repo: &Repo, pipeline: &Pipeline, changes: Vec<ChangedFile>) -> Result<Vec<Finding>> {
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
