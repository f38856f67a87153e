//! `guard install` and `guard uninstall`: find the hooks directory git uses
//! (this work tree's, which must lie inside the repository, or with
//! `--global` the user's `core.hooksPath`) and write or remove guard's
//! hooks there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Outcome;
use crate::cli::{InstallArgs, UninstallArgs};
use crate::git::ConfigScope;
use crate::hooks::{self, CHAINED_SUFFIX, Change, Scope};
use crate::report::say;

/// In a global hooks directory guard created: says guard set the global
/// `core.hooksPath`, so `guard uninstall --global` unsets it.
const SET_BY_GUARD: &str = ".guard-set-core-hooks-path";

/// Runs `guard install`.
///
/// # Errors
/// Not in a work tree, or a hook or setting that cannot be written.
pub fn install(args: &InstallArgs) -> Result<Outcome> {
    if let Some(names) = assistants(&args.assistants, args.claude) {
        return super::install_assistant::install(&names, args.global);
    }
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let binary = std::env::current_exe().context("finding guard's own path")?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let (dir, scope) = if args.global {
        let dir = match global_hooks_path(&cwd) {
            Some(existing) if existing.is_relative() => bail!(
                "the global core.hooksPath is the relative path {}, which git reads from each repository's \
                 root; guard cannot install one set of hooks for every repository there. Set an absolute \
                 core.hooksPath, or run `guard install` in each repository",
                existing.display()
            ),
            Some(existing) => {
                say(format_args!(
                    "guard: keeping the global core.hooksPath {}; guard's hooks go there",
                    existing.display()
                ));
                existing
            }
            None => {
                let dir = guard_global_dir()?;
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                std::fs::write(
                    dir.join(SET_BY_GUARD),
                    "core.hooksPath was set by `guard install --global`\n",
                )
                .with_context(|| format!("writing in {}", dir.display()))?;
                crate::git::set_config(&cwd, ConfigScope::Global, "core.hooksPath", &dir.to_string_lossy())?;
                say(format_args!("guard: set the global core.hooksPath to {}", dir.display()));
                dir
            }
        };
        (dir, Scope::Global)
    } else {
        let dir = repository_hooks_dir(&cwd)?;
        if let Some(outcome) = leave_to_lefthook(&cwd) {
            return Ok(outcome);
        }
        if let Some(husky) = crate::husky::husky_dir(&dir) {
            return through_husky(&husky, crate::husky::install(&husky)?);
        }
        let scope = repository_scope(&cwd, &dir)?;
        (dir, scope)
    };
    if scope == Scope::Shared {
        // A path of this machine goes into this clone's config, never into
        // a file the team may commit.
        crate::git::set_config(&cwd, ConfigScope::Local, GUARD_PATH, &binary.to_string_lossy())?;
        say(format_args!(
            "guard: {} is inside the work tree, so its hooks name no path of this machine: they run the guard \
             in this clone's `git config {GUARD_PATH}` (set to {}), else the guard on PATH. Commit them (git add \
             {}) to share them; every clone then runs `guard install` once.",
            dir.display(),
            binary.display(),
            dir.display()
        ));
    }
    let mut stale = false;
    let root = crate::git::toplevel(&cwd).unwrap_or_else(|| cwd.clone());
    let options = hooks::Options {
        force: args.force,
        reference_transaction: args.with_reference_transaction,
        framework_runs_guard: crate::framework::config_lists_guard(&root),
    };
    for (name, change) in hooks::install(&dir, &binary, scope, options)? {
        let path = dir.join(name);
        match change {
            Change::Wrote => say(format_args!("guard: installed {}", path.display())),
            Change::Unchanged => {
                say(format_args!("guard: {} is already guard's current hook", path.display()))
            }
            Change::Updated => say(format_args!("guard: updated {}", path.display())),
            Change::Chained => say(format_args!(
                "guard: installed {}; the hook that was there is now {name}{CHAINED_SUFFIX} and runs after guard",
                path.display()
            )),
            Change::Stale => {
                stale = true;
                say(format_args!(
                    "guard: {} was written by another guard; run `guard install --force` to replace it",
                    path.display()
                ));
            }
            Change::Removed => say(format_args!(
                "guard: removed {}: git runs {name} on every ref update, so guard passes it through only with \
                 --with-reference-transaction",
                path.display()
            )),
            Change::BesideFramework => say(format_args!(
                "guard: {} is the pre-commit framework's hook, which runs {name}.legacy before its own hooks: \
                 installed guard's there, so each runs once (or list guard in .pre-commit-config.yaml, id \
                 `guard`, and remove it with `guard uninstall`)",
                path.display()
            )),
            Change::ThroughFramework => say(format_args!(
                "guard: {} is the pre-commit framework's hook, and .pre-commit-config.yaml lists guard: it runs \
                 guard there, so guard adds nothing",
                path.display()
            )),
            Change::Restored | Change::Absent => {}
        }
    }
    Ok(if stale { Outcome::Findings } else { Outcome::Clean })
}

/// Runs `guard uninstall`.
///
/// # Errors
/// Not in a work tree, or a hook or setting that cannot be removed.
pub fn uninstall(args: &UninstallArgs) -> Result<Outcome> {
    if let Some(names) = assistants(&args.assistants, args.claude) {
        return super::install_assistant::uninstall(&names, args.global);
    }
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let dir = if args.global {
        let Some(dir) = global_hooks_path(&cwd) else {
            say(format_args!("guard: no global core.hooksPath is set; nothing to undo"));
            return Ok(Outcome::Clean);
        };
        dir
    } else {
        repository_hooks_dir(&cwd)?
    };
    if !args.global
        && let Some(husky) = crate::husky::husky_dir(&dir)
    {
        for change in crate::husky::uninstall(&husky)? {
            say(format_args!("guard: {change}"));
        }
        return Ok(Outcome::Clean);
    }
    if !args.global
        && repository_scope(&cwd, &dir)? == Scope::Shared
        && crate::git::config_path(&cwd, ConfigScope::Local, GUARD_PATH).is_some()
    {
        crate::git::unset_config(&cwd, ConfigScope::Local, GUARD_PATH)?;
        say(format_args!("guard: unset this clone's {GUARD_PATH}"));
    }
    for (name, change) in hooks::uninstall(&dir)? {
        let path = dir.join(name);
        match change {
            Change::Removed => say(format_args!("guard: removed {}", path.display())),
            Change::Restored => {
                say(format_args!("guard: removed guard's {name} and put back the hook that was there before"))
            }
            _ => {}
        }
    }
    if args.global && dir.join(SET_BY_GUARD).exists() {
        std::fs::remove_file(dir.join(SET_BY_GUARD))
            .with_context(|| format!("cleaning {}", dir.display()))?;
        crate::git::unset_config(&cwd, ConfigScope::Global, "core.hooksPath")?;
        let _ = std::fs::remove_dir(&dir); // only if nothing else is left in it
        say(format_args!("guard: unset the global core.hooksPath"));
    }
    Ok(Outcome::Clean)
}

/// This repository's hooks directory, unless it is the user's global one
/// (which `--global` manages: a per-repository change there would reach
/// every repository) or leads outside the repository.
///
/// # Errors
/// Not in a work tree, the global hooks directory, or one outside the
/// repository (`hooks::inside_repository`).
pub fn repository_hooks_dir(cwd: &Path) -> Result<PathBuf> {
    let location = crate::git::hooks_location(cwd)?;
    if is_global(cwd, &location.dir) {
        bail!(
            "this repository runs the global hooks in {} (the user's core.hooksPath); use `guard install --global` \
             and `guard uninstall --global`, or give this repository its own core.hooksPath",
            location.dir.display()
        );
    }
    hooks::inside_repository(&location.dir, location.configured.as_deref(), &location.repository)
}

/// Says what guard did to husky's scripts (`changed`) and what to commit.
fn through_husky(husky: &Path, changed: Vec<String>) -> Result<Outcome> {
    if changed.is_empty() {
        say(format_args!("guard: husky runs guard already ({}): nothing to change", husky.display()));
    }
    for change in &changed {
        say(format_args!("guard: {change}"));
    }
    if !changed.is_empty() {
        say(format_args!(
            "guard: husky manages the hooks, so guard's lines are in husky's scripts; commit {} so that the team \
             runs them (they call `guard` on PATH)",
            husky.display()
        ));
    }
    Ok(Outcome::Clean)
}

/// In a repository lefthook manages, writes nothing (lefthook would rename
/// guard's hooks to `NAME.old` on its next sync, where nothing runs them)
/// and says what to add to its configuration, unless it runs guard already.
fn leave_to_lefthook(cwd: &Path) -> Option<Outcome> {
    let root = crate::git::toplevel(cwd)?;
    let files = crate::lefthook::config_files(&root);
    let main = files.first()?;
    let shown = main.strip_prefix(&root).unwrap_or(main).display();
    if crate::lefthook::runs_guard(&files) {
        say(format_args!(
            "guard: lefthook manages the hooks here and {shown} runs guard: nothing to install"
        ));
    } else {
        say(format_args!(
            "guard: lefthook manages the hooks here, and renames any other hook to NAME.old on its next sync, \
             so guard writes none. Add these lines to {shown} (merging them into hooks it already lists), then \
             run `lefthook install`:\n\n{}",
            crate::lefthook::snippet(main)
        ));
    }
    Some(Outcome::Clean)
}

/// The setting that names this clone's guard for hooks that may be committed.
pub const GUARD_PATH: &str = "guard.path";

/// How a repository's hooks directory `dir` is written: [`Scope::Shared`]
/// when it lies in the work tree (outside the git directory), where it may
/// be committed; else [`Scope::Repository`].
///
/// # Errors
/// Not in a work tree.
pub fn repository_scope(cwd: &Path, dir: &Path) -> Result<Scope> {
    let location = crate::git::hooks_location(cwd)?;
    let [root, common] = location.repository.map(|p| p.canonicalize().unwrap_or(p));
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let shared = dir.starts_with(&root) && !dir.starts_with(&common);
    Ok(if shared { Scope::Shared } else { Scope::Repository })
}

/// Whether `dir` is the user's global hooks directory.
pub fn is_global(cwd: &Path, dir: &Path) -> bool {
    global_hooks_path(cwd).is_some_and(|global| same_dir(&global, dir))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The user's global `core.hooksPath`, if set (`~` expanded by git).
pub fn global_hooks_path(cwd: &Path) -> Option<PathBuf> {
    crate::git::config_path(cwd, ConfigScope::Global, "core.hooksPath")
}

/// Where guard keeps global hooks when no global `core.hooksPath` exists.
fn guard_global_dir() -> Result<PathBuf> {
    let config =
        crate::config::user_config_path().context("finding the user's config directory (HOME is not set)")?;
    Ok(config.parent().map_or_else(|| PathBuf::from("hooks"), |dir| dir.join("hooks")))
}

/// The assistants named by `--assistant` and `--claude`, if any.
fn assistants(names: &[String], claude: bool) -> Option<Vec<String>> {
    let mut names = names.to_vec();
    if claude {
        names.insert(0, "claude".to_string());
    }
    (!names.is_empty()).then_some(names)
}
