//! `guard install --assistant NAME…` and `guard uninstall --assistant
//! NAME…`: guard's hooks in each assistant's configuration, the project's
//! (committed, shared) or with `--global` the user's. A shared file is
//! edited in place, everything else in it keeping its bytes; a file or
//! script of guard's own is written whole. Uninstall takes out only what
//! guard put in, so a file comes back byte for byte and one guard created
//! goes. `detected` names every assistant whose configuration is there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Outcome;
use crate::assistant::claude_settings;
use crate::assistant::claude_version::OnFailure;
use crate::assistant::controls::ASSISTANTS;
use crate::assistant::hook_config;
use crate::assistant::hook_files::{self, HookFiles, Layout};
use crate::assistant::hosts::{self, Host};
use crate::report::say;

/// The word that names every assistant whose configuration is present.
pub const DETECTED: &str = "detected";

/// Where an install or uninstall writes.
struct Places {
    root: PathBuf,
    home: PathBuf,
    global: bool,
}

impl Places {
    fn new(global: bool) -> Result<Places> {
        let cwd = std::env::current_dir().context("finding the current directory")?;
        let root = crate::git::work_tree_root(&cwd).unwrap_or(cwd);
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        let home = match (home, global) {
            (Some(home), _) => home,
            (None, true) => bail!("HOME is not set"),
            (None, false) => PathBuf::new(),
        };
        Ok(Places { root, home, global })
    }

    fn base(&self) -> &Path {
        if self.global { &self.home } else { &self.root }
    }
}

/// Adds guard's hooks for each named assistant.
///
/// # Errors
/// An unknown name, or a file that cannot be read, written or is not of
/// the shape its assistant reads.
pub fn install(names: &[String], global: bool) -> Result<Outcome> {
    let places = Places::new(global)?;
    for host in named(names, &places)? {
        install_one(host, &places).with_context(|| format!("installing guard's {} hooks", host.title()))?;
    }
    Ok(Outcome::Clean)
}

/// Removes guard's hooks for each named assistant.
///
/// # Errors
/// An unknown name, or a file that cannot be read or written.
pub fn uninstall(names: &[String], global: bool) -> Result<Outcome> {
    let places = Places::new(global)?;
    for host in named(names, &places)? {
        uninstall_one(host, &places).with_context(|| format!("removing guard's {} hooks", host.title()))?;
    }
    Ok(Outcome::Clean)
}

/// The hosts `names` name; `detected` adds each whose configuration is in
/// the project (or, with `--global`, the home directory).
fn named(names: &[String], places: &Places) -> Result<Vec<Host>> {
    let mut hosts = Vec::new();
    for name in names {
        if name == DETECTED {
            let found: Vec<Host> = Host::ALL.into_iter().filter(|host| is_present(*host, places)).collect();
            if found.is_empty() {
                bail!(
                    "no assistant's configuration is in {}: name the assistants (guard install --assistant cursor …)",
                    places.base().display()
                );
            }
            hosts.extend(found);
        } else {
            let host = Host::from_word(name).with_context(|| {
                let words: Vec<&str> = Host::ALL.iter().map(|h| h.word()).collect();
                format!("unknown assistant {name:?}: one of {}, or {DETECTED}", words.join(", "))
            })?;
            hosts.push(host);
        }
    }
    hosts.dedup();
    Ok(hosts)
}

/// Whether `host`'s configuration is in the project (or home).
fn is_present(host: Host, places: &Places) -> bool {
    let Some(assistant) = ASSISTANTS.iter().find(|a| a.name == host.title()) else { return false };
    let signs = if places.global { assistant.user_signs } else { assistant.project_signs };
    let files = HookFiles::of(host);
    let hook_places = if places.global { files.user } else { files.project };
    signs.iter().chain(hook_places).any(|sign| places.base().join(sign).exists())
}

fn install_one(host: Host, places: &Places) -> Result<()> {
    let files = HookFiles::of(host);
    let target = files.target(&places.root, &places.home, places.global);
    let marker = host.hook_marker();
    // One place per level: a host that reads two files would run guard twice.
    let level: Vec<PathBuf> = if places.global {
        files.user.iter().map(|p| files.user_path(&places.home, p)).collect()
    } else {
        files.project.iter().map(|p| places.root.join(p)).collect()
    };
    for other in level.into_iter().filter(|p| *p != target) {
        if read(&other)?.is_some_and(|text| text.contains(&marker)) {
            say(format_args!("guard: {} already runs guard's {} hooks", other.display(), host.title()));
            return Ok(());
        }
    }
    match files.layout {
        Layout::Merged { new } => {
            let existing = read(&target)?;
            let text = existing.clone().unwrap_or_else(|| new.to_string());
            let updated = if host == Host::ClaudeCode {
                let on_failure = OnFailure::of_installed();
                if let Some(why) = on_failure.why_not() {
                    eprintln!("guard: warning: no \"onFailure\": \"block\" written: {why}");
                }
                claude_settings::add_hooks(&text, on_failure.why_not().is_none())
            } else {
                hook_config::add(&text, &marker, &hook_files::entries(host))
            }
            .with_context(|| format!("adding guard's hooks to {}", target.display()))?;
            if existing.as_deref() == Some(updated.as_str()) {
                say(format_args!("guard: {} already runs guard's {} hooks", target.display(), host.title()));
                return Ok(());
            }
            write(&target, &updated, false)?;
        }
        Layout::OwnFile => {
            let text = hook_files::own_file(host);
            match read(&target)? {
                Some(existing) if existing == text => {
                    say(format_args!(
                        "guard: {} already runs guard's {} hooks",
                        target.display(),
                        host.title()
                    ));
                    return Ok(());
                }
                Some(existing) if !existing.contains(&marker) => bail!(
                    "{} is not guard's: rename it, then run guard install --assistant {} again",
                    target.display(),
                    host.word()
                ),
                _ => write(&target, &text, false)?,
            }
        }
        Layout::Scripts => {
            let script = hook_files::script(host);
            let events = hosts::cline::EVENTS;
            for event in events {
                let path = target.join(event);
                if let Some(existing) = read(&path)?
                    && !existing.contains(&marker)
                {
                    bail!(
                        "{} is your own hook, which guard does not replace: add the line `{marker}` to it (its JSON answer is Cline's), or move it aside and run guard install --assistant {} again",
                        path.display(),
                        host.word()
                    );
                }
            }
            for event in events {
                write(&target.join(event), &script, true)?;
            }
        }
    }
    let fail_closed = host == Host::ClaudeCode
        && read(&target)?.is_some_and(|text| claude_settings::installed(&text).is_ok_and(|i| i.fail_closed));
    say(format_args!(
        "guard: added guard's {} hooks to {} ({}{})",
        host.title(),
        target.display(),
        hook_files::checks(host),
        if fail_closed { "; a hook that fails blocks" } else { "" }
    ));
    if host != Host::ClaudeCode {
        say(format_args!("guard: {}", hook_files::limits(host)));
    }
    Ok(())
}

fn uninstall_one(host: Host, places: &Places) -> Result<()> {
    let files = HookFiles::of(host);
    let target = files.target(&places.root, &places.home, places.global);
    let marker = host.hook_marker();
    match files.layout {
        Layout::Merged { new } => {
            let Some(text) = read(&target)? else {
                say(format_args!("guard: there is no {}; nothing to undo", target.display()));
                return Ok(());
            };
            let updated = hook_config::remove(&text, &marker)
                .with_context(|| format!("removing guard's hooks from {}", target.display()))?;
            if updated == text {
                say(format_args!("guard: {} has no guard hooks", target.display()));
            } else if same_json(&updated, new) || updated.trim() == "{}" {
                remove(&target, places.base())?;
                say(format_args!("guard: removed {}, which held only guard's hooks", target.display()));
            } else {
                write(&target, &updated, false)?;
                say(format_args!("guard: removed guard's {} hooks from {}", host.title(), target.display()));
            }
        }
        Layout::OwnFile => match read(&target)? {
            Some(text) if text.contains(&marker) => {
                remove(&target, places.base())?;
                say(format_args!("guard: removed {}", target.display()));
            }
            Some(_) => say(format_args!("guard: {} is not guard's; left as it is", target.display())),
            None => say(format_args!("guard: there is no {}; nothing to undo", target.display())),
        },
        Layout::Scripts => {
            let mut removed = 0;
            for event in hosts::cline::EVENTS {
                let path = target.join(event);
                if read(&path)?.is_some_and(|text| text.contains(&marker)) {
                    remove(&path, places.base())?;
                    removed += 1;
                }
            }
            if removed == 0 {
                say(format_args!("guard: {} has no guard hooks", target.display()));
            } else {
                say(format_args!("guard: removed guard's {} hooks from {}", host.title(), target.display()));
            }
        }
    }
    Ok(())
}

fn same_json(a: &str, b: &str) -> bool {
    matches!((serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)), (Ok(x), Ok(y)) if x == y)
}

fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err)
            if matches!(err.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) =>
        {
            Ok(None)
        }
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

fn write(path: &Path, text: &str, executable: bool) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

/// Removes `path`, and each directory above it up to `base` that is left
/// empty.
fn remove(path: &Path, base: &Path) -> Result<()> {
    std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
    let mut dir = path.parent();
    while let Some(parent) = dir.filter(|d| d.starts_with(base) && *d != base) {
        if std::fs::remove_dir(parent).is_err() {
            break; // not empty
        }
        dir = parent.parent();
    }
    Ok(())
}
