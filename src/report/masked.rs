//! Masking a stream: every secret the scanner finds is replaced by its
//! redaction (finding.rs), everything else passes through byte for byte,
//! non-UTF-8 included. Line-oriented, so a live log is masked as it comes,
//! but a PEM block is held until its END line so that it is masked whole;
//! one too long to hold is masked as far as it goes, and every base64 line
//! after that is masked whole until the block ends: no size of block comes
//! through in clear.
//! No config, no files: the caller hands in the scanner and the streams.

use std::io::{self, BufRead, BufReader, Read, Write};

use crate::scan::chunk::Chunk;
use crate::scan::finding::{Finding, SourceKind, redact};
use crate::scan::scanner::{ScanScratch, Scanner};

/// A PEM block held longer than this is masked as far as it goes and
/// written out, so that a missing END line cannot hold the stream forever.
const MAX_HELD: usize = 1 << 20;

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const PEM_END: &[u8] = b"-----END ";

/// Copies `input` to `output` with every secret masked; returns how many
/// secrets were masked. Output is flushed whenever no more input is
/// already waiting, so a pipe from a live process shows each line at once.
///
/// # Errors
/// A read or write error.
pub fn copy_masked(
    scanner: &Scanner,
    input: &mut BufReader<impl Read>,
    output: &mut dyn Write,
) -> io::Result<usize> {
    let mut held = Vec::new();
    let mut scratch = ScanScratch::default();
    let mut findings = Vec::new();
    let mut masked = 0;
    // Inside a block too long to hold, after what was held went out masked.
    let mut in_long_block = false;
    loop {
        let read = (&mut *input).take(MAX_HELD as u64).read_until(b'\n', &mut held)?;
        let at_end = read == 0;
        if in_long_block && !at_end {
            in_long_block = is_pem_body_line(&held);
            if in_long_block {
                output.write_all(mask_line(&held).as_bytes())?;
                held.clear();
                continue;
            }
        }
        if !at_end && open_pem_block(&held) {
            if held.len() < MAX_HELD {
                continue;
            }
            in_long_block = true;
        }
        if !held.is_empty() {
            masked += write_masked(scanner, &held, &mut scratch, &mut findings, output)?;
            held.clear();
        }
        if at_end {
            output.flush()?;
            return Ok(masked);
        }
        // The next read may wait for the writer: show what is done first.
        if input.buffer().is_empty() {
            output.flush()?;
        }
    }
}

/// Whether `text` holds a PEM BEGIN line with no END line after it.
fn open_pem_block(text: &[u8]) -> bool {
    memchr::memmem::rfind(text, PEM_BEGIN)
        .is_some_and(|begin| memchr::memmem::find(&text[begin..], PEM_END).is_none())
}

/// Whether `line` can be part of a PEM body: base64 and blanks only.
fn is_pem_body_line(line: &[u8]) -> bool {
    line.iter().any(u8::is_ascii_alphanumeric)
        && line.iter().all(|&b| b.is_ascii_alphanumeric() || b"+/=\r\n\t ".contains(&b))
}

/// A body line as written in place of the line: its length, its line end.
fn mask_line(line: &[u8]) -> String {
    let body = line.trim_ascii_end();
    let mut shown = redact(body, 0);
    shown.push_str(&String::from_utf8_lossy(&line[body.len()..]));
    shown
}

/// Scans `data`, writes it with each secret replaced by its redaction, and
/// returns how many were replaced.
pub(crate) fn write_masked(
    scanner: &Scanner,
    data: &[u8],
    scratch: &mut ScanScratch,
    findings: &mut Vec<Finding>,
    output: &mut dyn Write,
) -> io::Result<usize> {
    findings.clear();
    let chunk = Chunk { data, path: None, source: SourceKind::Stdin, first_line: 1, only_lines: None };
    scanner.scan(&chunk, scratch, findings);
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = findings
        .iter()
        .filter(|f| !f.secret.is_empty())
        .filter_map(|f| {
            // A secret decoded from base64 is masked as written: the whole
            // encoded text.
            let written = f.encoded.as_deref().unwrap_or(&f.secret);
            let Some(within) = memchr::memmem::find(data.get(f.span.clone())?, written) else {
                // Split by escape sequences (scanner.rs): mask all it spans.
                return Some((f.span.clone(), redact(&f.secret, f.public_prefix)));
            };
            let start = f.span.start + within;
            if f.encoded.is_some() {
                return Some((start..start + written.len(), redact(written, 0)));
            }
            let mut shown = redact(&f.secret, f.public_prefix);
            if f.secret.ends_with(b"\n") {
                shown.push('\n');
            }
            Some((start..start + f.secret.len(), shown))
        })
        .collect();
    replacements.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut written = 0;
    let mut count = 0;
    for (range, shown) in replacements {
        if range.start < written {
            continue; // inside a secret already masked
        }
        output.write_all(&data[written..range.start])?;
        output.write_all(shown.as_bytes())?;
        written = range.end;
        count += 1;
    }
    output.write_all(&data[written..])?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(input: &[u8]) -> Vec<u8> {
        let matcher = crate::scan::matcher::Matcher::new(crate::rules::set::RuleSet::builtin()).unwrap();
        let mut out = Vec::new();
        copy_masked(&Scanner::new(matcher), &mut BufReader::new(input), &mut out).unwrap();
        out
    }

    /// A base64 line of 64 characters, different for each `seed`.
    fn body_line(seed: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..64).map(|i| char::from(ALPHABET[(seed * 131 + i * 37 + i * i * 7) % 64])).collect()
    }

    #[test]
    fn a_block_without_an_end_line_is_masked_to_the_end_of_its_body() {
        let lines: Vec<String> = (0..3).map(body_line).collect();
        let input = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n", lines.join("\n"));
        let out = String::from_utf8(masked(input.as_bytes())).unwrap();
        assert!(lines.iter().all(|line| !out.contains(&line[..16])), "{out}");
        assert!(out.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"), "{out}");
    }

    #[test]
    fn a_block_of_any_size_never_comes_through_in_clear() {
        let count = MAX_HELD / 64 + 500;
        let lines: Vec<String> = (0..count).map(body_line).collect();
        let input = format!(
            "before\n-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\nafter\n",
            lines.join("\n")
        );
        let out = String::from_utf8(masked(input.as_bytes())).unwrap();
        let clear = lines.iter().filter(|line| out.contains(&line[..])).count();
        assert_eq!(clear, 0, "{clear} of {count} body lines in clear");
        assert!(out.starts_with("before\n") && out.ends_with("-----END RSA PRIVATE KEY-----\nafter\n"));
    }

    #[test]
    fn a_pem_block_is_held_until_its_end_line() {
        assert!(open_pem_block(b"x\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"));
        assert!(!open_pem_block(b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assert!(!open_pem_block(b"plain line\n"));
    }
}
