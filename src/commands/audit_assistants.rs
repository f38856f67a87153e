//! `guard audit`'s rows for the AI assistants present: each assistant
//! detected by its files in the project or the user's home; whether the
//! controls it enforces for its agent's reads cover the sensitive paths
//! (each judged in its own pattern language, the project's and the user's
//! layers together); control files it does not enforce, said so and still
//! checked; for Claude Code, guard's hooks (current, failing closed) and
//! settings keys it never reads. `--fix` appends what is missing.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ignore::gitignore::Gitignore;
use serde_json::Value;

use crate::assistant::claude_settings::{self, EMPTY};
use crate::assistant::claude_version::OnFailure;
use crate::assistant::controls::{ASSISTANTS, Assistant, Control, Language};
use crate::assistant::hosts::Host;
use crate::assistant::json_text;
use crate::assistant::sensitive::{self, ClaudeBase};
use crate::report::audit::{Check, Status};

/// The comment above the lines `--fix` appends to an ignore file.
const FIX_COMMENT: &str = "# Files that hold secrets (added by guard audit --fix)";

/// Claude Code's settings file, relative to a project or the home directory.
const CLAUDE_SETTINGS: &str = ".claude/settings.json";

/// Where the audit looks.
pub struct Places<'a> {
    /// The project's root.
    pub root: &'a Path,
    /// The user's home directory, when known.
    pub home: Option<&'a Path>,
    /// The sensitive patterns (gitignore syntax).
    pub patterns: &'a [String],
}

impl Places<'_> {
    /// The assistants in use here, with where each was seen.
    fn detected(&self) -> Vec<(&'static Assistant, Vec<String>)> {
        ASSISTANTS
            .iter()
            .filter_map(|assistant| {
                let mut seen: Vec<String> = assistant
                    .project_signs
                    .iter()
                    .filter(|sign| self.root.join(sign).exists())
                    .map(|sign| (*sign).to_string())
                    .collect();
                if let Some(home) = self.home {
                    seen.extend(
                        assistant
                            .user_signs
                            .iter()
                            .filter(|s| home.join(s).exists())
                            .map(|s| format!("~/{s}")),
                    );
                }
                (!seen.is_empty()).then_some((assistant, seen))
            })
            .collect()
    }

    /// Claude Code's settings files with the base their `/` rules start from.
    fn claude_layers(&self) -> Vec<(PathBuf, PathBuf)> {
        let mut layers = vec![
            (self.root.join(CLAUDE_SETTINGS), self.root.to_path_buf()),
            (self.root.join(".claude/settings.local.json"), self.root.to_path_buf()),
        ];
        if let Some(home) = self.home {
            layers.push((home.join(CLAUDE_SETTINGS), home.to_path_buf()));
        }
        layers
    }
}

/// One row per assistant present (or one saying none is), and rows for the
/// control files they do not enforce.
///
/// # Errors
/// A control file that cannot be read.
pub fn checks(places: &Places<'_>) -> Result<Vec<Check>> {
    let detected = places.detected();
    let mut checks = Vec::new();
    if detected.is_empty() {
        checks.push(Check::new(
            "assistants",
            Status::Warn,
            "no AI assistant's files here or in your home: one used here reads every file (guard install --claude, or add its ignore file)",
        ));
    }
    for (assistant, seen) in &detected {
        checks.push(coverage_row(places, assistant, seen)?);
        for control in assistant.controls.iter().filter(|c| !c.enforced.stops_reads()) {
            checks.extend(unenforced_row(places.root, assistant, control, places.patterns)?);
        }
        if assistant.name == "Claude Code" {
            checks.push(claude_hooks_row(places)?);
            checks.extend(claude_unread_keys_row(places.root)?);
        } else if let Some(host) = Host::ALL.into_iter().find(|host| host.title() == assistant.name) {
            checks.push(super::audit_host_hooks::row(places.root, places.home, host)?);
        }
    }
    Ok(checks)
}

/// What one control's file excludes, as gitignore patterns; `None` when the
/// file is missing. The bool: it has Claude rules relative to the working
/// directory, which were left out.
fn control_patterns(root: &Path, control: &Control) -> Result<Option<(Vec<String>, bool)>> {
    let Some(text) = read_optional(&root.join(control.file))? else { return Ok(None) };
    Ok(Some(match control.language {
        Language::IgnoreFile => (text.lines().map(str::to_string).collect(), false),
        Language::ClaudeDeny => {
            let rules =
                claude_settings::deny_rules(&text).with_context(|| format!("reading {}", control.file))?;
            // In settings.local.json a leading `/` is the directory Claude started in.
            let settings_base = (!control.file.ends_with("settings.local.json")).then_some(root);
            sensitive::claude_read_patterns(&rules, ClaudeBase { root, settings_base, home: None })
        }
        Language::ZedGlobs => {
            let value: Value = serde_json::from_str(&json_text::without_comments(&text))
                .with_context(|| format!("reading {}", control.file))?;
            let globs: Vec<String> = ["private_files", "file_scan_exclusions"]
                .iter()
                .filter_map(|key| value.get(key).and_then(Value::as_array))
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (sensitive::zed_patterns(&globs), false)
        }
        Language::OpencodeRead => {
            let value: Value = serde_json::from_str(&json_text::without_comments(&text))
                .with_context(|| format!("reading {}", control.file))?;
            let rules: Vec<(String, String)> = match value.pointer("/permission/read") {
                Some(Value::String(action)) => vec![("*".to_string(), action.clone())],
                Some(Value::Object(map)) => map
                    .iter()
                    .filter_map(|(wildcard, action)| Some((wildcard.clone(), action.as_str()?.to_string())))
                    .collect(),
                _ => Vec::new(),
            };
            (sensitive::opencode_patterns(&rules), false)
        }
    }))
}

/// The enforced coverage of `assistant`: the gitignore patterns of every
/// control it enforces (the user's Claude settings included), which files
/// supplied them, and whether cwd-relative Claude rules were left out.
fn enforced_patterns(places: &Places<'_>, assistant: &Assistant) -> Result<(Vec<String>, Vec<String>, bool)> {
    let mut patterns = Vec::new();
    let mut files = Vec::new();
    let mut relative = false;
    for control in assistant.controls.iter().filter(|c| c.enforced.stops_reads()) {
        if let Some((found, cwd_relative)) = control_patterns(places.root, control)? {
            patterns.extend(found);
            files.push(control.file.to_string());
            relative |= cwd_relative;
        }
    }
    if assistant.name == "Claude Code"
        && let Some(home) = places.home
        && let Some(text) = read_optional(&home.join(CLAUDE_SETTINGS))?
        && let Ok(rules) = claude_settings::deny_rules(&text)
    {
        let dot_claude = home.join(".claude");
        let base = ClaudeBase { root: places.root, settings_base: Some(&dot_claude), home: Some(home) };
        let (found, cwd_relative) = sensitive::claude_read_patterns(&rules, base);
        if !found.is_empty() {
            files.push(format!("~/{CLAUDE_SETTINGS}"));
        }
        patterns.extend(found);
        relative |= cwd_relative;
    }
    Ok((patterns, files, relative))
}

fn gaps<'a>(patterns: &[String], sensitive: &'a [String]) -> Result<Vec<&'a str>> {
    let matcher: Gitignore = sensitive::matcher(patterns.iter().map(String::as_str))?;
    Ok(sensitive::uncovered(sensitive, &matcher))
}

fn coverage_row(places: &Places<'_>, assistant: &Assistant, seen: &[String]) -> Result<Check> {
    let name = assistant.name;
    let note = if assistant.note.is_empty() { String::new() } else { format!("; {}", assistant.note) };
    let enforcing: Vec<&Control> = assistant.controls.iter().filter(|c| c.enforced.stops_reads()).collect();
    let Some(first) = enforcing.first() else {
        return Ok(Check::new(
            name,
            Status::Warn,
            format!("seen in {}: {}", seen.join(", "), assistant.note),
        ));
    };
    let (patterns, files, relative) = match enforced_patterns(places, assistant) {
        Ok(found) => found,
        Err(err) => {
            return Ok(Check::new(
                name,
                Status::Fail,
                crate::report::names::masked_text(&format!("{err:#}")),
            ));
        }
    };
    let how = first.enforced.describe();
    let relative_note = if relative {
        "; Read(./…) rules cover the root only when Claude Code starts there, so they are not counted (write Read(/…))"
    } else {
        ""
    };
    Ok(match gaps(&patterns, places.patterns)? {
        _ if files.is_empty() => Check::new(
            name,
            Status::Fail,
            format!(
                "seen in {}, but there is no {}: it reads every file (guard audit --fix writes it){relative_note}{note}",
                seen.join(", "),
                enforcing.iter().map(|c| c.file).collect::<Vec<_>>().join(" or ")
            ),
        ),
        gaps if gaps.is_empty() => Check::new(
            name,
            Status::Pass,
            format!("{} keep it out of every sensitive path ({how}){note}", files.join(" and ")),
        ),
        gaps => Check::new(
            name,
            Status::Fail,
            format!(
                "can still read {} ({} checked; guard audit --fix adds them){relative_note}{note}",
                gaps.join(", "),
                files.join(", ")
            ),
        ),
    })
}

/// A control file present that the assistant does not enforce: said so,
/// with what it does enforce, and whether the file covers the patterns.
fn unenforced_row(
    root: &Path,
    assistant: &Assistant,
    control: &Control,
    patterns: &[String],
) -> Result<Option<Check>> {
    let Some((found, _)) = control_patterns(root, control)? else { return Ok(None) };
    let instead = control.instead.map(|i| format!("; it enforces {i}")).unwrap_or_default();
    let coverage = match gaps(&found, patterns) {
        Ok(gaps) if gaps.is_empty() => String::new(),
        Ok(gaps) => format!("; it also leaves out {} (guard audit --fix completes it)", gaps.join(", ")),
        Err(err) => format!("; {}", crate::report::names::masked_text(&format!("{err:#}"))),
    };
    Ok(Some(Check::new(
        control.file,
        Status::Warn,
        format!("advisory for {}: {}{instead}{coverage}", assistant.name, control.enforced.describe()),
    )))
}

/// guard's Claude Code hooks in any settings layer: present, current, and
/// blocking when they fail.
fn claude_hooks_row(places: &Places<'_>) -> Result<Check> {
    let name = "Claude Code hooks";
    let mut found: Vec<(String, claude_settings::Installed)> = Vec::new();
    for (file, _) in places.claude_layers() {
        let Some(text) = read_optional(&file)? else { continue };
        let Ok(installed) = claude_settings::installed(&text) else { continue };
        if !installed.events.is_empty() {
            found.push((file.display().to_string(), installed));
        }
    }
    if found.is_empty() {
        return Ok(Check::new(
            name,
            Status::Warn,
            "deny rules do not stop `cat .env` through Bash, a secret written into a file, nor a secret in a prompt; guard install --claude adds hooks that do",
        ));
    }
    let files = found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", ");
    if found.iter().any(|(_, i)| !i.current) {
        return Ok(Check::new(
            name,
            Status::Fail,
            format!(
                "guard's hooks in {files} are outdated (writes, globs, web fetches and MCP calls go unchecked): guard install --claude (--global for ~/.claude) updates them"
            ),
        ));
    }
    if found.iter().all(|(_, i)| i.fail_closed) {
        return Ok(Check::new(
            name,
            Status::Pass,
            format!("guard checks prompts and every tool call ({files}); a hook that fails blocks"),
        ));
    }
    let support = OnFailure::of_installed();
    Ok(match support.why_not() {
        None => Check::new(
            name,
            Status::Fail,
            format!(
                "guard's hooks in {files} lack \"onFailure\": \"block\", so a guard that cannot start or times out lets the step through: guard install --claude adds it"
            ),
        ),
        Some(why) => Check::new(
            name,
            Status::Warn,
            format!("guard's hooks in {files} have no \"onFailure\": \"block\": {why}"),
        ),
    })
}

/// Settings keys Claude Code never reads, named with the real setting.
fn claude_unread_keys_row(root: &Path) -> Result<Option<Check>> {
    let mut named = Vec::new();
    for file in [CLAUDE_SETTINGS, ".claude/settings.local.json"] {
        let Some(text) = read_optional(&root.join(file))? else { continue };
        let Ok(keys) = claude_settings::unread_keys(&text) else { continue };
        named.extend(keys.into_iter().map(|(key, _)| key));
    }
    if named.is_empty() {
        return Ok(None);
    }
    named.dedup();
    let real: Vec<String> = claude_settings::UNREAD_KEYS
        .iter()
        .filter(|(key, _)| named.contains(key))
        .map(|(key, real)| format!("{key} → {real}"))
        .collect();
    Ok(Some(Check::new(
        "Claude Code settings",
        Status::Warn,
        format!(
            "Claude Code does not read {}, so they protect nothing; what it enforces: {}",
            named.join(", "),
            real.join("; ")
        ),
    )))
}

/// Appends what is missing: the sensitive patterns to each detected
/// assistant's enforced ignore file (written when missing) and to the
/// unenforced ones present, `Read(…)` deny rules to Claude Code's project
/// settings (for the gaps and for `blockedPatterns`), and directories
/// outside the project named by `allowedDirectories` to
/// `permissions.additionalDirectories`. Says what it changed on stderr.
///
/// # Errors
/// A file that cannot be read or written.
pub fn fix(places: &Places<'_>) -> Result<()> {
    for (assistant, _) in places.detected() {
        let enforced_ignore = assistant
            .controls
            .iter()
            .find(|c| c.enforced.stops_reads() && c.language == Language::IgnoreFile);
        if assistant.name == "Claude Code" {
            fix_claude(places, assistant)?;
        } else if let Some(control) = enforced_ignore {
            let (patterns, _, _) = enforced_patterns(places, assistant)?;
            append_patterns(places.root, control.file, &gaps(&patterns, places.patterns)?, true)?;
        }
        for control in assistant
            .controls
            .iter()
            .filter(|c| !c.enforced.stops_reads() && c.language == Language::IgnoreFile)
        {
            let Some((found, _)) = control_patterns(places.root, control)? else { continue };
            append_patterns(places.root, control.file, &gaps(&found, places.patterns)?, false)?;
        }
    }
    Ok(())
}

fn fix_claude(places: &Places<'_>, assistant: &Assistant) -> Result<()> {
    let path = places.root.join(CLAUDE_SETTINGS);
    let existing = read_optional(&path)?;
    let mut text = existing.clone().unwrap_or_else(|| EMPTY.to_string());
    if serde_json::from_str::<Value>(&text).is_err() {
        return Ok(()); // the JSON row reports it
    }
    let (patterns, _, _) = enforced_patterns(places, assistant)?;
    let mut rules: Vec<String> =
        gaps(&patterns, places.patterns)?.iter().map(|p| sensitive::claude_deny_rule(p)).collect();
    let mut directories = Vec::new();
    for (key, values) in claude_settings::unread_keys(&text)? {
        match key {
            "blockedPatterns" => rules.extend(values.iter().map(|p| sensitive::claude_deny_rule(p))),
            "allowedDirectories" => directories.extend(values.into_iter().filter(|d| outside(places, d))),
            _ => {}
        }
    }
    let present = claude_settings::deny_rules(&text)?;
    let mut seen = std::collections::HashSet::new();
    rules.retain(|rule| !present.contains(rule) && seen.insert(rule.clone()));
    let present_dirs: Vec<String> = serde_json::from_str::<Value>(&text)?
        .pointer("/permissions/additionalDirectories")
        .and_then(Value::as_array)
        .map(|d| d.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    directories.retain(|d| !present_dirs.contains(d));
    if rules.is_empty() && directories.is_empty() {
        return Ok(());
    }
    text = claude_settings::add_permission_items(&text, "deny", &rules)
        .with_context(|| format!("adding deny rules to {}", path.display()))?;
    text = claude_settings::add_permission_items(&text, "additionalDirectories", &directories)
        .with_context(|| format!("adding directories to {}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    let added: Vec<String> = rules.into_iter().chain(directories).collect();
    eprintln!("guard: added {} to {CLAUDE_SETTINGS}", added.join(", "));
    Ok(())
}

/// Whether a directory as a settings file names it is outside the project.
fn outside(places: &Places<'_>, dir: &str) -> bool {
    let path = match (dir.strip_prefix("~/"), places.home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => places.root.join(dir),
    };
    !crate::policy::globs::resolve_dots(&path).starts_with(places.root)
}

/// Appends `gaps` to the ignore file `file` (created when `create`).
fn append_patterns(root: &Path, file: &str, gaps: &[&str], create: bool) -> Result<()> {
    if gaps.is_empty() {
        return Ok(());
    }
    let path = root.join(file);
    let existing = read_optional(&path)?;
    if existing.is_none() && !create {
        return Ok(());
    }
    let text = existing.unwrap_or_default();
    let mut addition = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        addition.push('\n');
    }
    addition.push_str(FIX_COMMENT);
    addition.push('\n');
    for gap in gaps {
        addition.push_str(gap);
        addition.push('\n');
    }
    let mut out = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    std::io::Write::write_all(&mut out, addition.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("guard: added {} to {file}", gaps.join(", "));
    Ok(())
}

/// A file's text (lossy), or `None` when it does not exist.
///
/// # Errors
/// A file that exists but cannot be read.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) if err.kind() == std::io::ErrorKind::IsADirectory => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}
