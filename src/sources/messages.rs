//! Commit and tag messages as text for the pipeline: the message file
//! `commit-msg` gets (up to `git commit -v`'s scissors line, below which
//! git puts the diff that pre-commit checked already), and messages read
//! from commits and tags.

use std::path::Path;

use anyhow::{Context, Result};

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::{CommitInfo, SourceKind};

/// The line (after git's comment character, `#` unless `core.commentChar`
/// says otherwise) above which `git commit -v` puts the message and below
/// which the diff.
const SCISSORS: &[u8] = b" ------------------------ >8 ------------------------";

/// The message in `file`, as `commit-msg` gets it, checked.
///
/// # Errors
/// The file cannot be read.
pub fn check_message_file(pipeline: &Pipeline, file: &Path) -> Result<Results> {
    let message =
        std::fs::read(file).with_context(|| format!("reading the commit message {}", file.display()))?;
    let mut results = Results::default();
    check_message(pipeline, above_scissors(&message), None, &mut Scratch::default(), &mut results);
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

/// `message` up to the scissors line, when it has one.
fn above_scissors(message: &[u8]) -> &[u8] {
    let end = memchr::memmem::find_iter(message, SCISSORS)
        .find(|&at| at >= 1 && (at == 1 || message[at - 2] == b'\n'))
        .map_or(message.len(), |at| at - 1);
    &message[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_below_the_scissors_is_not_the_message() {
        let scissors = String::from_utf8_lossy(SCISSORS);
        let message = format!("Subject\n\n#{scissors}\ndiff --git a/x b/x\n");
        assert_eq!(above_scissors(message.as_bytes()), b"Subject\n\n");
        let first = format!("#{scissors}\ndiff\n");
        assert_eq!(above_scissors(first.as_bytes()), b"");
        let inline = format!("Subject mentions #{scissors} inline\n");
        assert_eq!(above_scissors(inline.as_bytes()), inline.as_bytes());
    }
}
