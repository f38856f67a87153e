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
pub mod names;
pub mod replace_text;
pub mod transcripts;

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

/// What a scan did not look at or did not report, which its report must
/// say: content over the size limit, blobs a partial clone never fetched,
/// how many errors (said on standard error as they happened) left it
/// incomplete, and the findings accepted, by what.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Content skipped for its size.
    pub too_large: Vec<TooLarge>,
    /// The size limit, in bytes.
    pub limit: u64,
    /// Blobs not in this partial clone (guard never fetches).
    pub not_local: Vec<NotLocal>,
    /// The remote a partial clone fetches from, for the hint.
    pub promisor: Option<String>,
    /// How many things could not be read.
    pub errors: usize,
    /// What content without a path is (`<stdin>`, `a commit message`).
    pub unnamed: &'static str,
    /// Findings accepted, counted by what accepted them.
    pub accepted: crate::policy::acceptance::Accepted,
}

/// Content skipped for its size.
#[derive(Debug, Clone)]
pub struct TooLarge {
    /// The file, if known (else standard input or a message).
    pub path: Option<std::path::PathBuf>,
    /// The blob, when it was read from git.
    pub blob: Option<String>,
    /// Its size in bytes.
    pub size: u64,
}

/// A blob a partial clone never fetched, so not read.
#[derive(Debug, Clone)]
pub struct NotLocal {
    /// A path that held it.
    pub path: Option<std::path::PathBuf>,
    /// The blob.
    pub blob: String,
}

impl Coverage {
    /// Whether everything was looked at.
    pub fn is_complete(&self) -> bool {
        self.too_large.is_empty() && self.not_local.is_empty() && self.errors == 0
    }

    /// Whether content was skipped (for `--fail-on-skip`).
    pub fn skipped_content(&self) -> bool {
        !self.too_large.is_empty() || !self.not_local.is_empty()
    }

    /// What was not read, as the closing line says it (`was`: with a
    /// verb, "1 item was over the size limit not read").
    fn not_read(&self, was: bool) -> String {
        let mut parts = Vec::new();
        let count = self.too_large.len();
        if count > 0 {
            let items =
                if was { plural(count, "item was", "items were") } else { plural(count, "item", "items") };
            parts.push(format!("{count} {items} over the size limit not read"));
        }
        let count = self.not_local.len();
        if count > 0 {
            let blobs =
                if was { plural(count, "blob was", "blobs were") } else { plural(count, "blob", "blobs") };
            parts.push(format!("{count} {blobs} not read, not being in this partial clone"));
        }
        parts.join(" and ")
    }

    /// What to do about what was not read.
    fn remedy(&self) -> &'static str {
        match (self.too_large.is_empty(), self.not_local.is_empty()) {
            (false, true) => "raise --max-file-size, or --fail-on-skip to fail",
            (true, false) => "fetch them as said above, or --fail-on-skip to fail",
            _ => "see above; --fail-on-skip to fail",
        }
    }

    /// The closing line when no finding was made: never "no secrets found"
    /// about what was not read. `scope` is what was scanned ("", " in the
    /// history").
    pub fn summary_without_findings(&self, scope: &str) -> String {
        match self.errors {
            0 if !self.skipped_content() => format!("guard: no secrets found{scope}"),
            0 => format!(
                "guard: no secrets found{scope} in what was read, but {} ({})",
                self.not_read(true),
                self.remedy()
            ),
            errors => format!(
                "guard: the scan is incomplete: {errors} {} (above); nothing is known of what was not read",
                plural(errors, "error", "errors")
            ),
        }
    }

    /// What follows the count of findings when the scan was incomplete.
    pub fn summary_suffix(&self) -> String {
        match self.errors {
            0 if !self.skipped_content() => String::new(),
            0 => format!("; {}", self.not_read(false)),
            errors => {
                format!("; the scan is incomplete: {errors} {} (above)", plural(errors, "error", "errors"))
            }
        }
    }

    /// How to fetch what a partial clone lacks, for reports and errors.
    pub fn partial_clone_hint(&self) -> String {
        partial_clone_hint(self.promisor.as_deref().unwrap_or("origin"))
    }
}

/// How to fetch what the partial clone whose promisor is `remote` lacks.
pub fn partial_clone_hint(remote: &str) -> String {
    format!(
        "this is a partial clone: git fetches such blobs from `{remote}` on demand, which guard never lets it \
         do; `git config --unset remote.{remote}.partialclonefilter && git fetch --refetch {remote}` fetches \
         every blob (`git cat-file -e BLOB` one), else only what is local is scanned"
    )
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// Writes `findings` to `out` in the chosen format, with what the scan did
/// not cover.
///
/// # Errors
/// A write error (a closed pipe included; see [`is_closed_pipe`]).
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    coverage: &Coverage,
    options: Options,
) -> io::Result<()> {
    match options.format {
        Format::Human => human::write(out, findings, coverage, options.show_secrets),
        Format::Json => json::write(out, findings, coverage, options.show_secrets),
        Format::Jsonl => json::write_lines(out, findings, coverage, options.show_secrets),
    }?;
    out.flush()
}

/// The lines that list what was not read (for its size, or not in a
/// partial clone), for the human reports.
///
/// # Errors
/// A write error.
pub fn write_not_read(out: &mut dyn Write, coverage: &Coverage, show_secrets: bool) -> io::Result<()> {
    let place = |path: Option<&Path>| {
        path.map_or_else(|| coverage.unnamed.to_owned(), |path| shown_path(path, show_secrets))
    };
    for skip in &coverage.too_large {
        let blob = skip.blob.as_ref().map(|oid| format!("blob {oid} at ")).unwrap_or_default();
        writeln!(
            out,
            "guard: not read: {blob}{}: {} bytes is over the size limit of {} bytes (--max-file-size)",
            place(skip.path.as_deref()),
            skip.size,
            coverage.limit
        )?;
    }
    for skip in &coverage.not_local {
        writeln!(
            out,
            "guard: not read: blob {} at {}: not in this partial clone",
            skip.blob,
            place(skip.path.as_deref())
        )?;
    }
    if !coverage.not_local.is_empty() {
        writeln!(out, "guard: {}", coverage.partial_clone_hint())?;
    }
    Ok(())
}

/// A path or ref name as human reports print it: any secret in it masked
/// unless `show_secrets`, any control character escaped.
pub fn shown_path(path: &Path, show_secrets: bool) -> String {
    names::shown_name(&path.to_string_lossy(), show_secrets)
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
/// DESCRIPTION`, without line and column for a name finding (a forbidden
/// file, a secret in a file's or ref's name); a message or standard input
/// stands where there is no path. Names are masked unless `show_secrets`.
pub fn heading(finding: &Finding, show_secrets: bool) -> String {
    let mut place = match &finding.path {
        Some(path) if finding.source == SourceKind::RefName => {
            format!("ref {}", shown_path(path, show_secrets))
        }
        Some(path) => shown_path(path, show_secrets),
        None if finding.source == SourceKind::Message => String::from("commit message"),
        None => String::from("<stdin>"),
    };
    if let Some(commit) = &finding.commit {
        place = format!("{} {place}", &commit.oid[..commit.oid.len().min(12)]);
    }
    if finding.is_name_finding() {
        format!("{place}: {}: {}", finding.rule_id, finding.description)
    } else {
        format!("{place}:{}:{}: {}: {}", finding.line, finding.column, finding.rule_id, finding.description)
    }
}

/// The secret as a report shows it.
pub fn shown_secret(finding: &Finding, show_secrets: bool) -> String {
    if show_secrets { String::from_utf8_lossy(&finding.secret).into_owned() } else { finding.redacted() }
}

/// Writes `guard: error: TEXT` to standard error, with every secret the
/// rules find in it masked (an error can quote a file or ref name).
pub fn say_error(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "guard: error: {}", names::masked_text(text));
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
