//! The assistants' local transcripts, where they are plain files: Claude
//! Code's `~/.claude/projects/PROJECT/SESSION.jsonl`, Codex's
//! `~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`, Gemini CLI's
//! `~/.gemini/tmp/PROJECT/chats/*.json` and `logs.json`, or files and
//! directories the user names. Each JSON record's strings go to the
//! pipeline with what the record says of its session, project and date.
//! Read only; nothing is written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::{Finding, SourceKind};

/// Where an assistant keeps its transcripts, under the home directory.
#[derive(Debug, Clone, Copy)]
pub struct Store {
    /// The assistant.
    pub assistant: &'static str,
    /// The directory, relative to the home directory.
    pub dir: &'static str,
    /// How its files end.
    pub extensions: &'static [&'static str],
}

/// Every store guard knows.
pub const STORES: &[Store] = &[
    Store { assistant: "Claude Code", dir: ".claude/projects", extensions: &["jsonl"] },
    Store { assistant: "Codex", dir: ".codex/sessions", extensions: &["jsonl"] },
    Store { assistant: "Gemini CLI", dir: ".gemini/tmp", extensions: &["json", "jsonl"] },
];

/// A secret found in a transcript, with what the transcript says of it.
#[derive(Debug, Clone)]
pub struct Exposed {
    /// The finding (its path is the transcript file).
    pub finding: Finding,
    /// The assistant whose transcript it is.
    pub assistant: String,
    /// The project the session worked in, when the transcript says.
    pub project: Option<String>,
    /// The session's id (the file's stem when the transcript does not say).
    pub session: String,
    /// When the record was written, as the transcript gives it.
    pub date: Option<String>,
    /// The transcript's line (JSON Lines) the secret is first on.
    pub line: usize,
    /// How many more times the same secret is in this transcript.
    pub repeats: usize,
}

/// What the scan found, and the files it could not read.
#[derive(Debug, Default)]
pub struct Found {
    /// The secrets, once per transcript.
    pub exposed: Vec<Exposed>,
    /// Transcript files read.
    pub files: usize,
    /// Files that could not be read, with why.
    pub errors: Vec<String>,
}

/// The transcript files of every known store under `home`, and the
/// compressed ones guard cannot read (newer Codex sessions are `.zst`).
pub fn store_files(home: &Path) -> (Vec<(&'static str, PathBuf)>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut compressed = Vec::new();
    for store in STORES {
        for entry in ignore::WalkBuilder::new(home.join(store.dir)).standard_filters(false).build().flatten()
        {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            if path.extension().is_some_and(|e| store.extensions.iter().any(|x| e == *x)) {
                files.push((store.assistant, path.to_path_buf()));
            } else if path.extension().is_some_and(|e| e == "zst") {
                compressed.push(path.to_path_buf());
            }
        }
    }
    files.sort();
    (files, compressed)
}

/// What a record (or its file) says of the session.
#[derive(Debug, Clone, Default)]
struct Context {
    session: Option<String>,
    project: Option<String>,
    date: Option<String>,
}

impl Context {
    /// `self` updated with what `record`'s own fields say.
    fn with(&self, record: &serde_json::Map<String, Value>) -> Context {
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| record.get(*k).and_then(Value::as_str).map(str::to_string))
        };
        Context {
            session: text(&["sessionId", "session_id"]).or_else(|| self.session.clone()),
            project: text(&["cwd", "projectPath", "project"]).or_else(|| self.project.clone()),
            date: text(&["timestamp", "startTime", "created_at", "lastUpdated"])
                .or_else(|| self.date.clone()),
        }
    }
}

/// Scans one transcript file of `assistant`.
pub fn scan_file(pipeline: &Pipeline, assistant: &str, path: &Path, out: &mut Found) {
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(err) => return out.errors.push(format!("{}: {err}", path.display())),
    };
    out.files += 1;
    let text = String::from_utf8_lossy(&data);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file_context = Context::default();
    let fallback_project = project_from_dir(assistant, path);
    let mut found: Vec<Exposed> = Vec::new();
    let record = |line: usize, value: &Value, context: &Context, found: &mut Vec<Exposed>| {
        let mut strings = Vec::new();
        walk(value, context, &mut strings);
        for (string, context) in strings {
            for finding in scan_string(pipeline, path, string) {
                if let Some(seen) = found.iter_mut().find(|e| e.finding.fingerprint == finding.fingerprint) {
                    seen.repeats += 1;
                    continue;
                }
                found.push(Exposed {
                    finding,
                    assistant: assistant.to_string(),
                    project: context.project.clone().or_else(|| fallback_project.clone()),
                    session: context.session.clone().unwrap_or_else(|| stem.clone()),
                    date: context.date.clone(),
                    line,
                    repeats: 0,
                });
            }
        }
    };
    if let Ok(document) = serde_json::from_str::<Value>(&text) {
        record(1, &document, &file_context, &mut found);
    } else {
        for (index, line) in text.lines().enumerate() {
            let Ok(value) = serde_json::from_str::<Value>(line) else {
                // Plain text (a chat history in Markdown): scanned as it is.
                record(index + 1, &Value::String(line.to_string()), &file_context, &mut found);
                continue;
            };
            if let Value::Object(fields) = &value {
                let mut context = file_context.with(fields);
                if let Some(payload) = fields.get("payload").and_then(Value::as_object) {
                    context = context.with(payload);
                    if fields.get("type").and_then(Value::as_str) == Some("session_meta") {
                        let id = payload.get("id").and_then(Value::as_str).map(str::to_string);
                        context.session = id.or(context.session);
                    }
                }
                // What one record says of the session holds for those after it.
                file_context.session = file_context.session.take().or(context.session);
                file_context.project = file_context.project.take().or(context.project);
            }
            record(index + 1, &value, &file_context, &mut found);
        }
    }
    out.exposed.append(&mut found);
}

/// Claude Code names a project's directory after its path, `/` as `-`.
fn project_from_dir(assistant: &str, path: &Path) -> Option<String> {
    if assistant != "Claude Code" {
        return None;
    }
    let dir = path.parent()?.file_name()?.to_string_lossy().into_owned();
    dir.starts_with('-').then(|| dir.replace('-', "/"))
}

/// Every string in `value` with the context of the objects around it.
fn walk<'a>(value: &'a Value, context: &Context, out: &mut Vec<(&'a str, Context)>) {
    match value {
        Value::String(text) if text.len() >= 8 => out.push((text, context.clone())),
        Value::Array(items) => items.iter().for_each(|item| walk(item, context, out)),
        Value::Object(fields) => {
            let context = context.with(fields);
            fields.values().for_each(|item| walk(item, &context, out));
        }
        _ => {}
    }
}

fn scan_string(pipeline: &Pipeline, path: &Path, text: &str) -> Vec<Finding> {
    let mut results = Results::default();
    let origin = Origin::file(SourceKind::File, path);
    pipeline.check_content(text.as_bytes(), origin, None, &mut Scratch::default(), &mut results);
    results.findings
}
