//! The `git filter-repo --replace-text` file: one `literal:SECRET==>***REMOVED***`
//! line per distinct secret (per line of a multi-line secret, such as a PEM
//! body, whose lines are replaced one by one). It holds secrets in clear, so
//! the caller creates it readable by its owner only.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::scan::finding::Finding;

/// Lines of a multi-line secret shorter than this are left out: replacing a
/// short line such as `AQAB==` would damage unrelated files.
const MIN_LINE: usize = 16;

/// What replaces each secret.
const REPLACEMENT: &str = "***REMOVED***";

/// Writes the expressions; returns how many.
///
/// # Errors
/// A write error.
pub fn write(out: &mut dyn Write, findings: &[Finding]) -> io::Result<usize> {
    let mut literals: BTreeSet<&[u8]> = BTreeSet::new();
    for finding in findings.iter().filter(|f| !f.is_path_finding()) {
        let secret = finding.secret.as_slice();
        if memchr::memchr(b'\n', secret).is_some() {
            literals.extend(
                secret.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|line| line.len() >= MIN_LINE),
            );
        } else {
            literals.insert(secret);
        }
        // A secret decoded from base64 is in the blobs as written.
        if let Some(encoded) = &finding.encoded {
            literals.insert(encoded);
        }
    }
    // filter-repo splits an expression at its first "==>".
    literals.retain(|literal| memchr::memmem::find(literal, b"==>").is_none());
    for literal in &literals {
        out.write_all(b"literal:")?;
        out.write_all(literal)?;
        writeln!(out, "==>{REPLACEMENT}")?;
    }
    Ok(literals.len())
}
