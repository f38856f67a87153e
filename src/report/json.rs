//! JSON and JSON Lines reports: the Finding contract of DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;

use std::borrow::Cow;

use crate::report::names::masked_name;
use crate::report::{Coverage, shown_secret};
use crate::scan::finding::Finding;

/// Version of the JSON report layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Record<'a> {
    rule_id: &'a str,
    description: &'a str,
    path: Option<String>,
    line: usize,
    column: usize,
    end_line: usize,
    secret: String,
    fingerprint: &'a str,
    entropy: f64,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_head: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refs: Option<Vec<Cow<'a, str>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotate: Option<&'a str>,
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    findings: Vec<Record<'a>>,
    skipped: Vec<Skipped<'a>>,
    errors: usize,
    accepted: &'a crate::policy::acceptance::Accepted,
}

/// Content not read: for its size, `{"path", "blob", "size", "limit",
/// "reason": "too-large"}`; not in a partial clone, `{"path", "blob",
/// "reason": "not-local", "hint"}`.
#[derive(Serialize)]
struct Skipped<'a> {
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blob: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

fn skipped(coverage: &Coverage, show_secrets: bool) -> Vec<Skipped<'_>> {
    let shown = |path: &Option<std::path::PathBuf>| {
        path.as_ref().map(|p| masked_name(&p.to_string_lossy(), show_secrets).into_owned())
    };
    let too_large = coverage.too_large.iter().map(|skip| Skipped {
        path: shown(&skip.path),
        blob: skip.blob.as_deref(),
        size: Some(skip.size),
        limit: Some(coverage.limit),
        reason: "too-large",
        hint: None,
    });
    let not_local = coverage.not_local.iter().map(|skip| Skipped {
        path: shown(&skip.path),
        blob: Some(&skip.blob),
        size: None,
        limit: None,
        reason: "not-local",
        hint: Some(coverage.partial_clone_hint()),
    });
    too_large.chain(not_local).collect()
}

fn record(finding: &Finding, show_secrets: bool) -> Record<'_> {
    Record {
        rule_id: &finding.rule_id,
        description: &finding.description,
        path: finding.path.as_ref().map(|p| masked_name(&p.to_string_lossy(), show_secrets).into_owned()),
        line: finding.line,
        column: finding.column,
        end_line: finding.end_line,
        secret: shown_secret(finding, show_secrets),
        fingerprint: &finding.fingerprint,
        entropy: (finding.entropy * 1000.0).round() / 1000.0,
        source: finding.source.as_str(),
        commit: finding.commit.as_ref().map(|c| c.oid.as_str()),
        author: finding.commit.as_ref().map(|c| c.author.as_str()),
        email: finding.commit.as_ref().map(|c| c.email.as_str()),
        date: finding.commit.as_ref().map(|c| crate::datetime::format_utc(c.time)),
        in_head: finding.history.as_ref().map(|h| h.in_head),
        refs: finding
            .history
            .as_ref()
            .map(|h| h.refs.iter().map(|name| masked_name(name, show_secrets)).collect()),
        rotate: finding.history.as_ref().map(|_| finding.rotate.as_ref()),
    }
}

/// `{"schema_version": 1, "findings": [...], "skipped": [...], "errors": N}`
/// and a newline.
///
/// # Errors
/// A write error.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    coverage: &Coverage,
    show_secrets: bool,
) -> io::Result<()> {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        findings: findings.iter().map(|f| record(f, show_secrets)).collect(),
        skipped: skipped(coverage, show_secrets),
        errors: coverage.errors,
        accepted: &coverage.accepted,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// One finding per line, then one `{"skipped": {...}}` line per item not
/// read, when something could not be read `{"errors": N}`, and when
/// findings were accepted `{"accepted": {"by what": N}}`.
///
/// # Errors
/// A write error.
pub fn write_lines(
    out: &mut dyn Write,
    findings: &[Finding],
    coverage: &Coverage,
    show_secrets: bool,
) -> io::Result<()> {
    for finding in findings {
        serde_json::to_writer(&mut *out, &record(finding, show_secrets))?;
        writeln!(out)?;
    }
    for skip in skipped(coverage, show_secrets) {
        serde_json::to_writer(&mut *out, &serde_json::json!({ "skipped": skip }))?;
        writeln!(out)?;
    }
    if coverage.errors > 0 {
        writeln!(out, "{}", serde_json::json!({ "errors": coverage.errors }))?;
    }
    if !coverage.accepted.is_empty() {
        writeln!(out, "{}", serde_json::json!({ "accepted": coverage.accepted }))?;
    }
    Ok(())
}
