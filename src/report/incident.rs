//! The human incident report of `scan-history`: one block per secret
//! (fingerprint), with where it came in, where else it is, whether HEAD
//! still has it, which refs carry it, and how to rotate it.

use std::io::{self, Write};

use crate::datetime::format_utc;
use crate::report::{Coverage, shown_path, shown_secret, write_not_read};
use crate::scan::finding::{Finding, SourceKind};

/// Writes the grouped report. `findings` come grouped by fingerprint, as
/// `source::history` produces them.
///
/// # Errors
/// A write error.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    coverage: &Coverage,
    show_secrets: bool,
) -> io::Result<()> {
    let groups: Vec<&[Finding]> = findings.chunk_by(|a, b| a.fingerprint == b.fingerprint).collect();
    for (number, group) in groups.iter().enumerate() {
        let first = &group[0];
        writeln!(out, "[{}/{}] {}: {}", number + 1, groups.len(), first.rule_id, first.description)?;
        if first.is_path_finding() {
            writeln!(out, "    file:        {}", place(first, show_secrets))?;
        } else {
            writeln!(out, "    secret:      {}", shown_secret(first, show_secrets))?;
        }
        for finding in group.iter() {
            if let Some(commit) = &finding.commit {
                writeln!(
                    out,
                    "    introduced:  {} {} by {} <{}> at {}",
                    &commit.oid[..commit.oid.len().min(12)],
                    format_utc(commit.time),
                    commit.author,
                    commit.email,
                    place(finding, show_secrets)
                )?;
            }
        }
        if let Some(history) = &first.history {
            let paths = if history.paths.is_empty() {
                String::from("commit messages")
            } else {
                shown_names(&history.paths, show_secrets)
            };
            writeln!(out, "    occurrences: {} (in {})", history.occurrences, paths)?;
            let head = if history.in_head { "yes: HEAD's tree still holds it" } else { "no" };
            writeln!(out, "    in HEAD:     {head}")?;
            let refs = if history.refs.is_empty() {
                String::from("(none)")
            } else {
                shown_names(&history.refs, show_secrets)
            };
            writeln!(out, "    reachable:   {refs}")?;
        }
        if !first.rotate.is_empty() {
            writeln!(out, "    rotate:      {}", first.rotate)?;
        }
        writeln!(out)?;
    }
    write_not_read(out, coverage, show_secrets)?;
    match groups.len() {
        0 => writeln!(out, "{}", coverage.summary_without_findings(" in the history")),
        n => {
            writeln!(
                out,
                "guard: {n} distinct secrets or secret files found in the history{}.",
                coverage.summary_suffix()
            )?;
            writeln!(
                out,
                "Rotate every one of them: rewriting history does not make a leaked secret safe, rotating it does."
            )
        }
    }
}

fn place(finding: &Finding, show_secrets: bool) -> String {
    match &finding.path {
        Some(path) if finding.source == SourceKind::RefName => {
            format!("ref {}", shown_path(path, show_secrets))
        }
        Some(path) if finding.source == SourceKind::FileName => {
            format!("the name of {}", shown_path(path, show_secrets))
        }
        Some(path) if finding.is_path_finding() => shown_path(path, show_secrets),
        Some(path) => format!("{}:{}", shown_path(path, show_secrets), finding.line),
        None => format!("commit message, line {}", finding.line),
    }
}

/// Names joined by commas as the report shows them.
fn shown_names(names: &[String], show_secrets: bool) -> String {
    let shown: Vec<String> =
        names.iter().map(|name| crate::report::names::shown_name(name, show_secrets)).collect();
    shown.join(", ")
}
