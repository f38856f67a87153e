//! Claude Code's hook events judged: a prompt that holds a secret, a `Read`
//! (or a `Grep` in one file) of a secret file (by name, through the path
//! policy, or by content), and a `Bash` command that prints a secret file or
//! carries a secret inline.
//! The event is parsed JSON; the decision is data. No output here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::report::assistant::Block;
use crate::scan::finding::{Finding, SourceKind};

/// The event's working directory (`cwd`).
///
/// # Errors
/// An event without a `cwd` string.
pub fn event_cwd(event: &Value) -> Result<PathBuf> {
    Ok(PathBuf::from(str_field(event, "cwd")?))
}

/// Judges one event; `None` allows it. Events and tools guard does not
/// know are allowed.
///
/// # Errors
/// A malformed event, or a file that exists but cannot be read.
pub fn judge(event: &Value, pipeline: &Pipeline) -> Result<Option<Block>> {
    let cwd = event_cwd(event)?;
    let findings = match str_field(event, "hook_event_name")? {
        "UserPromptSubmit" => {
            let prompt = str_field(event, "prompt")?;
            return Ok(block("this prompt", scan_text(pipeline, prompt)));
        }
        "PreToolUse" => match str_field(event, "tool_name")? {
            "Read" => {
                let file = tool_input_str(event, "file_path")?;
                let what = format!("Read of {file}");
                return Ok(block(&what, check_file(pipeline, &cwd, Path::new(file))?));
            }
            "Grep" => {
                // Grep searches a directory (what ripgrep skips is its own
                // business) or one file, whose matching lines it shows.
                let Some(Value::String(target)) = event.get("tool_input").and_then(|input| input.get("path"))
                else {
                    return Ok(None);
                };
                let target = Path::new(target);
                if !cwd.join(target).is_file() {
                    return Ok(None);
                }
                let what = format!("Grep in {}", target.display());
                return Ok(block(&what, check_file(pipeline, &cwd, target)?));
            }
            "Bash" => {
                let command = tool_input_str(event, "command")?;
                let mut findings = scan_text(pipeline, command);
                for written in super::shell_reads::printed_files(command) {
                    for file in expand_glob(&cwd, &written) {
                        findings.extend(check_file(pipeline, &cwd, &file)?);
                    }
                }
                findings
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    Ok(block("this Bash command", findings))
}

fn block(what: &str, findings: Vec<Finding>) -> Option<Block> {
    (!findings.is_empty()).then(|| Block { what: what.to_string(), findings })
}

fn str_field<'a>(event: &'a Value, key: &str) -> Result<&'a str> {
    match event.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => bail!("the hook event's {key:?} is not a string"),
        None => bail!("the hook event has no {key:?}"),
    }
}

fn tool_input_str<'a>(event: &'a Value, key: &str) -> Result<&'a str> {
    let input = event.get("tool_input").context("the PreToolUse event has no \"tool_input\"")?;
    str_field(input, key).context("in \"tool_input\"")
}

/// The secrets in `text`, which came from the assistant's side.
fn scan_text(pipeline: &Pipeline, text: &str) -> Vec<Finding> {
    let mut results = Results::default();
    let origin = Origin::new(SourceKind::Stdin);
    pipeline.check_content(text.as_bytes(), origin, None, &mut Scratch::default(), &mut results);
    results.findings
}

/// The path-policy finding for `file` and the secrets in it. A file that
/// does not exist, or a directory, has no content to judge.
fn check_file(pipeline: &Pipeline, cwd: &Path, file: &Path) -> Result<Vec<Finding>> {
    let absolute = cwd.join(file);
    let shown = absolute.strip_prefix(cwd).unwrap_or(&absolute);
    let origin = Origin::file(SourceKind::File, shown);
    let mut results = Results::default();
    let mut scratch = Scratch::default();
    pipeline.check_path(origin, &mut scratch, &mut results);
    let Ok(meta) = std::fs::metadata(&absolute) else { return Ok(results.findings) };
    if !meta.is_file() || !pipeline.admits_size(meta.len(), origin, &mut results) {
        return Ok(results.findings);
    }
    let data = std::fs::read(&absolute).with_context(|| format!("reading {}", absolute.display()))?;
    pipeline.check_content(&data, origin, None, &mut scratch, &mut results);
    Ok(results.findings)
}

/// What the shell would make of `word`: the files a glob in its last
/// component matches in `cwd` (the word itself when none matches or it has
/// no glob).
fn expand_glob(cwd: &Path, word: &str) -> Vec<PathBuf> {
    let (dir, pattern) = match word.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", word),
    };
    if !pattern.contains(['*', '?', '[']) {
        return vec![PathBuf::from(word)];
    }
    let Ok(glob) = globset::GlobBuilder::new(pattern).literal_separator(true).build() else {
        return vec![PathBuf::from(word)];
    };
    let matcher = glob.compile_matcher();
    let Ok(entries) = std::fs::read_dir(cwd.join(dir)) else { return vec![PathBuf::from(word)] };
    let mut matched: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.file_name())
        .filter(|name| matcher.is_match(name))
        .filter(|name| pattern.starts_with('.') || !name.to_string_lossy().starts_with('.'))
        .map(|name| Path::new(dir).join(name))
        .collect();
    matched.sort();
    if matched.is_empty() { vec![PathBuf::from(word)] } else { matched }
}
