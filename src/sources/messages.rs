//! Commit and tag messages as text for the pipeline: the message file
//! `commit-msg` gets (all of it but git's own text: its status comments
//! and the `git commit -v` diff's removed and context lines, see
//! `git/commit_template.rs`), and messages read from commits and tags.

use std::path::Path;

use anyhow::{Context, Result};

use crate::git::commit_template::{self, CommentStyle};
use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::{CommitInfo, SourceKind};

/// The message in `file`, as `commit-msg` gets it, checked; comment lines
/// start with `style`.
///
/// # Errors
/// The file cannot be read.
pub fn check_message_file(pipeline: &Pipeline, file: &Path, style: &CommentStyle) -> Result<Results> {
    let message =
        std::fs::read(file).with_context(|| format!("reading the commit message {}", file.display()))?;
    let mut results = Results::default();
    let message = commit_template::without_gits_text(&message, style);
    check_message(pipeline, &message, None, &mut Scratch::default(), &mut results);
    Ok(results)
}

/// Checks one commit or tag `message`, of `commit` when known.
pub fn check_message(
    pipeline: &Pipeline,
    message: &[u8],
    commit: Option<&CommitInfo>,
    scratch: &mut Scratch,
    out: &mut Results,
) {
    let origin = Origin { commit, ..Origin::new(SourceKind::Message) };
    pipeline.check_content(message, origin, None, scratch, out);
}
