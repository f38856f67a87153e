//! `guard audit`'s row on guard's hooks for each assistant host but Claude
//! Code (whose row, with `onFailure`, is in audit_assistants.rs): whether
//! they are installed at any level (project, user, system), whether they
//! are this guard's, and what a failed hook does in that host, said out
//! loud where the host lets an action through.

use std::path::Path;

use anyhow::Result;

use super::audit_assistants::read_optional;
use crate::assistant::hook_config;
use crate::assistant::hook_files::{self, HookFiles, Layout};
use crate::assistant::hosts::Host;
use crate::report::audit::{Check, Status};

/// The row on `host`'s hooks, for a project at `root`.
///
/// # Errors
/// A hooks file that cannot be read.
pub fn row(root: &Path, home: Option<&Path>, host: Host) -> Result<Check> {
    let name = format!("{} hooks", host.title());
    let marker = host.hook_marker();
    let files = HookFiles::of(host);
    let shown = |file: &Path| match (file.strip_prefix(root), home.and_then(|h| file.strip_prefix(h).ok())) {
        (Ok(relative), _) => relative.display().to_string(),
        (Err(_), Some(relative)) => format!("~/{}", relative.display()),
        (Err(_), None) => file.display().to_string(),
    };
    let mut installed = Vec::new();
    let mut outdated = Vec::new();
    for file in files.files(root, home) {
        let Some(text) = read_optional(&file)? else { continue };
        if !text.contains(&marker) {
            continue;
        }
        installed.push(shown(&file));
        if !is_current(host, files.layout, &file, &text) {
            outdated.push(shown(&file));
        }
    }
    let word = host.word();
    if host == Host::Windsurf
        && let Some(shadow) = read_optional(&root.join(".devin/hooks.json"))?
        && !shadow.contains(&marker)
        && serde_json::from_str::<serde_json::Value>(&shadow)
            .is_ok_and(|v| v.get("hooks").and_then(|h| h.as_object()).is_some_and(|h| !h.is_empty()))
    {
        return Ok(Check::new(
            name,
            Status::Fail,
            "Devin Desktop (Windsurf's successor) reads .devin/hooks.json instead of .windsurf/hooks.json once it has hooks, and guard's are not in it: add guard hook windsurf's entries there",
        ));
    }
    if installed.is_empty() {
        return Ok(Check::new(
            name,
            Status::Warn,
            format!(
                "guard's hooks are not installed, so its prompts and tool calls go unchecked: guard install --assistant {word} adds them; {}",
                hook_files::limits(host)
            ),
        ));
    }
    let places = installed.join(", ");
    if !outdated.is_empty() {
        return Ok(Check::new(
            name,
            Status::Fail,
            format!(
                "guard's hooks in {} are not this guard's (outdated or edited): guard install --assistant {word} (--global for the user's) updates them",
                outdated.join(", ")
            ),
        ));
    }
    if hook_files::fails_closed(host) {
        return Ok(Check::new(
            name,
            Status::Pass,
            format!("guard checks {} ({places}); a hook that fails blocks", what_is_checked(host)),
        ));
    }
    Ok(Check::new(
        name,
        Status::Warn,
        format!(
            "guard's hooks in {places} are installed, but this host cannot be made to block on every failure: {}",
            hook_files::limits(host)
        ),
    ))
}

fn what_is_checked(host: Host) -> &'static str {
    match host {
        Host::Cursor => "prompts, reads, shell commands, MCP calls, writes, searches and web fetches",
        _ => "prompts and tool calls",
    }
}

/// Whether `text`, a file holding guard's marker, has exactly this guard's
/// hooks.
fn is_current(host: Host, layout: Layout, file: &Path, text: &str) -> bool {
    match layout {
        // guard never writes Codex's TOML; an entry there is the user's.
        Layout::Merged { .. } if file.extension().is_some_and(|e| e == "toml") => true,
        Layout::Merged { .. } => {
            hook_config::installed(text, &host.hook_marker(), &hook_files::entries(host))
                .is_ok_and(|installed| installed.current)
        }
        Layout::OwnFile => {
            let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
            parse(text).is_some() && parse(text) == parse(&hook_files::own_file(host))
        }
        Layout::Scripts => text == hook_files::script(host),
    }
}
