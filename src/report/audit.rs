//! The report of `guard audit`: one row per check (pass, fail, warn or
//! skip) as a table for people, or JSON. A failed check makes exit 1; a
//! warning says something true that is not a failure (a control the
//! assistant does not enforce, say).

use std::io::{self, Write};

use serde::Serialize;

use crate::report::Format;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Holds.
    Pass,
    /// Does not hold: exit 1.
    Fail,
    /// Worth knowing, not a failure.
    Warn,
    /// Not checked here (`--ci`).
    Skip,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Skip => "SKIP",
        }
    }
}

/// One row of the audit.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What was checked (a file, or a property of the repository).
    pub check: String,
    /// How it came out.
    pub status: Status,
    /// Why, and how to fix it; secrets redacted.
    pub detail: String,
}

impl Check {
    /// A row.
    pub fn new(check: impl Into<String>, status: Status, detail: impl Into<String>) -> Check {
        Check { check: check.into(), status, detail: detail.into() }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    passed: bool,
    checks: &'a [Check],
}

/// Writes the checks in `format` (JSON Lines: one check per line).
///
/// # Errors
/// A write error.
pub fn write(out: &mut dyn Write, checks: &[Check], format: Format) -> io::Result<()> {
    let passed = !checks.iter().any(|c| c.status == Status::Fail);
    match format {
        Format::Json => {
            let document = Document { schema_version: super::json::SCHEMA_VERSION, passed, checks };
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for check in checks {
                serde_json::to_writer(&mut *out, check)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Human => {
            let width = checks.iter().map(|c| c.check.len()).max().unwrap_or(0);
            for check in checks {
                writeln!(out, "{}  {:<width$}  {}", check.status.label(), check.check, check.detail)?;
            }
            let count = |status| checks.iter().filter(|c| c.status == status).count();
            writeln!(
                out,
                "\nguard audit: {} passed, {} failed, {} warnings{}",
                count(Status::Pass),
                count(Status::Fail),
                count(Status::Warn),
                if passed { "" } else { " (guard audit --fix adds missing patterns and deny rules)" }
            )
        }
    }
}
