//! Chunk to findings: runs the matcher, then confirms each candidate (allow
//! patterns, minimum entropy, checksum, placeholders) and keeps one finding
//! per secret when several rules match it; then looks inside base64-encoded
//! credentials (`decode.rs`). No I/O, no git.

use std::ops::{Range, RangeInclusive};

use crate::scan::ansi;
use crate::scan::chunk::Chunk;
use crate::scan::decode;
use crate::scan::finding::SourceKind;
use crate::scan::finding::{self, Finding};
use crate::scan::matcher::{Candidate, ChunkPath, Gate, Matcher, Scratch};
use crate::scan::placeholder::{is_placeholder, names_documentation_host};

/// Reusable buffers for [`Scanner::scan`], one per thread.
#[derive(Debug, Default)]
pub struct ScanScratch {
    matcher: Scratch,
    candidates: Vec<Candidate>,
}

/// The matcher plus candidate confirmation. Built once per process.
#[derive(Debug)]
pub struct Scanner {
    matcher: Matcher,
}

impl Scanner {
    /// A scanner over `matcher`'s rules.
    pub fn new(matcher: Matcher) -> Scanner {
        Scanner { matcher }
    }

    /// The underlying matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Appends the findings in `chunk` to `out`.
    pub fn scan(&self, chunk: &Chunk<'_>, scratch: &mut ScanScratch, out: &mut Vec<Finding>) {
        self.scan_with(chunk, Gate::Keywords, scratch, out);
    }

    /// [`Scanner::scan`] with the keyword gate on or off (tests compare both).
    /// Text holding escape sequences is also scanned as a terminal shows it.
    pub fn scan_with(
        &self,
        chunk: &Chunk<'_>,
        gate: Gate,
        scratch: &mut ScanScratch,
        out: &mut Vec<Finding>,
    ) {
        let first_new = out.len();
        self.scan_bytes(chunk, gate, scratch, out);
        if memchr::memchr(ansi::ESC, chunk.data).is_some() {
            self.scan_as_shown(chunk, gate, scratch, out, first_new);
        }
    }

    /// Scans `chunk` with its escape sequences removed and adds what the
    /// bytes as they stand hid (a token after a colour code, or split by
    /// one). A finding's span is then where its secret lies in `chunk`,
    /// escape sequences within it included.
    fn scan_as_shown(
        &self,
        chunk: &Chunk<'_>,
        gate: Gate,
        scratch: &mut ScanScratch,
        out: &mut Vec<Finding>,
        first_new: usize,
    ) {
        let (text, offsets) = ansi::strip(chunk.data);
        let mut shown = Vec::new();
        self.scan_bytes(&Chunk { data: &text, ..*chunk }, gate, scratch, &mut shown);
        for mut finding in shown {
            let written = finding.encoded.as_deref().unwrap_or(&finding.secret);
            let secret = memchr::memmem::find(&text[finding.span.clone()], written)
                .map_or(finding.span.clone(), |at| {
                    finding.span.start + at..finding.span.start + at + written.len()
                });
            if secret.is_empty() {
                continue;
            }
            let span = offsets[secret.start]..offsets[secret.end - 1] + 1;
            let known = out[first_new..]
                .iter()
                .any(|f| f.rule_id == finding.rule_id && f.span.start < span.end && span.start < f.span.end);
            if !known {
                finding.span = span;
                out.push(finding);
            }
        }
        out[first_new..].sort_by_key(|f| f.span.start);
    }

    /// The scan of `chunk`'s bytes as they stand.
    fn scan_bytes(&self, chunk: &Chunk<'_>, gate: Gate, scratch: &mut ScanScratch, out: &mut Vec<Finding>) {
        let candidates = &mut scratch.candidates;
        candidates.clear();
        let focus = chunk.only_lines.map(|lines| line_spans(chunk.data, chunk.first_line, lines));
        self.matcher.find(
            chunk.data,
            chunk_path(chunk),
            gate,
            focus.as_deref(),
            &mut scratch.matcher,
            candidates,
        );
        // A secret whose checksum is wrong is not that provider's token, and
        // not a secret at all: lower-priority rules (generic assignments)
        // matching the same text give way too.
        let mut bad_checksums: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        candidates.retain(|c| match self.verdict(chunk, c) {
            Verdict::Confirmed => true,
            Verdict::BadChecksum => {
                bad_checksums.push((c.rule, c.secret.clone()));
                false
            }
            Verdict::Rejected => false,
        });
        if !bad_checksums.is_empty() {
            candidates.retain(|c| {
                !bad_checksums.iter().any(|(rule, span)| {
                    *rule < c.rule && span.start < c.secret.end && c.secret.start < span.end
                })
            });
        }
        // One finding per secret: where secrets overlap, the rule listed
        // first wins (provider rules precede the generic ones). A kept
        // candidate yields to a later, higher-priority one it overlaps, and
        // only to that one: a generic match spanning two provider keys
        // gives way to both.
        candidates.sort_unstable_by_key(|c| (c.secret.start, c.rule));
        let mut kept: Vec<&Candidate> = Vec::new();
        for candidate in candidates.iter() {
            let overlaps = |k: &Candidate| {
                k.secret.start < candidate.secret.end && candidate.secret.start < k.secret.end
            };
            if kept.iter().any(|k| overlaps(k) && k.rule <= candidate.rule) {
                continue;
            }
            kept.retain(|k| !overlaps(k));
            kept.push(candidate);
        }
        let mut lines = LineCounter::new(chunk);
        let first_new = out.len();
        for candidate in kept {
            out.push(self.finding(chunk, candidate, &mut lines));
        }
        out[first_new..].sort_by_key(|f| f.span.start);
        self.scan_decoded(chunk, gate, out, first_new);
    }

    /// Scans the base64-encoded credentials of `chunk` (Kubernetes Secret
    /// data, Docker auths) once decoded. What the decoded value holds decides:
    /// its findings point at the encoded text and replace those made on the
    /// encoded text as it stands (they say what the secret is), and a value
    /// that decodes to no secret (`user:pass`) is not one encoded either.
    fn scan_decoded(&self, chunk: &Chunk<'_>, gate: Gate, out: &mut Vec<Finding>, first_new: usize) {
        let encoded = decode::encoded_values(chunk.data);
        if encoded.is_empty() {
            return;
        }
        let mut lines = LineCounter::new(chunk);
        let mut mine = out.split_off(first_new);
        for value in encoded {
            let (line, column) = lines.position(value.span.start);
            let inner = Chunk {
                data: &value.text,
                path: chunk.path,
                source: chunk.source,
                first_line: line,
                only_lines: None,
            };
            let mut found = Vec::new();
            self.scan_with(&inner, gate, &mut ScanScratch::default(), &mut found);
            if found.is_empty() && !value.placeholder {
                continue;
            }
            mine.retain(|f| f.span.end <= value.span.start || value.span.end <= f.span.start);
            for mut finding in found {
                finding.encoded = Some(chunk.data[value.span.clone()].to_vec());
                finding.span = value.span.clone();
                (finding.line, finding.column, finding.end_line) = (line, column, line);
                mine.push(finding);
            }
        }
        mine.sort_by_key(|f| f.span.start);
        out.extend(mine);
    }

    fn verdict(&self, chunk: &Chunk<'_>, candidate: &Candidate) -> Verdict {
        let secret = &chunk.data[candidate.secret.clone()];
        let rule = &self.matcher.rules()[candidate.rule];
        // Rules that do not apply to the chunk's path never ran (the matcher
        // skips them), so they make no candidate to check here.
        if secret.is_empty() || is_placeholder(secret) {
            return Verdict::Rejected;
        }
        if let Some(checksum) = self.matcher.checksum(candidate.rule)
            && !checksum.verify(secret)
        {
            return if checksum.vetoes() { Verdict::BadChecksum } else { Verdict::Rejected };
        }
        if rule.min_entropy.is_some_and(|min| finding::entropy(secret) < min)
            || names_documentation_host(&chunk.data[candidate.span.clone()])
            || self.matcher.allows(candidate.rule, secret)
        {
            return Verdict::Rejected;
        }
        Verdict::Confirmed
    }

    fn finding(&self, chunk: &Chunk<'_>, candidate: &Candidate, lines: &mut LineCounter) -> Finding {
        let rule = &self.matcher.rules()[candidate.rule];
        let secret = chunk.data[candidate.secret.clone()].to_vec();
        let (line, column) = lines.position(candidate.span.start);
        let end_line = line + memchr::memchr_iter(b'\n', &chunk.data[candidate.span.clone()]).count();
        let public_prefix = rule
            .keywords
            .iter()
            .filter(|k| secret.starts_with(k.as_bytes()))
            .map(|k| k.len())
            .max()
            .unwrap_or(0);
        Finding {
            rule_id: rule.id.clone(),
            description: rule.description.clone(),
            rotate: rule.rotate.clone(),
            path: chunk.path.map(Into::into),
            line,
            column,
            end_line,
            span: candidate.span.clone(),
            fingerprint: finding::fingerprint(&rule.id, &secret),
            entropy: finding::entropy(&secret),
            public_prefix,
            secret,
            encoded: None,
            source: chunk.source,
            commit: None,
            history: None,
        }
    }
}

/// What `chunk` knows of its file: a blob of a commit without a path is one
/// read from history, whose paths are known only later.
/// The byte ranges of `lines` (numbered from `first_line`) in `data`,
/// sorted and disjoint, each from a line's start to past its line break.
fn line_spans(data: &[u8], first_line: usize, lines: &[RangeInclusive<usize>]) -> Vec<Range<usize>> {
    let mut wanted: Vec<(usize, usize)> = lines.iter().map(|r| (*r.start(), *r.end())).collect();
    wanted.sort_unstable();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut newlines = memchr::memchr_iter(b'\n', data);
    // `line` starts at byte `at`.
    let (mut line, mut at) = (first_line, 0);
    for (first, last) in wanted {
        if last < line {
            continue;
        }
        while line < first {
            let Some(newline) = newlines.next() else { return spans };
            (line, at) = (line + 1, newline + 1);
        }
        let start = at;
        let mut end = start;
        while line <= last {
            let Some(newline) = newlines.next() else {
                end = data.len();
                break;
            };
            (line, at, end) = (line + 1, newline + 1, newline + 1);
        }
        match spans.last_mut() {
            Some(previous) if previous.end >= start => previous.end = end,
            _ => spans.push(start..end),
        }
        if end == data.len() {
            break;
        }
    }
    spans
}

fn chunk_path<'a>(chunk: &Chunk<'a>) -> ChunkPath<'a> {
    match (chunk.path, chunk.source) {
        (Some(path), _) => ChunkPath::File(path),
        (None, SourceKind::Commit) => ChunkPath::Later,
        (None, _) => ChunkPath::None,
    }
}

/// What confirmation says of a candidate.
enum Verdict {
    Confirmed,
    /// The rule's checksum does not hold: not a token of that format.
    BadChecksum,
    Rejected,
}

/// Line and column of offsets in a chunk, counted incrementally when offsets
/// come in any order (it restarts when asked about an earlier one).
struct LineCounter<'a> {
    data: &'a [u8],
    first_line: usize,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(chunk: &Chunk<'a>) -> LineCounter<'a> {
        LineCounter { data: chunk.data, first_line: chunk.first_line, offset: 0, line: chunk.first_line }
    }

    /// 1-based line and byte column of `offset`.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            self.offset = 0;
            self.line = self.first_line;
        }
        self.line += memchr::memchr_iter(b'\n', &self.data[self.offset..offset]).count();
        self.offset = offset;
        let line_start = memchr::memrchr(b'\n', &self.data[..offset]).map_or(0, |i| i + 1);
        (self.line, offset - line_start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_spans_cover_the_wanted_lines() {
        let data = b"one\ntwo\nthree\nfour";
        assert_eq!(line_spans(data, 1, &[2..=2]), vec![4..8]);
        assert_eq!(line_spans(data, 1, &[3..=9, 1..=1]), vec![0..4, 8..data.len()]);
        assert_eq!(line_spans(data, 1, &[1..=2, 2..=3]), vec![0..14]);
        assert_eq!(line_spans(data, 10, &[11..=11]), vec![4..8]);
        assert_eq!(line_spans(data, 1, &[7..=8]), Vec::<Range<usize>>::new());
        assert_eq!(line_spans(data, 1, &[2..=usize::MAX]), vec![4..data.len()]);
        assert_eq!(line_spans(b"one\n", 1, &[1..=usize::MAX]), vec![0..4]);
    }
}
