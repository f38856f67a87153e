//! What a hook prints when it blocks: each finding with its redacted
//! secret, then the ways out.

use std::io::{self, Write};

use crate::policy::baseline::FILE_NAME as BASELINE;
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
        if action == "push" {
            writeln!(
                out,
                "  - to accept it on purpose: `guard baseline --update` and commit {BASELINE} before the \
                 commit that adds the secret (git rebase -i); each pushed commit is judged by what its \
                 parent accepted"
            )?;
        } else {
            writeln!(
                out,
                "  - to accept it on purpose: `guard baseline --update`, commit the baseline on its own \
                 (git commit -m \"guard: accept a finding\" -- {BASELINE}), then retry; guard counts \
                 acceptance only once it is committed"
            )?;
        }
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
        writeln!(
            out,
            "  - if it holds no secret, list it under [path_policy] allow in guard.toml (or accept this \
             content with `guard baseline --update`) and commit that file on its own first"
        )?;
    }
    if action == "push" {
        writeln!(
            out,
            "  - rewrite the commits that hold it (git rebase -i, or git commit --amend for the last one)"
        )?;
    }
    writeln!(out, "  - to bypass guard for this {action} on purpose: git {action} --no-verify")
}

/// The line that says why `files` (`guard.toml`, the baseline), changed in
/// the work tree, accepted nothing in this commit, and the two steps that
/// make them count.
pub fn uncommitted_acceptance(files: &[&str]) -> String {
    let names = files.join(" and ");
    format!(
        "guard: {names} in the work tree {} from HEAD's, and what a repository's files accept counts only \
         once committed, so that acceptance is a change of its own that a reviewer sees. Commit {} on its own \
         first (git commit -m \"guard: accept findings\" -- {}), then commit the rest.",
        if files.len() == 1 { "differs" } else { "differ" },
        if files.len() == 1 { "it" } else { "them" },
        files.join(" ")
    )
}
