//! The report for people: where, what, the redacted secret, and the ways out.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::report::{Coverage, heading, shown_path, shown_secret, write_not_read};
use crate::scan::finding::{Finding, SourceKind};

/// One block per finding, then a one-line summary.
///
/// # Errors
/// A write error.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    coverage: &Coverage,
    show_secrets: bool,
) -> io::Result<()> {
    for finding in findings {
        writeln!(out, "{}", heading(finding, show_secrets))?;
        if finding.is_path_finding() {
            let place = finding.path.as_deref().map(|p| shown_path(p, show_secrets)).unwrap_or_default();
            writeln!(
                out,
                "    fix:    git rm --cached {place:?} and add it to .gitignore; rotate what it holds"
            )?;
            writeln!(
                out,
                "    allow:  list it under [path_policy] allow in guard.toml if it holds no secret"
            )?;
        } else {
            writeln!(out, "    secret: {}", shown_secret(finding, show_secrets))?;
            match finding.source {
                SourceKind::FileName => {
                    writeln!(
                        out,
                        "    fix:    rename the file (git mv) so its name holds no secret, then rotate it"
                    )?;
                }
                SourceKind::RefName => {
                    writeln!(
                        out,
                        "    fix:    rename or delete the branch or tag (git branch -m, git tag -d), then rotate it"
                    )?;
                }
                _ => {
                    writeln!(out, "    fix:    remove it from the file, then rotate it")?;
                    writeln!(
                        out,
                        "    allow:  add `guard:allow` in a comment on that line if it is not a secret"
                    )?;
                }
            }
        }
        if !finding.rotate.is_empty() {
            writeln!(out, "    rotate: {}", finding.rotate)?;
        }
        writeln!(out)?;
    }
    write_not_read(out, coverage, show_secrets)?;
    let files: BTreeSet<_> = findings.iter().map(|f| &f.path).collect();
    let more = coverage.summary_suffix();
    match findings.len() {
        0 => writeln!(out, "{}", coverage.summary_without_findings("")),
        1 => writeln!(out, "guard: 1 finding{more}"),
        n => writeln!(out, "guard: {n} findings in {} places{more}", files.len()),
    }
}
