//! Masking a stream: every secret the scanner finds is replaced by its
//! redaction (finding.rs), everything else passes through byte for byte,
//! non-UTF-8 included. Line-oriented, so a live log is masked as it comes,
//! but a PEM block is held until its END line so that it is masked whole.
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
    loop {
        let read = input.read_until(b'\n', &mut held)?;
        let at_end = read == 0;
        if !at_end && open_pem_block(&held) && held.len() < MAX_HELD {
            continue;
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

/// `text` with every secret the built-in rules find masked: the last line
/// of defence for error messages, which may quote what git or a parser
/// printed.
pub fn masked_text(text: &str) -> String {
    let Ok(matcher) = crate::scan::matcher::Matcher::new(crate::rules::set::RuleSet::builtin()) else {
        return text.to_owned();
    };
    let scanner = Scanner::new(matcher);
    let mut out = Vec::with_capacity(text.len());
    let written =
        write_masked(&scanner, text.as_bytes(), &mut ScanScratch::default(), &mut Vec::new(), &mut out);
    match (written, String::from_utf8(out)) {
        (Ok(_), Ok(masked)) => masked,
        _ => text.to_owned(),
    }
}

/// Whether `text` holds a PEM BEGIN line with no END line after it.
fn open_pem_block(text: &[u8]) -> bool {
    memchr::memmem::rfind(text, PEM_BEGIN)
        .is_some_and(|begin| memchr::memmem::find(&text[begin..], PEM_END).is_none())
}

/// Scans `data`, writes it with each secret replaced by its redaction, and
/// returns how many were replaced.
fn write_masked(
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
            let within = memchr::memmem::find(data.get(f.span.clone())?, written)?;
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

    #[test]
    fn a_pem_block_is_held_until_its_end_line() {
        assert!(open_pem_block(b"x\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"));
        assert!(!open_pem_block(b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assert!(!open_pem_block(b"plain line\n"));
    }
}
