//! The checks every assistant host shares. A host's adapter turns its
//! payload into [`Action`]s (what the assistant is about to do); each is
//! judged here the same way whoever asks: a prompt or a tool's input by the
//! secrets in it, a read or a search by what it would show, a write by the
//! secrets in its new content and the gate files it touches, a shell
//! command by what it prints and whether it switches the git gate off, a
//! list of files by whether it is aimed at secret files.

use std::path::Path;

use anyhow::Result;

use super::exposure::{Exposed, Judge, LineFilter};
use super::gate_bypass::{self, GatePaths};
use super::shell_reads::{self, Exposure, Files, Lines, Walk};
use crate::pipeline::{Origin, Results, Scratch};
use crate::scan::finding::SourceKind;

/// What an assistant is about to do, whichever host asks.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send the user's prompt to the model.
    Prompt(String),
    /// Show a file (with its content when the host hands it over).
    Read {
        /// The file, as the host names it.
        path: String,
        /// Its content, when the host read it already.
        content: Option<String>,
    },
    /// Search files for lines matching a pattern, ripgrep's way.
    Search(Search),
    /// List the files a glob matches.
    List {
        /// The glob.
        pattern: String,
    },
    /// Write `content` into a file (a whole file or an edit's new text).
    Write {
        /// The file written.
        path: String,
        /// The text that goes into it.
        content: String,
    },
    /// Run a shell command.
    Shell(String),
    /// Hand text to a tool that sends it elsewhere (a web fetch, an MCP
    /// server): every string of its input.
    Send {
        /// How the block message names it ("this web fetch").
        what: String,
        /// The input's strings, one per line.
        text: String,
    },
    /// A tool's output, about to reach the model: masked, not blocked.
    Output {
        /// The output's strings, one per line.
        text: String,
    },
}

/// A search tool's input (Claude Code's Grep).
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The regular expression (ripgrep's syntax).
    pub pattern: String,
    /// A file or a directory to search; the working directory when `None`.
    pub path: Option<String>,
    /// Globs that choose the files (`--glob`).
    pub glob: Option<String>,
    /// A ripgrep file type (`--type`).
    pub file_type: Option<String>,
    /// `-i`.
    pub ignore_case: bool,
    /// Context lines or multi-line matching: any line may be shown.
    pub every_line: bool,
}

impl Action {
    /// How the block message names it: "this prompt", "Read of .env".
    pub fn describe(&self) -> String {
        match self {
            Action::Prompt(_) => "this prompt".to_string(),
            Action::Read { path, .. } => format!("Read of {path}"),
            Action::Search(search) => match &search.path {
                Some(path) => format!("search in {path}"),
                None => "this search".to_string(),
            },
            Action::List { pattern } => format!("listing {pattern}"),
            Action::Write { path, .. } => format!("write to {path}"),
            Action::Shell(_) => "this shell command".to_string(),
            Action::Send { what, .. } => what.clone(),
            Action::Output { .. } => "this tool output".to_string(),
        }
    }
}

/// Judges every action of one event: what they expose, and how the
/// actions that expose something are named.
///
/// # Errors
/// A file that exists but cannot be read.
pub fn check_all(judge: &Judge<'_>, gate: &GatePaths, actions: &[Action]) -> Result<(Exposed, Vec<String>)> {
    let mut found = Exposed::default();
    let mut named = Vec::new();
    for action in actions {
        let mut exposed = check(judge, gate, action)?;
        if !exposed.findings.is_empty() || !exposed.reasons.is_empty() {
            named.push(action.describe());
        }
        found.findings.append(&mut exposed.findings);
        found.reasons.append(&mut exposed.reasons);
    }
    Ok((found, named))
}

/// Judges `action` for an event whose working directory is `judge.cwd`.
///
/// # Errors
/// A file that exists but cannot be read.
pub fn check(judge: &Judge<'_>, gate: &GatePaths, action: &Action) -> Result<Exposed> {
    let mut out = Exposed::default();
    match action {
        Action::Prompt(text) | Action::Send { text, .. } | Action::Output { text } => {
            out.findings = scan_text(judge, text);
        }
        Action::Read { path, content } => {
            let path = Path::new(path);
            match content {
                Some(content) => judge.content(path, Some(content.as_bytes()), &LineFilter::ALL, &mut out),
                None => judge.file(path, &LineFilter::ALL, &mut out)?,
            }
        }
        Action::Search(search) => judge.exposure(&search_exposure(judge.cwd, search), &mut out)?,
        Action::List { pattern } => {
            if aims_at_secret_files(pattern) {
                out.reasons.push(format!(
                    "the pattern {pattern} looks for files that hold secrets; work with their names in .gitignore or a .env.example"
                ));
            }
        }
        Action::Write { path, content } => {
            let file = Path::new(path);
            let shown = file.strip_prefix(judge.cwd).unwrap_or(file);
            let mut results = Results::default();
            let origin = Origin::file(SourceKind::File, shown);
            judge.pipeline.check_content(
                content.as_bytes(),
                origin,
                None,
                &mut Scratch::default(),
                &mut results,
            );
            out.findings = results.findings;
            out.reasons.extend(gate.guards_content(&judge.cwd.join(file)));
        }
        Action::Shell(command) => {
            out.findings = scan_text(judge, command);
            for exposure in shell_reads::exposures(command) {
                judge.exposure(&exposure, &mut out)?;
            }
            out.reasons.extend(gate_bypass::reasons(command, judge.cwd, gate));
        }
    }
    Ok(out)
}

/// The secrets in `text`, which came from the assistant's side.
fn scan_text(judge: &Judge<'_>, text: &str) -> Vec<crate::scan::finding::Finding> {
    let mut results = Results::default();
    let origin = Origin::new(SourceKind::Stdin);
    judge.pipeline.check_content(text.as_bytes(), origin, None, &mut Scratch::default(), &mut results);
    results.findings
}

/// A search tool as ripgrep runs it: one file, or a directory walked with
/// hidden files included, ignore files honoured and the glob overriding
/// them.
fn search_exposure(cwd: &Path, search: &Search) -> Exposure {
    let lines = if search.every_line {
        Lines::All
    } else {
        Lines::Matching { patterns: vec![search.pattern.clone()], ignore_case: search.ignore_case }
    };
    let files = match &search.path {
        Some(path) if cwd.join(path).is_file() => Files::Named(vec![path.clone()]),
        path => Files::Walk(Walk {
            roots: path.iter().cloned().collect(),
            ripgrep: true,
            hidden: true,
            globs: search.glob.iter().flat_map(|g| split_glob_list(g)).collect(),
            types: search.file_type.iter().cloned().collect(),
            ..Walk::default()
        }),
    };
    Exposure::Files { files, lines }
}

/// `*.{ts,tsx}` stays one glob; `*.ts *.tsx` or `*.ts,*.tsx` are two.
fn split_glob_list(globs: &str) -> Vec<String> {
    if globs.contains('{') {
        return vec![globs.to_string()];
    }
    globs.split([' ', ',']).filter(|g| !g.is_empty()).map(str::to_string).collect()
}

/// Paths a glob aimed at secret files matches, and ordinary paths it must
/// not match to count as aimed at them.
const ORDINARY_PATHS: &[&str] =
    &["README.md", "src/main.rs", "src/app/config.py", "package.json", "docs/index.html", "config/app.yaml"];

/// Whether a glob picks out secret files: it matches a sensitive path
/// (`.env`, `config/.env.prod`, `deploy/key.pem`) and no ordinary one.
pub fn aims_at_secret_files(pattern: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    let Ok(glob) = globset::GlobBuilder::new(pattern).literal_separator(true).build() else { return false };
    let glob = glob.compile_matcher();
    // A pattern without a directory matches names anywhere below.
    let nested = format!("**/{pattern}");
    let deep =
        globset::GlobBuilder::new(&nested).literal_separator(true).build().ok().map(|g| g.compile_matcher());
    let matches = |path: &str| glob.is_match(path) || deep.as_ref().is_some_and(|d| d.is_match(path));
    let sensitive = super::sensitive::DEFAULT_PATTERNS.iter().flat_map(|p| super::sensitive::sample_paths(p));
    sensitive.into_iter().any(|path| matches(&path)) && !ORDINARY_PATHS.iter().any(|path| matches(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_aimed_at_secret_files() {
        for pattern in ["**/.env*", ".env", "**/*.pem", "config/.env.*", "**/id_rsa", "secrets/**"] {
            assert!(aims_at_secret_files(pattern), "{pattern}");
        }
        for pattern in ["**/*", "*", "**/*.rs", "src/**/*.ts", "**/*.{yml,yaml}", "*.md"] {
            assert!(!aims_at_secret_files(pattern), "{pattern}");
        }
    }
}
