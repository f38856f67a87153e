//! `guard install --claude` and `guard uninstall --claude`: guard's hooks in
//! Claude Code's settings, the project's `.claude/settings.json` (committed,
//! shared) or with `--global` the user's `~/.claude/settings.json`. The file
//! is edited in place; everything else in it keeps its bytes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Outcome;
use crate::assistant::claude_settings::{self, EMPTY};
use crate::assistant::claude_version::OnFailure;
use crate::report::say;

/// Claude Code's settings file, relative to a project or the home directory.
pub const SETTINGS: &str = ".claude/settings.json";

/// Adds guard's hooks to the settings file.
///
/// # Errors
/// The file cannot be read or written, or is not JSON of the expected shape.
pub fn install(global: bool) -> Result<Outcome> {
    let path = settings_path(global)?;
    let existing = read(&path)?;
    let text = existing.clone().unwrap_or_else(|| EMPTY.to_string());
    let on_failure = OnFailure::of_installed();
    let updated = claude_settings::add_hooks(&text, on_failure.why_not().is_none())
        .with_context(|| format!("adding guard's hooks to {}", path.display()))?;
    let fail_closed = claude_settings::installed(&updated).is_ok_and(|i| i.fail_closed);
    if !fail_closed && let Some(why) = on_failure.why_not() {
        eprintln!("guard: warning: no \"onFailure\": \"block\" written: {why}");
    }
    if existing.as_deref() == Some(updated.as_str()) {
        say(format_args!("guard: {} already runs guard's hooks", path.display()));
        return Ok(Outcome::Clean);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))?;
    say(format_args!(
        "guard: added guard's hooks to {} (prompts, every tool that reads, writes, runs or sends, and MCP tools' output are checked{})",
        path.display(),
        if fail_closed { "; a hook that fails blocks" } else { "" }
    ));
    Ok(Outcome::Clean)
}

/// Removes guard's hooks from the settings file; a file left with nothing
/// in it is removed.
///
/// # Errors
/// The file cannot be read or written, or is not JSON.
pub fn uninstall(global: bool) -> Result<Outcome> {
    let path = settings_path(global)?;
    let Some(text) = read(&path)? else {
        say(format_args!("guard: there is no {}; nothing to undo", path.display()));
        return Ok(Outcome::Clean);
    };
    let updated = claude_settings::remove_hooks(&text)
        .with_context(|| format!("removing guard's hooks from {}", path.display()))?;
    if updated == text {
        say(format_args!("guard: {} has no guard hooks", path.display()));
    } else if updated.trim() == "{}" {
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir(dir); // only if nothing else is in it
        }
        say(format_args!("guard: removed {}, which held only guard's hooks", path.display()));
    } else {
        std::fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))?;
        say(format_args!("guard: removed guard's hooks from {}", path.display()));
    }
    Ok(Outcome::Clean)
}

/// The project's settings (at the work tree's root, else the current
/// directory) or the user's.
fn settings_path(global: bool) -> Result<PathBuf> {
    if global {
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).context("HOME is not set")?;
        return Ok(Path::new(&home).join(SETTINGS));
    }
    let cwd = std::env::current_dir().context("finding the current directory")?;
    Ok(crate::git::work_tree_root(&cwd).unwrap_or(cwd).join(SETTINGS))
}

fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}
