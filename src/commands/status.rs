//! `guard status`: where the hooks are (and whether that is inside the
//! repository, as `guard install` requires), whether they are guard's and
//! current, whether earlier hooks run after them, whether `guard.toml` is
//! valid, and which other hook managers the repository uses.

use anyhow::{Context, Result};

use crate::Outcome;
use crate::git::ConfigScope;
use crate::hooks::{self, CHAINED_SUFFIX, Scope, State};
use crate::report::say;

/// Files that tell another hook manager is in use, and its name.
const MANAGERS: &[(&str, &str)] =
    &[(".husky", "husky"), (".pre-commit-config.yaml", "the pre-commit framework")];

/// Where the hooks are, as every section sees it.
struct Place {
    cwd: std::path::PathBuf,
    dir: std::path::PathBuf,
    root: std::path::PathBuf,
    scope: Scope,
    /// The global and this repository's `core.hooksPath`, if set.
    global: Option<std::path::PathBuf>,
    local: Option<std::path::PathBuf>,
}

/// Runs `guard status`.
///
/// # Errors
/// Not in a work tree, or a hook that cannot be read.
pub fn run() -> Result<Outcome> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let dir = crate::git::hooks_dir(&cwd)?;
    let binary = std::env::current_exe().context("finding guard's own path")?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let mut healthy = true;

    say(format_args!("hooks directory: {}", dir.display()));
    // Outside the repository, unless it is the global one: what install says.
    let misplaced = if super::install::is_global(&cwd, &dir) {
        None
    } else {
        super::install::repository_hooks_dir(&cwd).err()
    };
    if let Some(err) = &misplaced {
        healthy = false;
        let text = crate::report::names::masked_text(&format!("{err:#}"));
        say(format_args!("                 PROBLEM: {text}"));
    }
    let global = super::install::global_hooks_path(&cwd);
    let local = crate::git::config_path(&cwd, ConfigScope::Local, "core.hooksPath");
    if let Some(global) = &global {
        say(format_args!("global hooks:    {} (core.hooksPath)", global.display()));
        if let Some(local) = &local {
            healthy = false;
            say(format_args!(
                "                 overridden here by this repository's core.hooksPath {}: the global hooks do not run",
                local.display()
            ));
        }
    }
    let scope = if global.is_some() && local.is_none() {
        Scope::Global
    } else {
        super::install::repository_scope(&cwd, &dir)?
    };
    let root = crate::git::toplevel(&cwd).unwrap_or_default();
    let place = Place { cwd, dir, root, scope, global, local };
    let husky = crate::husky::husky_dir(&place.dir);
    match &husky {
        Some(husky) => healthy &= husky_lines(husky),
        None if place.scope == Scope::Shared => healthy &= guard_path_line(&place),
        None => {}
    }
    if place.scope == Scope::Global {
        healthy &= silenced_lines(&place)?;
    }
    if misplaced.is_none() && husky.is_none() {
        healthy &= hook_lines(&place, &binary)?;
    }
    healthy &= lefthook_lines(&place);
    healthy &= repository_line(&place);
    healthy &= config_lines();
    manager_lines(&place);
    Ok(if healthy { Outcome::Clean } else { Outcome::Findings })
}

/// husky's stubs run its scripts, where guard's lines are: each checked.
fn husky_lines(husky: &std::path::Path) -> bool {
    let mut healthy = true;
    for (name, problem) in crate::husky::problems(husky) {
        match problem {
            None => say(format_args!(
                "{:<17} guard's line in {}, run by husky's stub",
                format!("{name}:"),
                husky.join(name).display()
            )),
            Some(problem) => {
                healthy = false;
                say(format_args!("{:<17} PROBLEM: {problem}", format!("{name}:")));
            }
        }
    }
    healthy
}

/// Hooks that may be committed find guard through this clone's setting.
fn guard_path_line(place: &Place) -> bool {
    let mut healthy = true;
    let key = super::install::GUARD_PATH;
    match crate::git::config_path(&place.cwd, ConfigScope::Local, key) {
        Some(path) if crate::git::command::is_executable(&path) => {
            say(format_args!("guard.path:      {} (the shared hooks run it)", path.display()));
        }
        Some(path) => {
            healthy = false;
            say(format_args!(
                "guard.path:      PROBLEM: {} is missing or not executable; run `guard install`",
                path.display()
            ));
        }
        None => {
            healthy = false;
            say(format_args!(
                "guard.path:      PROBLEM: not set for this clone, so the shared hooks need a guard on PATH; \
                 run `guard install`"
            ));
        }
    }
    healthy
}

/// A hook of the repository's own that the global directory does not pass
/// through never runs: said.
fn silenced_lines(place: &Place) -> Result<bool> {
    let mut healthy = true;
    let common = crate::git::hooks_location(&place.cwd)?.repository[1].clone();
    for name in hooks::ON_REQUEST {
        if crate::git::command::is_executable(&common.join("hooks").join(name))
            && !place.dir.join(name).exists()
        {
            healthy = false;
            say(format_args!(
                "                 PROBLEM: this repository's own {name} hook does not run under the global \
                 hooks; `guard install --global --with-reference-transaction` passes it through"
            ));
        }
    }
    Ok(healthy)
}

/// Each hook guard installs: whose it is, whether current, what it chains.
fn hook_lines(place: &Place, binary: &std::path::Path) -> Result<bool> {
    let mut healthy = true;
    let framework_runs_guard = crate::framework::config_lists_guard(&place.root);
    let lefthook = !crate::lefthook::config_files(&place.root).is_empty();
    for hook in hooks::status(&place.dir, binary, place.scope)? {
        let lefthooks = std::fs::read_to_string(place.dir.join(hook.name))
            .is_ok_and(|t| crate::lefthook::is_lefthook_hook(&t));
        let state = match &hook.state {
            // lefthook's own hook: whether it runs guard is said below.
            State::Foreign if lefthooks && lefthook => "lefthook's hook".to_string(),
            // The framework's hook, whose configuration runs guard.
            State::Missing if hook.beside_framework && framework_runs_guard => {
                "the pre-commit framework's hook; .pre-commit-config.yaml lists guard, so it runs guard"
                    .to_string()
            }
            State::Current if hook.beside_framework => format!(
                "the pre-commit framework's hook, which runs guard's current hook ({}.legacy) first",
                hook.name
            ),
            State::Missing if hook.beside_framework => {
                healthy = false;
                "the pre-commit framework's hook, without guard (run `guard install`, which adds guard's beside \
                 it, or list guard in .pre-commit-config.yaml)"
                    .to_string()
            }
            State::Current => "guard's, current".to_string(),
            State::Missing => {
                healthy = false;
                "missing (run `guard install`)".to_string()
            }
            State::Foreign => {
                healthy = false;
                "not guard's (run `guard install`: it will keep this hook and run it after guard)".to_string()
            }
            State::Outdated { version } => {
                healthy = false;
                format!(
                    "guard's, but written by guard {version} or for another binary (run `guard install --force`)"
                )
            }
        };
        let chained =
            if hook.chained { format!("; then runs {}{CHAINED_SUFFIX}", hook.name) } else { String::new() };
        say(format_args!("{:<17} {state}{chained}", format!("{}:", hook.name)));
    }
    Ok(healthy)
}

/// Whether lefthook, where it manages the hooks, runs guard, and whether it
/// moved guard's own hooks to `NAME.old`.
fn lefthook_lines(place: &Place) -> bool {
    let lefthook = crate::lefthook::config_files(&place.root);
    let Some(main) = lefthook.first() else { return true };
    let mut healthy = true;
    let shown = main.strip_prefix(&place.root).unwrap_or(main).display().to_string();
    for name in hooks::HOOKS {
        let old = place.dir.join(format!("{name}.old"));
        if std::fs::read_to_string(&old).is_ok_and(|t| t.contains("# guard-hook: ")) {
            healthy = false;
            say(format_args!(
                "lefthook:        PROBLEM: lefthook moved guard's {name} hook to {}, where nothing runs it; add \
                 guard to {shown} (`guard install` prints the lines) and run `lefthook install`",
                old.display()
            ));
        }
    }
    if crate::lefthook::runs_guard(&lefthook) {
        say(format_args!("lefthook:        {shown} runs guard"));
    } else {
        healthy = false;
        say(format_args!(
            "lefthook:        PROBLEM: lefthook manages the hooks and {shown} does not run guard; `guard install` \
             prints the lines to add"
        ));
    }
    healthy
}

/// The hooks' own first step: the repository opened and HEAD read.
fn repository_line(place: &Place) -> bool {
    match crate::git::Repo::discover(&place.cwd).and_then(|repo| repo.check_readable().map(|()| repo)) {
        Ok(repo) => {
            say(format_args!("repository:      {}", repo.reader()));
            true
        }
        Err(err) => {
            let text = crate::report::names::masked_text(&format!("{err:#}"));
            say(format_args!("repository:      PROBLEM: the hooks cannot read it: {text}"));
            false
        }
    }
}

/// The configuration the hooks would load, and what it leaves unscanned.
fn config_lines() -> bool {
    match super::plan::Plan::for_cwd(None) {
        Ok((plan, _)) if !plan.acceptance.sweeping.is_empty() => {
            let what = crate::report::names::masked_text(&plan.acceptance.sweeping.join("; "));
            say(format_args!("config:          PROBLEM: {what}: the gate is off; narrow it"));
            false
        }
        Ok((plan, _)) => {
            let files: Vec<String> = plan.config.files.iter().map(|f| f.display().to_string()).collect();
            let source = if files.is_empty() { "defaults only".to_string() } else { files.join(", ") };
            say(format_args!(
                "config:          valid ({source}); {} content rules",
                plan.pipeline.scanner.matcher().rules().len()
            ));
            for note in plan.acceptance.notes() {
                say(format_args!("config:          warning: {}", crate::report::names::masked_text(&note)));
            }
            true
        }
        Err(err) => {
            let text = crate::report::names::masked_text(&format!("{err:#}"));
            say(format_args!("config:          INVALID: {text}"));
            false
        }
    }
}

/// Which other tools the repository uses, and a framework that cannot
/// install its hooks here.
fn manager_lines(place: &Place) {
    for (file, manager) in MANAGERS {
        if place.root.join(file).exists() {
            say(format_args!("also uses:       {manager} ({file})"));
        }
    }
    // The framework's `pre-commit install` refuses while core.hooksPath is
    // set, so its checks silently never run: say so.
    let hooks_path = place.local.clone().or(place.global.clone());
    let framework_installed = std::fs::read_to_string(place.dir.join("pre-commit"))
        .is_ok_and(|text| crate::framework::is_framework_hook(&text));
    if let Some(hooks_path) = hooks_path.filter(|_| place.root.join(".pre-commit-config.yaml").exists())
        && !framework_installed
    {
        say(format_args!(
            "                 warning: `pre-commit install` refuses while core.hooksPath is set ({}), so the \
             framework's checks in .pre-commit-config.yaml do not run at commit; run them with `pre-commit run`, \
             or call it from a hook in {}",
            hooks_path.display(),
            place.dir.display()
        ));
    }
}
