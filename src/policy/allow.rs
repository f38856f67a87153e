//! Inline acceptance: `guard:allow` (or detect-secrets' `pragma: allowlist
//! secret`) on a finding's first or last line. It is part of the change
//! that adds the secret, so a reviewer sees it; configured acceptance is
//! `acceptance.rs`.

use crate::scan::finding::Finding;

/// Marks that, on a finding's first or last line, suppress it.
pub const INLINE_MARKERS: &[&str] = &["guard:allow", "pragma: allowlist secret"];

/// Whether the first or last line of the finding carries an inline marker.
pub fn has_inline_marker(data: &[u8], finding: &Finding) -> bool {
    let span = finding.span.clone();
    if span.end > data.len() {
        return false;
    }
    let first_start = memchr::memrchr(b'\n', &data[..span.start]).map_or(0, |i| i + 1);
    let first_end = memchr::memchr(b'\n', &data[span.start..]).map_or(data.len(), |i| span.start + i);
    let last_start = memchr::memrchr(b'\n', &data[..span.end]).map_or(0, |i| i + 1);
    let last_end = memchr::memchr(b'\n', &data[span.end..]).map_or(data.len(), |i| span.end + i);
    [&data[first_start..first_end], &data[last_start..last_end]]
        .iter()
        .any(|line| INLINE_MARKERS.iter().any(|m| memchr::memmem::find(line, m.as_bytes()).is_some()))
}
