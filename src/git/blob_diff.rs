//! The lines a new version of a file adds to its old one, from the two
//! contents, through libgit2's line diff (zero context, as text). UTF-16
//! text is decoded first (`utf16.rs`), so the lines are the decoded text's,
//! as the pipeline numbers them: git's own diff shows such a file as
//! binary. Used for pushed commits, and for staged files whose lines git
//! did not give (binary to git, or a partial clone lacking the old blob).

use std::borrow::Cow;
use std::ops::RangeInclusive;

use anyhow::{Context, Result};

use super::{Oid, Repo};
use crate::utf16;

/// Every line: what a file adds when there is nothing to compare it with.
pub const EVERY_LINE: RangeInclusive<usize> = 1..=usize::MAX;

/// `data` as the pipeline reads it: decoded when it is UTF-16 text.
fn as_text(data: &[u8]) -> Cow<'_, [u8]> {
    let probe = &data[..data.len().min(utf16::PROBE_LEN)];
    match utf16::detect(data, memchr::memchr(0, probe).is_some(), true) {
        Some(encoding) => Cow::Owned(utf16::decode(data, encoding)),
        None => Cow::Borrowed(data),
    }
}

/// The line ranges (1-based, inclusive) `new` adds to `old`.
///
/// # Errors
/// libgit2 fails to diff them.
pub fn added_lines(old: &[u8], new: &[u8]) -> Result<Vec<RangeInclusive<usize>>> {
    let (old, new) = (as_text(old), as_text(new));
    let mut options = git2::DiffOptions::new();
    options.context_lines(0).force_text(true);
    let patch = git2::Patch::from_buffers(&old, None, &new, None, Some(&mut options))
        .context("diffing two versions of a file")?;
    let mut added = Vec::new();
    for index in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(index).context("diffing two versions of a file")?;
        if hunk.new_lines() > 0 {
            let start = hunk.new_start() as usize;
            added.push(start..=start + hunk.new_lines() as usize - 1);
        }
    }
    Ok(added)
}

impl Repo {
    /// The lines `new` (a blob's content) adds to blob `old`; every line
    /// when `old` cannot be read as a blob: this repository lacks it (a
    /// partial clone never fetched it; guard does not fetch), or it is no
    /// blob (a type change from a submodule). Scanning more is the safe
    /// side.
    ///
    /// # Errors
    /// The diff fails.
    pub fn lines_added_to(&self, old: Oid, new: &[u8]) -> Result<Vec<RangeInclusive<usize>>> {
        match self.blob_if_present(old) {
            Ok(Some(old)) => added_lines(&old, new),
            _ => Ok(vec![EVERY_LINE]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
    }

    #[test]
    fn the_lines_added_are_those_of_the_decoded_text() {
        let old = "one\ntwo\nthree\n";
        let new = "one\nzwei 日本\nthree\nfour\n";
        assert_eq!(added_lines(old.as_bytes(), new.as_bytes()).unwrap(), vec![2..=2, 4..=4]);
        assert_eq!(added_lines(&utf16le(old), &utf16le(new)).unwrap(), vec![2..=2, 4..=4]);
        // A file that became UTF-16 adds only the lines its text adds.
        assert_eq!(added_lines(old.as_bytes(), &utf16le(new)).unwrap(), vec![2..=2, 4..=4]);
    }
}
