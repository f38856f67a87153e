//! The only code that writes findings out: human, JSON and JSON Lines.
//! Secrets are redacted unless the user asked for `--no-redact`; bytes become
//! text (lossily) only here.

pub mod assistant;
pub mod audit;
pub mod blocked;
pub mod human;
pub mod incident;
pub mod json;
pub mod masked;
pub mod replace_text;

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::scan::finding::{Finding, SourceKind};

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: one block per finding, with how to fix it.
    Human,
    /// One JSON object: `{"schema_version": 1, "findings": [...]}`.
    Json,
    /// One JSON finding per line.
    Jsonl,
}

/// How a report is written.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// Whether secrets are shown in full (`--no-redact`).
    pub show_secrets: bool,
}

/// Writes `findings` to `out` in the chosen format.
///
/// # Errors
/// A write error (a closed pipe included; see [`is_closed_pipe`]).
pub fn write(out: &mut dyn Write, findings: &[Finding], options: Options) -> io::Result<()> {
    match options.format {
        Format::Human => human::write(out, findings, options.show_secrets),
        Format::Json => json::write(out, findings, options.show_secrets),
        Format::Jsonl => json::write_lines(out, findings, options.show_secrets),
    }?;
    out.flush()
}

/// Runs `write` on the report's destination: `output` (created readable by
/// its owner only) or standard output, buffered and flushed. A closed pipe
/// on standard output is not an error.
///
/// # Errors
/// The file cannot be created, or a write fails.
pub fn emit(output: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let written = match output {
        Some(path) => {
            let mut file = io::BufWriter::new(create_private_file(path)?);
            write(&mut file).and_then(|()| file.flush())
        }
        None => {
            let mut stdout = io::BufWriter::new(io::stdout().lock());
            write(&mut stdout).and_then(|()| stdout.flush())
        }
    };
    match written {
        Err(err) if !is_closed_pipe(&err) => Err(err).context("writing the report"),
        _ => Ok(()),
    }
}

/// The outcome of a scan: an error beats findings, which beat clean.
pub fn outcome(errors: bool, findings: bool) -> crate::Outcome {
    if errors {
        crate::Outcome::Error
    } else if findings {
        crate::Outcome::Findings
    } else {
        crate::Outcome::Clean
    }
}

/// Where and what, on one line: `[COMMIT ]PATH:LINE:COLUMN: RULE:
/// DESCRIPTION`, without line and column for a file-name finding; a message
/// or standard input stands where there is no path.
pub fn heading(finding: &Finding) -> String {
    let mut place = match &finding.path {
        Some(path) => path.to_string_lossy().into_owned(),
        None if finding.source == SourceKind::Message => String::from("commit message"),
        None => String::from("<stdin>"),
    };
    if let Some(commit) = &finding.commit {
        place = format!("{} {place}", &commit.oid[..commit.oid.len().min(12)]);
    }
    if finding.is_path_finding() {
        format!("{place}: {}: {}", finding.rule_id, finding.description)
    } else {
        format!("{place}:{}:{}: {}: {}", finding.line, finding.column, finding.rule_id, finding.description)
    }
}

/// The secret as a report shows it.
pub fn shown_secret(finding: &Finding, show_secrets: bool) -> String {
    if show_secrets { String::from_utf8_lossy(&finding.secret).into_owned() } else { finding.redacted() }
}

/// Writes one line to standard output, for what a command tells its
/// user. A closed pipe (`guard status | head -1`) is not an error: the
/// line is dropped, as is every later one; any other write error is said
/// on standard error.
pub fn say(line: std::fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(err) = writeln!(stdout, "{line}").and_then(|()| stdout.flush())
        && !is_closed_pipe(&err)
    {
        eprintln!("guard: cannot write to standard output: {err}");
    }
}

/// Whether `err` is a closed pipe on output (`guard scan | head`), which is
/// not an error.
pub fn is_closed_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

/// Creates (or truncates) a report file readable and writable by its owner
/// only, whatever the umask and whatever its mode was.
///
/// # Errors
/// The file cannot be created or its mode set.
pub fn create_private_file(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("making {} private", path.display()))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path).with_context(|| format!("creating {}", path.display()))
    }
}
