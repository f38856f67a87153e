//! Files and directories (`guard scan PATH…`). Directories are walked in
//! parallel with ripgrep's walker, honouring `.gitignore` unless told not
//! to, but including dotfiles; `.git` itself is never entered. Each file's
//! name and content go to the pipeline.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::SourceKind;

/// Walks `paths` (files or directories) and checks every file. Findings
/// come sorted by path and position, skips by path.
pub fn check_paths(pipeline: &Pipeline, paths: &[PathBuf], no_ignore: bool) -> Results {
    let Some((first, rest)) = paths.split_first() else {
        return Results::default();
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

    let shared = Mutex::new(Results::default());
    walk.build_parallel().run(|| {
        let mut worker = Worker { shared: &shared, local: Results::default(), scratch: Scratch::default() };
        Box::new(move |entry| {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    check_file(pipeline, entry.path(), &mut worker.scratch, &mut worker.local);
                }
                Ok(_) => {}
                Err(err) => worker.local.errors.push(err.to_string()),
            }
            WalkState::Continue
        })
    });
    let mut results = shared.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    results.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    results.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    results.errors.sort();
    results
}

/// One walker thread's state; its results join the shared ones when the
/// walker drops it at the end of the walk.
struct Worker<'a> {
    shared: &'a Mutex<Results>,
    local: Results,
    scratch: Scratch,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let mut shared = self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        shared.append(&mut self.local);
    }
}

fn check_file(pipeline: &Pipeline, path: &Path, scratch: &mut Scratch, out: &mut Results) {
    let path = crate::policy::globs::normalize(path);
    let origin = Origin::file(SourceKind::File, path);
    pipeline.check_path(origin, scratch, out);
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(err) => return out.errors.push(format!("{}: {err}", path.display())),
    };
    if !pipeline.admits_size(size, origin, out) {
        return;
    }
    match std::fs::read(path) {
        Ok(data) => pipeline.check_content(&data, origin, None, scratch, out),
        Err(err) => out.errors.push(format!("{}: {err}", path.display())),
    }
}
