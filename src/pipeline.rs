//! The one scan loop. A plan built once from the effective configuration
//! (the rule set and scanner, the path policy, the filters, the size limit)
//! that every source feeds with content and names and their origin. Here,
//! and only here: the size limit, binary detection (git's rule), UTF-16
//! text decoded before it is scanned (`utf16.rs` says which), Git LFS
//! pointers, the chunk handed to the scanner, keeping only the findings on
//! the lines a change adds, dropping what the user accepted, and tagging
//! each finding with its origin. Sources read; this decides.

use std::io::{self, Read};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::{Config, DEFAULT_MAX_FILE_SIZE};
use crate::git::{ObjectFormat, Oid};
use crate::policy::acceptance::{self, Accepted};
use crate::policy::path_policy::PathPolicy;
use crate::rules::set::RuleSet;
use crate::scan::chunk::Chunk;
use crate::scan::finding::{CommitInfo, Finding, SourceKind};
use crate::scan::matcher::Matcher;
use crate::scan::scanner::{ScanScratch, Scanner};
use crate::utf16;

/// A NUL byte in this many leading bytes makes a file binary (git's rule).
pub const BINARY_PROBE_LEN: usize = 8000;

/// Content larger than this is read as a stream and scanned a window at a
/// time, so that memory stays bounded whatever its size.
pub const WINDOW: usize = 32 << 20;

/// How much of a window's end is scanned again at the start of the next,
/// cut at a line start where there is one: a secret (a PEM block, a long
/// line) across the cut is seen whole in one of them.
pub const OVERLAP: usize = 1 << 20;

/// Scanner and path policy, ready to use from many threads. What the
/// user accepted by configuration is judged by the command, which knows
/// which entries count for which commit; inline marks are judged here.
#[derive(Debug)]
pub struct Pipeline {
    /// Content rules.
    pub scanner: Scanner,
    /// Names of files that must not be committed.
    pub policy: PathPolicy,
    /// Content larger than this is skipped and reported; `None`: no limit
    /// (the hooks check a change whole).
    max_size: Option<u64>,
    /// The hash a file on disk is named by when its fingerprint is bound
    /// to its content: the repository's.
    object_format: ObjectFormat,
}

/// Where content or a name came from, as its findings will say.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// What kind of source.
    pub source: SourceKind,
    /// The file, if any.
    pub path: Option<&'a Path>,
    /// The blob, when the content is one read from git.
    pub blob: Option<Oid>,
    /// The commit, when known (pre-push).
    pub commit: Option<&'a CommitInfo>,
}

impl<'a> Origin<'a> {
    /// Content of kind `source` with nothing else known.
    pub fn new(source: SourceKind) -> Origin<'a> {
        Origin { source, path: None, blob: None, commit: None }
    }

    /// The content of the file at `path`.
    pub fn file(source: SourceKind, path: &'a Path) -> Origin<'a> {
        Origin { path: Some(path), ..Origin::new(source) }
    }

    /// Whether the content is a file's (which may be binary or a Git LFS
    /// pointer), rather than text such as a message or a prompt.
    fn is_file_content(&self) -> bool {
        matches!(self.source, SourceKind::Staged | SourceKind::Commit | SourceKind::File)
    }

    /// Whether the content may be UTF-16 text, decoded before it is
    /// scanned: a file's or standard input's.
    fn may_be_utf16(&self) -> bool {
        self.is_file_content() || self.source == SourceKind::Stdin
    }
}

/// Why content was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A NUL byte in the first 8,000 bytes.
    Binary,
    /// A Git LFS pointer: the content lives elsewhere, and the pointer
    /// holds nothing but hashes and a size.
    LfsPointer,
    /// Larger than the size limit (the size is given).
    TooLarge(u64),
    /// Not in this partial clone: never fetched, and guard does not fetch.
    NotLocal,
}

/// Content that was not scanned (its name was still checked).
#[derive(Debug, Clone)]
pub struct Skip {
    /// The file, if known.
    pub path: Option<PathBuf>,
    /// The blob, when it was read from git.
    pub blob: Option<Oid>,
    /// Why.
    pub reason: SkipReason,
}

/// What a source's content and names produced.
#[derive(Debug, Default)]
pub struct Results {
    /// Findings that count.
    pub findings: Vec<Finding>,
    /// Content that was not scanned.
    pub skipped: Vec<Skip>,
    /// What could not be read, with the reason; it makes the scan fail.
    pub errors: Vec<String>,
    /// Findings accepted, counted by what accepted them.
    pub accepted: Accepted,
}

impl Results {
    /// Adds `other`'s findings, skips and errors.
    pub fn append(&mut self, other: &mut Results) {
        self.findings.append(&mut other.findings);
        self.skipped.append(&mut other.skipped);
        self.errors.append(&mut other.errors);
        for (by, count) in std::mem::take(&mut other.accepted) {
            *self.accepted.entry(by).or_default() += count;
        }
    }
}

/// Reusable buffers, one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    scan: ScanScratch,
    found: Vec<Finding>,
}

impl Pipeline {
    /// Builds the plan from what `config` detects (its rules and denied
    /// names; its acceptance is not the pipeline's).
    ///
    /// # Errors
    /// A pattern that does not compile (checked when it was loaded).
    pub fn new(config: &Config) -> Result<Pipeline> {
        let matcher = Matcher::new(RuleSet::new(&config.rules))?;
        Ok(Pipeline {
            scanner: Scanner::new(matcher),
            policy: PathPolicy::new(&config.path_deny)?,
            max_size: Some(config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)),
            object_format: ObjectFormat::default(),
        })
    }

    /// The plan without a size limit: what the hooks check, a change whole.
    pub fn without_size_limit(self) -> Pipeline {
        Pipeline { max_size: None, ..self }
    }

    /// The same plan for a repository whose objects `format` names.
    pub fn with_object_format(self, format: ObjectFormat) -> Pipeline {
        Pipeline { object_format: format, ..self }
    }

    /// The same plan with a size limit of `max` bytes (`--max-file-size`).
    pub fn with_size_limit(self, max: u64) -> Pipeline {
        Pipeline { max_size: Some(max), ..self }
    }

    /// Content larger than this is skipped; `None`: no limit.
    pub fn size_limit(&self) -> Option<u64> {
        self.max_size
    }

    /// Whether content of `size` bytes is within the limit; if not, the
    /// skip is recorded in `out`. Sources that know a size before reading
    /// ask first, and so never hold what they would not scan.
    pub fn admits_size(&self, size: u64, origin: Origin<'_>, out: &mut Results) -> bool {
        if self.max_size.is_some_and(|max| size > max) {
            out.skipped.push(skip(origin, SkipReason::TooLarge(size)));
            return false;
        }
        true
    }

    /// Scans `data` from `origin` and appends to `out` the findings that
    /// count: on `added` lines only when given (the lines a change adds),
    /// without those the user accepted, tagged with their origin. A file's
    /// content that is binary or a Git LFS pointer, and content over the
    /// size limit, is recorded as skipped instead.
    pub fn check_content(
        &self,
        data: &[u8],
        origin: Origin<'_>,
        added: Option<&[RangeInclusive<usize>]>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) {
        if !self.admits_size(data.len() as u64, origin, out) {
            return;
        }
        if origin.may_be_utf16() {
            let binary = is_binary(data);
            if let Some(encoding) = utf16::detect(data, binary, true) {
                let text = utf16::decode(data, encoding);
                let whole = Window { offset: 0, first_line: 1, owned: text.len() };
                self.scan_window(&text, whole, origin, added, scratch, out);
                return;
            }
            let reason = if !origin.is_file_content() {
                None
            } else if binary {
                Some(SkipReason::Binary)
            } else if is_lfs_pointer(data) {
                Some(SkipReason::LfsPointer)
            } else {
                None
            };
            if let Some(reason) = reason {
                out.skipped.push(skip(origin, reason));
                return;
            }
        }
        let whole = Window { offset: 0, first_line: 1, owned: data.len() };
        self.scan_window(data, whole, origin, added, scratch, out);
    }

    /// [`Pipeline::check_content`] for content read from `reader`, which
    /// may be of any size: it is scanned in windows of [`WINDOW`] bytes
    /// that overlap by up to [`OVERLAP`], so memory stays bounded, and a
    /// finding in an overlap counts once. The size limit applies when the
    /// `size` is known beforehand (a file, a blob); a stream of unknown size
    /// (standard input) is scanned whole, whatever its length.
    ///
    /// # Errors
    /// A read error (what was read before it has been checked).
    pub fn check_stream(
        &self,
        reader: &mut dyn Read,
        size: Option<u64>,
        origin: Origin<'_>,
        added: Option<&[RangeInclusive<usize>]>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) -> io::Result<()> {
        if size.is_some_and(|size| !self.admits_size(size, origin, out)) {
            return Ok(());
        }
        self.check_windows(reader, (WINDOW, OVERLAP), origin, added, scratch, out)
    }

    fn check_windows(
        &self,
        reader: &mut dyn Read,
        (size, overlap): (usize, usize),
        origin: Origin<'_>,
        added: Option<&[RangeInclusive<usize>]>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) -> io::Result<()> {
        let mut data = Vec::new();
        if !fill(&mut data, size, reader)? {
            self.check_content(&data, origin, added, scratch, out);
            return Ok(());
        }
        // Longer than a window, so no Git LFS pointer.
        if origin.may_be_utf16() {
            let binary = is_binary(&data);
            if let Some(encoding) = utf16::detect(&data, binary, false) {
                // Decoded as it is read: windows of the text, numbered as its lines.
                let mut text = utf16::Decoder::new(io::Cursor::new(data).chain(reader), encoding);
                let stream = Stream { reader: &mut text, data: Vec::new(), size, overlap };
                return self.scan_windows(stream, origin, added, scratch, out);
            }
            if binary && origin.is_file_content() {
                out.skipped.push(skip(origin, SkipReason::Binary));
                return Ok(());
            }
        }
        self.scan_windows(Stream { reader, data, size, overlap }, origin, added, scratch, out)
    }

    /// Scans `stream` a window at a time.
    fn scan_windows(
        &self,
        stream: Stream<'_>,
        origin: Origin<'_>,
        added: Option<&[RangeInclusive<usize>]>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) -> io::Result<()> {
        let Stream { reader, mut data, size, overlap } = stream;
        let mut more = fill(&mut data, size, reader)?;
        let mut window = Window { offset: 0, first_line: 1, owned: 0 };
        loop {
            if !more {
                window.owned = data.len();
                self.scan_window(&data, window, origin, added, scratch, out);
                return Ok(());
            }
            let cut_from = data.len() - overlap;
            let cut = memchr::memchr(b'\n', &data[cut_from..]).map_or(cut_from, |at| cut_from + at + 1);
            window.owned = cut;
            self.scan_window(&data, window, origin, added, scratch, out);
            window.first_line += memchr::memchr_iter(b'\n', &data[..cut]).count();
            window.offset += cut as u64;
            data.drain(..cut);
            more = fill(&mut data, size, reader)?;
        }
    }

    /// Scans `data`, the window of some content described by `window`,
    /// and appends the findings that count and that start in the part of
    /// it the window owns, their spans made offsets into the content.
    fn scan_window(
        &self,
        data: &[u8],
        window: Window,
        origin: Origin<'_>,
        added: Option<&[RangeInclusive<usize>]>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) {
        let chunk = Chunk::new(data, origin.source)
            .at(origin.path)
            .starting_at_line(window.first_line)
            .only_lines(added);
        let found = &mut scratch.found;
        found.clear();
        self.scanner.scan(&chunk, &mut scratch.scan, found);
        found.retain(|f| f.span.start < window.owned);
        if let Some(lines) = added {
            found.retain(|f| {
                lines.iter().any(|wanted| f.line <= *wanted.end() && *wanted.start() <= f.end_line)
            });
        }
        let before = found.len();
        found.retain(|f| !crate::policy::allow::has_inline_marker(data, f));
        if found.len() < before {
            *out.accepted.entry(acceptance::INLINE.to_owned()).or_default() += before - found.len();
        }
        let shift = window.offset as usize;
        out.findings.extend(found.drain(..).map(|mut finding| {
            finding.span = finding.span.start + shift..finding.span.end + shift;
            tag(finding, origin)
        }));
    }

    /// Appends the findings of `origin`'s path: the path policy's (a file
    /// that must never be committed, its fingerprint bound to the origin's
    /// blob) and any secret in the name itself (source `file-name`).
    pub fn check_path(&self, origin: Origin<'_>, scratch: &mut Scratch, out: &mut Results) {
        let Some(path) = origin.path else { return };
        let content = origin.blob.as_ref().map(Oid::as_bytes);
        if let Some(mut finding) = self.policy.check(path, origin.source, content) {
            // A file on disk is bound to the id git would give its content.
            if origin.blob.is_none()
                && origin.source == SourceKind::File
                && let Ok(id) = crate::git::blob_id_of_file(path, self.object_format)
            {
                finding = self.policy.check(path, origin.source, Some(id.as_bytes())).unwrap_or(finding);
            }
            out.findings.push(tag(finding, origin));
        }
        let name = path.as_os_str().as_encoded_bytes();
        self.check_name(name, path, SourceKind::FileName, origin, scratch, out);
    }

    /// Appends any secret in the name of the ref `name` (`main`,
    /// `v1.0`, `refs/heads/topic`), source `ref-name`, its path the ref.
    pub fn check_ref(
        &self,
        name: &str,
        commit: Option<&CommitInfo>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) {
        let place = Path::new(name);
        let origin = Origin { commit, ..Origin::file(SourceKind::RefName, place) };
        self.check_name(name.as_bytes(), place, SourceKind::RefName, origin, scratch, out);
    }

    fn check_name(
        &self,
        name: &[u8],
        place: &Path,
        source: SourceKind,
        origin: Origin<'_>,
        scratch: &mut Scratch,
        out: &mut Results,
    ) {
        let found = &mut scratch.found;
        found.clear();
        self.scanner.scan(&Chunk::new(name, source).at(Some(place)), &mut scratch.scan, found);
        out.findings.extend(found.drain(..).map(|finding| tag(finding, origin)));
    }
}

/// Where a window lies in its content: its first byte's offset and line,
/// and how many of its bytes it owns (findings that start later belong to
/// the next window, which holds them whole).
#[derive(Debug, Clone, Copy)]
struct Window {
    offset: u64,
    first_line: usize,
    owned: usize,
}

/// Content read a window at a time: its reader, the bytes read and not
/// yet scanned, and the size of a window and of its overlap with the next.
struct Stream<'r> {
    reader: &'r mut dyn Read,
    data: Vec<u8>,
    size: usize,
    overlap: usize,
}

/// Fills `data` up to `size` bytes from `reader`; whether more may follow
/// (it is full).
fn fill(data: &mut Vec<u8>, size: usize, reader: &mut dyn Read) -> io::Result<bool> {
    let want = (size - data.len()) as u64;
    reader.take(want).read_to_end(data)?;
    Ok(data.len() == size)
}

fn skip(origin: Origin<'_>, reason: SkipReason) -> Skip {
    Skip { path: origin.path.map(Path::to_path_buf), blob: origin.blob, reason }
}

fn tag(mut finding: Finding, origin: Origin<'_>) -> Finding {
    if let Some(commit) = origin.commit {
        finding.commit = Some(Box::new(commit.clone()));
    }
    finding
}

/// Whether `data` is binary by git's rule: a NUL byte in the first 8,000 bytes.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE_LEN)]).is_some()
}

/// The first line of a Git LFS pointer.
const LFS_VERSION: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// Whether `data` is a Git LFS pointer as its specification writes one:
/// under 1,024 bytes, the version line first, then only `oid sha256:HEX`,
/// `size DIGITS` and `ext-N-NAME sha256:HEX` lines. Anything else in it
/// (a secret pasted below the header, say) makes it ordinary content.
pub fn is_lfs_pointer(data: &[u8]) -> bool {
    if data.len() >= 1024 || !data.ends_with(b"\n") {
        return false;
    }
    let mut lines = data[..data.len() - 1].split(|&b| b == b'\n');
    if lines.next() != Some(LFS_VERSION) {
        return false;
    }
    let hash = |value: &[u8]| {
        value.strip_prefix(b"sha256:").is_some_and(|hex| {
            hex.len() == 64 && hex.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        })
    };
    let (mut oid, mut size) = (false, false);
    for line in lines {
        let Some(space) = memchr::memchr(b' ', line) else { return false };
        let (key, value) = (&line[..space], &line[space + 1..]);
        match key {
            b"oid" if !oid && hash(value) => oid = true,
            b"size" if !size && !value.is_empty() && value.iter().all(u8::is_ascii_digit) => size = true,
            _ if is_extension_key(key) && hash(value) => {}
            _ => return false,
        }
    }
    oid && size
}

/// `ext-N-NAME`, an LFS extension's key.
fn is_extension_key(key: &[u8]) -> bool {
    let Some(rest) = key.strip_prefix(b"ext-") else { return false };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0
        && rest.get(digits) == Some(&b'-')
        && rest.len() > digits + 1
        && rest[digits + 1..].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointer(extra: &str) -> String {
        format!(
            "{}\n{extra}oid sha256:{}\nsize 12345\n",
            "version https://git-lfs.github.com/spec/v1",
            "ab".repeat(32)
        )
    }

    fn plan() -> Pipeline {
        Pipeline::new(&Config::default()).unwrap().without_size_limit()
    }

    fn found(results: &Results) -> Vec<(String, usize, usize, usize, usize)> {
        let mut found: Vec<_> = results
            .findings
            .iter()
            .map(|f| (f.rule_id.to_string(), f.line, f.column, f.end_line, f.span.start))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_stream_scanned_in_windows_finds_what_the_whole_finds_once() {
        let mut expander = crate::rules::template::Expander::new(5);
        let mut text = String::new();
        for line in 0..400 {
            let token = expander.expand("{{base62_crc:ghp_}}").unwrap();
            match line % 7 {
                0 => text.push_str(&format!("token = {token}\n")),
                3 => text.push_str(&format!("{} {token} and more\n", "x".repeat(line % 50))),
                _ => text.push_str("nothing to see here, just words\n"),
            }
        }
        let plan = plan();
        let origin = Origin::new(SourceKind::Stdin);
        let mut whole = Results::default();
        plan.check_content(text.as_bytes(), origin, None, &mut Scratch::default(), &mut whole);
        assert!(whole.findings.len() > 100);
        for sizes in [(256, 64), (1000, 100), (4096, 300), (text.len(), 64)] {
            let mut windows = Results::default();
            let mut reader = text.as_bytes();
            plan.check_windows(&mut reader, sizes, origin, None, &mut Scratch::default(), &mut windows)
                .unwrap();
            assert_eq!(found(&windows), found(&whole), "windows {sizes:?}");
        }
        // Only the lines a change adds count, numbered across windows.
        let added = [150..=160];
        let mut whole = Results::default();
        plan.check_content(text.as_bytes(), origin, Some(&added), &mut Scratch::default(), &mut whole);
        let mut windows = Results::default();
        plan.check_windows(
            &mut text.as_bytes(),
            (512, 80),
            origin,
            Some(&added),
            &mut Scratch::default(),
            &mut windows,
        )
        .unwrap();
        assert_eq!(found(&windows), found(&whole));
        assert!(!whole.findings.is_empty());
    }

    #[test]
    fn utf16_content_is_decoded_whole_and_in_windows_a_binary_is_not() {
        let mut expander = crate::rules::template::Expander::new(6);
        let mut text = String::new();
        for line in 0..300 {
            let token = expander.expand("{{base62_crc:ghp_}}").unwrap();
            match line % 9 {
                0 => text.push_str(&format!("token = {token}\n")),
                4 => text.push_str(&format!("日本😀 {token}\r\n")),
                _ => text.push_str("nothing to see here, just words\n"),
            }
        }
        let plan = plan();
        let origin = Origin::file(SourceKind::File, Path::new("notes.txt"));
        let mut utf8 = Results::default();
        plan.check_content(text.as_bytes(), origin, None, &mut Scratch::default(), &mut utf8);
        assert_eq!(utf8.findings.len(), 2 * 300 / 9 + 1);
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for data in [little, big] {
            let mut whole = Results::default();
            plan.check_content(&data, origin, None, &mut Scratch::default(), &mut whole);
            assert_eq!(found(&whole), found(&utf8));
            // Windows of odd sizes cut code units and surrogate pairs.
            for sizes in [(1001, 101), (4097, 333)] {
                let mut windows = Results::default();
                plan.check_windows(
                    &mut data.as_slice(),
                    sizes,
                    origin,
                    None,
                    &mut Scratch::default(),
                    &mut windows,
                )
                .unwrap();
                assert_eq!(found(&windows), found(&utf8), "windows {sizes:?}");
            }
        }
        let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        binary.extend(text.as_bytes());
        let mut skipped = Results::default();
        plan.check_content(&binary, origin, None, &mut Scratch::default(), &mut skipped);
        assert!(skipped.findings.is_empty());
        assert_eq!(skipped.skipped[0].reason, SkipReason::Binary);
    }

    #[test]
    fn lfs_pointers_as_the_specification_writes_them_and_nothing_else() {
        assert!(is_lfs_pointer(pointer("").as_bytes()));
        assert!(is_lfs_pointer(pointer(&format!("ext-0-foo sha256:{}\n", "cd".repeat(32))).as_bytes()));
        assert!(!is_lfs_pointer(pointer("password = hunter2hunter2\n").as_bytes()));
        assert!(!is_lfs_pointer(format!("{}x", pointer("")).as_bytes()));
        assert!(!is_lfs_pointer(pointer("").trim_end().as_bytes()));
        assert!(!is_lfs_pointer(pointer("").replace("size 12345\n", "").as_bytes()));
        assert!(!is_lfs_pointer(format!("{}{}", pointer(""), "size 1\n").as_bytes()));
        assert!(!is_lfs_pointer(format!("{}{}\n", pointer(""), "x".repeat(1024)).as_bytes()));
    }
}
