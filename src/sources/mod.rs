//! Sources turn files, standard input and (later) git objects into [`Chunk`]s,
//! and apply the path policy, which needs names rather than content.

pub mod files;
pub mod history;
pub mod push;
pub mod staged;

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::scan::finding::SourceKind;

/// A NUL byte in this many leading bytes makes a file binary (git's rule).
pub const BINARY_PROBE_LEN: usize = 8000;

/// Bytes to scan, and where they came from.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// The content.
    pub data: &'a [u8],
    /// The file, if any.
    pub path: Option<&'a Path>,
    /// What kind of source this is.
    pub source: SourceKind,
    /// Line number of the first byte of `data`, 1-based.
    pub first_line: usize,
    /// The lines (numbered as `first_line` is) whose findings are wanted,
    /// such as the lines a commit adds; `None`: every line. Findings that
    /// touch none of them are dropped, and single-line rules do not even run
    /// on other lines.
    pub only_lines: Option<&'a [RangeInclusive<usize>]>,
}

/// Whether `data` is binary by git's rule: a NUL byte in the first 8,000 bytes.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE_LEN)]).is_some()
}

/// A git path (bytes, `/`-separated) as a path.
pub fn git_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}
