//! Files, directories and standard input as chunks. Directories are walked
//! in parallel with ripgrep's walker, honouring `.gitignore` unless told not
//! to, but including dotfiles; `.git` itself is never entered.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use ignore::{WalkBuilder, WalkState};

use crate::pipeline::Pipeline;
use crate::scan::finding::{Finding, SourceKind};
use crate::scan::scanner::ScanScratch;
use crate::sources::{Chunk, is_binary};

/// Why a file's content was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A NUL byte in the first 8,000 bytes.
    Binary,
    /// Larger than the size limit (the size is given).
    TooLarge(u64),
}

/// A file whose content was not scanned (its name was still checked).
#[derive(Debug, Clone)]
pub struct Skip {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// What a scan of files produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings, sorted by path and position.
    pub findings: Vec<Finding>,
    /// Files whose content was skipped.
    pub skipped: Vec<Skip>,
    /// Files that could not be read, with the reason; they make the scan fail.
    pub errors: Vec<String>,
}

/// Walks `paths` (files or directories) and scans every file.
pub fn scan_paths(pipeline: &Pipeline, paths: &[PathBuf], no_ignore: bool) -> Outcome {
    let Some((first, rest)) = paths.split_first() else {
        return Outcome::default();
    };
    let mut walk = WalkBuilder::new(first);
    for path in rest {
        walk.add(path);
    }
    walk.hidden(false)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .parents(!no_ignore)
        .filter_entry(|entry| entry.file_name() != ".git");

    let shared = Mutex::new(Outcome::default());
    walk.build_parallel().run(|| {
        let mut worker =
            Worker { shared: &shared, local: Outcome::default(), scratch: ScanScratch::default() };
        Box::new(move |entry| {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    scan_file(pipeline, entry.path(), &mut worker.scratch, &mut worker.local);
                }
                Ok(_) => {}
                Err(err) => worker.local.errors.push(err.to_string()),
            }
            WalkState::Continue
        })
    });
    let mut outcome = shared.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    outcome.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    outcome.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.errors.sort();
    outcome
}

/// One walker thread's state; its results join the shared outcome when the
/// walker drops it at the end of the walk.
struct Worker<'a> {
    shared: &'a Mutex<Outcome>,
    local: Outcome,
    scratch: ScanScratch,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let mut shared = self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        shared.findings.append(&mut self.local.findings);
        shared.skipped.append(&mut self.local.skipped);
        shared.errors.append(&mut self.local.errors);
    }
}

fn scan_file(pipeline: &Pipeline, path: &Path, scratch: &mut ScanScratch, out: &mut Outcome) {
    let path = crate::policy::globs::normalize(path);
    pipeline.check_path(path, SourceKind::File, &mut out.findings);
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(err) => return out.errors.push(format!("{}: {err}", path.display())),
    };
    if size > pipeline.max_file_size {
        return out.skipped.push(Skip { path: path.to_path_buf(), reason: SkipReason::TooLarge(size) });
    }
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(err) => return out.errors.push(format!("{}: {err}", path.display())),
    };
    if is_binary(&data) {
        return out.skipped.push(Skip { path: path.to_path_buf(), reason: SkipReason::Binary });
    }
    let chunk =
        Chunk { data: &data, path: Some(path), source: SourceKind::File, first_line: 1, only_lines: None };
    pipeline.scan_chunk(&chunk, scratch, &mut out.findings);
}

/// Scans all of `reader` (standard input) as one chunk.
///
/// # Errors
/// A read error.
pub fn scan_reader(pipeline: &Pipeline, mut reader: impl Read) -> Result<Outcome> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).context("reading standard input")?;
    let mut outcome = Outcome::default();
    let chunk = Chunk { data: &data, path: None, source: SourceKind::Stdin, first_line: 1, only_lines: None };
    pipeline.scan_chunk(&chunk, &mut ScanScratch::default(), &mut outcome.findings);
    Ok(outcome)
}
