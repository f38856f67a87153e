//! What guard's assistant hook says when it blocks: the assistant shows it
//! to the model (and the user), so it names each finding with its secret
//! redacted, each other reason in one line, and what to do instead.

use std::io::{self, Write};

use crate::report::{heading, shown_secret};
use crate::scan::finding::Finding;

/// Why an event is blocked.
#[derive(Debug)]
pub struct Block {
    /// What was blocked: "this prompt", "Read of .env", "this shell command".
    pub what: String,
    /// The secrets and secret files behind it.
    pub findings: Vec<Finding>,
    /// Reasons that are not a secret found: the git gate switched off, a
    /// variable that holds a secret printed, secret files listed.
    pub reasons: Vec<String>,
}

/// Writes the reason for `block`.
///
/// # Errors
/// A write error.
pub fn write(out: &mut dyn Write, block: &Block) -> io::Result<()> {
    let what = super::names::shown_name(&block.what, false);
    if block.findings.is_empty() {
        writeln!(out, "guard blocked {what}:")?;
    } else {
        writeln!(out, "guard blocked {what}: it would expose a secret to the assistant.")?;
    }
    for finding in &block.findings {
        writeln!(out, "  {}", heading(finding, false))?;
        if !finding.is_path_finding() {
            writeln!(out, "      secret: {}", shown_secret(finding, false))?;
        }
    }
    for reason in &block.reasons {
        writeln!(out, "  {}", super::names::masked_text(reason))?;
    }
    if block.findings.iter().any(|f| f.path.is_none()) {
        writeln!(
            out,
            "Leave the secret out: refer to it by the name of its environment variable or file instead."
        )?;
    }
    if block.findings.iter().any(|f| f.path.is_some()) {
        writeln!(
            out,
            "Do not read or write the secret. Work with names only (a .env.example with placeholders), or ask the user."
        )?;
    }
    Ok(())
}
