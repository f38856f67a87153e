//! The report of `guard scan-transcripts`: each secret a transcript holds,
//! redacted, with the assistant, project, session and date, and how to
//! rotate it; or, when there is none, how many transcripts were read.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::Format;
use crate::scan::finding::Finding;

/// One secret found in a transcript, with what the transcript says of it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The finding; its path is the transcript file.
    pub finding: &'a Finding,
    /// The assistant whose transcript it is.
    pub assistant: &'a str,
    /// The project the session worked in, when known.
    pub project: Option<&'a str>,
    /// The session.
    pub session: &'a str,
    /// When the record was written, as the transcript gives it.
    pub date: Option<&'a str>,
    /// The transcript's line.
    pub line: usize,
    /// How many more times the same secret is in the transcript.
    pub repeats: usize,
}

#[derive(Serialize)]
struct Record<'a> {
    rule_id: &'a str,
    description: &'a str,
    secret: String,
    fingerprint: &'a str,
    assistant: &'a str,
    project: Option<&'a str>,
    session: &'a str,
    date: Option<&'a str>,
    file: String,
    line: usize,
    repeats: usize,
    rotate: &'a str,
}

fn record<'a>(row: &Row<'a>) -> Record<'a> {
    let finding = row.finding;
    Record {
        rule_id: &finding.rule_id,
        description: &finding.description,
        secret: finding.redacted(),
        fingerprint: &finding.fingerprint,
        assistant: row.assistant,
        project: row.project,
        session: row.session,
        date: row.date,
        file: finding.path.as_deref().map(|p| super::shown_path(p, false)).unwrap_or_default(),
        line: row.line,
        repeats: row.repeats,
        rotate: &finding.rotate,
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    transcripts: usize,
    findings: Vec<Record<'a>>,
}

/// Writes `rows`, found in `files` transcript files, in `format`.
///
/// # Errors
/// A write error.
pub fn write(out: &mut dyn Write, rows: &[Row<'_>], files: usize, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            let findings = rows.iter().map(record).collect();
            let document =
                Document { schema_version: super::json::SCHEMA_VERSION, transcripts: files, findings };
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, &record(row))?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Human => {
            if rows.is_empty() {
                return writeln!(out, "guard: no secret in {files} transcript file(s)");
            }
            writeln!(
                out,
                "guard: {} secret(s) in {} transcript file(s): each went to the assistant (and its model service) or was about to; rotate every one",
                rows.len(),
                files
            )?;
            for row in rows {
                let r = record(row);
                writeln!(out, "\n  {}: {} {}", r.rule_id, r.description, r.secret)?;
                let project = r
                    .project
                    .map(|p| format!(", project {}", super::names::shown_name(p, false)))
                    .unwrap_or_default();
                let date = r.date.map(|d| format!(", {d}")).unwrap_or_default();
                writeln!(
                    out,
                    "      {}{project}, session {}{date}",
                    r.assistant,
                    super::names::shown_name(r.session, false)
                )?;
                let repeats =
                    if r.repeats > 0 { format!(" (and {} more times)", r.repeats) } else { String::new() };
                writeln!(out, "      in {}:{}{repeats}", r.file, r.line)?;
                writeln!(out, "      rotate: {}", r.rotate)?;
            }
            Ok(())
        }
    }
}
