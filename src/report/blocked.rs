//! What a hook prints when it blocks: each finding with its redacted
//! secret, then the ways out.

use std::io::{self, Write};

use crate::report::{heading, shown_secret};
use crate::scan::finding::{Finding, SourceKind};

/// Writes the block message for `action` ("commit", "merge").
///
/// # Errors
/// A write error.
pub fn write(out: &mut dyn Write, findings: &[Finding], action: &str) -> io::Result<()> {
    let count = findings.len();
    let plural = if count == 1 { "" } else { "s" };
    writeln!(out, "guard: {action} blocked: {count} finding{plural}")?;
    writeln!(out)?;
    for finding in findings {
        writeln!(out, "  {}", heading(finding, false))?;
        if !finding.is_path_finding() {
            writeln!(out, "      secret: {}", shown_secret(finding, false))?;
        }
    }
    let in_content = |f: &&Finding| !f.is_name_finding();
    writeln!(out)?;
    writeln!(out, "Ways out:")?;
    if findings.iter().any(|f| in_content(&f)) {
        writeln!(
            out,
            "  - remove the secret{} and retry; rotate it if it was ever pushed or shared",
            if action == "push" { " from the commits (see below)" } else { ", stage the file again" }
        )?;
        writeln!(out, "  - if it is not a secret, add `guard:allow` in a comment on its line")?;
    }
    if findings.iter().any(|f| f.source == SourceKind::FileName) {
        writeln!(out, "  - rename the file (git mv) so that its name holds no secret; rotate the secret")?;
    }
    if findings.iter().any(|f| f.source == SourceKind::RefName) {
        writeln!(
            out,
            "  - push under a name that holds no secret (git branch -m, git tag -d); rotate the secret"
        )?;
    }
    if findings.iter().any(Finding::is_path_finding) {
        writeln!(out, "  - unstage the file (git rm --cached FILE) and add it to .gitignore")?;
        writeln!(out, "  - if it holds no secret, list it under [path_policy] allow in guard.toml")?;
    }
    if action == "push" {
        writeln!(
            out,
            "  - rewrite the commits that hold it (git rebase -i, or git commit --amend for the last one)"
        )?;
    }
    writeln!(out, "  - to bypass guard for this {action} on purpose: git {action} --no-verify")
}
