//! A chunk: bytes to scan and what the scanner needs to know of where they
//! came from (the file's path for rules that apply to some files, the kind
//! of source, the first line's number, and the lines whose findings count).
//! Sources never build one: the pipeline does, from what they hand it.

use std::ops::RangeInclusive;
use std::path::Path;

use super::finding::SourceKind;

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

impl<'a> Chunk<'a> {
    /// All of `data`, from `source`, numbered from line 1, without a path.
    pub fn new(data: &'a [u8], source: SourceKind) -> Chunk<'a> {
        Chunk { data, path: None, source, first_line: 1, only_lines: None }
    }

    /// The chunk as the content of the file at `path`.
    pub fn at(self, path: Option<&'a Path>) -> Chunk<'a> {
        Chunk { path, ..self }
    }

    /// The chunk with its first byte on line `first_line`.
    pub fn starting_at_line(self, first_line: usize) -> Chunk<'a> {
        Chunk { first_line, ..self }
    }

    /// The chunk with only the findings on `lines` wanted.
    pub fn only_lines(self, lines: Option<&'a [RangeInclusive<usize>]>) -> Chunk<'a> {
        Chunk { only_lines: lines, ..self }
    }
}
