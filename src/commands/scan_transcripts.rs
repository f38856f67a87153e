//! `guard scan-transcripts [PATH…]`: the secrets the assistants' local
//! transcripts hold (what a model service has already been sent, or was
//! about to be), each once per session with assistant, project, session,
//! date and how to rotate it. Read only; exit 1 when one is found.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::ScanTranscriptsArgs;
use crate::report::transcripts::Row;
use crate::sources::transcripts::{self, Found};

/// Runs `guard scan-transcripts`.
///
/// # Errors
/// Invalid configuration, no home directory to look in, or an unwritable
/// report.
pub fn run(args: &ScanTranscriptsArgs) -> Result<Outcome> {
    let (plan, _) = super::plan::Plan::for_cwd(args.config.as_deref())?;
    let pipeline = plan.pipeline.without_size_limit();
    let mut found = Found::default();
    let files: Vec<(&str, PathBuf)> = if args.paths.is_empty() {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .context("HOME is not set: name the transcripts to scan")?;
        let (files, compressed) = transcripts::store_files(std::path::Path::new(&home));
        found.errors.extend(compressed.iter().map(|path| {
            format!("{}: compressed (zstd): decompress it (zstd -d) and name the file", path.display())
        }));
        files
    } else {
        args.paths
            .iter()
            .flat_map(|path| ignore::WalkBuilder::new(path).standard_filters(false).build().flatten())
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .map(|entry| ("transcript", entry.into_path()))
            .collect()
    };
    for (assistant, file) in &files {
        transcripts::scan_file(&pipeline, assistant, file, &mut found);
    }
    let format = super::format(args.format);
    let rows: Vec<Row<'_>> = found
        .exposed
        .iter()
        .map(|e| Row {
            finding: &e.finding,
            assistant: &e.assistant,
            project: e.project.as_deref(),
            session: &e.session,
            date: e.date.as_deref(),
            line: e.line,
            repeats: e.repeats,
        })
        .collect();
    crate::report::emit(args.output.as_deref(), |out| {
        crate::report::transcripts::write(out, &rows, found.files, format)
    })?;
    for error in &found.errors {
        crate::report::say_error(&format!("not read: {error}"));
    }
    Ok(if !found.exposed.is_empty() {
        Outcome::Findings
    } else if !found.errors.is_empty() {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}
