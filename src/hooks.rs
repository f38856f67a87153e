//! Hook files: where git looks for them, and installing, uninstalling and
//! inspecting guard's. A hook that is not guard's is kept beside it (as
//! `NAME.pre-guard`, renamed, so its bytes and mode are untouched) and run
//! after guard; uninstalling renames it back. Scanning lives elsewhere.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::framework;

/// The hooks guard installs.
pub const HOOKS: &[&str] = &["pre-commit", "pre-merge-commit", "commit-msg", "pre-push"];

/// The other client-side hooks git runs. A global `core.hooksPath`
/// silences each repository's own, so `--global` also installs scripts that
/// only pass them through (git-lfs relies on post-checkout and post-merge).
pub const PASS_THROUGH: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "prepare-commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "post-rewrite",
    "pre-auto-gc",
    "push-to-checkout",
    "post-index-change",
    "sendemail-validate",
];

/// Hooks `--global` passes through only on request
/// (`--with-reference-transaction`) or when the directory already holds
/// one that must keep running: git runs reference-transaction several
/// times per command, and even an empty hook costs git 1.7 ms a run
/// (docs/PERFORMANCE.md). A repository that has its own is told so.
pub const ON_REQUEST: &[&str] = &["reference-transaction"];

/// Every hook guard installs in `scope`.
pub fn hooks_for(scope: Scope) -> impl Iterator<Item = &'static str> {
    let extra = if scope == Scope::Global { PASS_THROUGH } else { &[] };
    HOOKS.iter().chain(extra).copied()
}

/// The template of the hooks that take arguments only.
const TEMPLATE: &str = include_str!("../hooks/hook.sh");

/// The template of pre-push, whose standard input guard and a chained hook
/// both read.
const PRE_PUSH_TEMPLATE: &str = include_str!("../hooks/pre-push.sh");

/// The template of the hooks `--global` only passes through.
const PASS_THROUGH_TEMPLATE: &str = include_str!("../hooks/pass-through.sh");

/// The start of every hook: find the guard binary, or block with a message.
const FIND_GUARD: &str = include_str!("../hooks/find-guard.sh");

/// The fallback of both: the guard on PATH, checked to be guard, or block.
const GUARD_ON_PATH: &str = include_str!("../hooks/guard-on-path.sh");

/// The start of a hook in a directory that may be committed: guard found
/// through this clone's `guard.path`, else PATH, or block.
const FIND_GUARD_SHARED: &str = include_str!("../hooks/find-guard-shared.sh");

/// Added to hooks installed globally: runs the repository's own hook.
const LOCAL_TEMPLATE: &str = include_str!("../hooks/local.sh");

/// Finds the repository's own hook (`local_hook`, empty when there is
/// none) without starting a process.
const FIND_LOCAL: &str = include_str!("../hooks/find-local.sh");

/// Added to the global pre-commit: says when the repository's own
/// reference-transaction hook does not run, and how to run it.
const WARN_ON_REQUEST: &str = include_str!("../hooks/warn-on-request.sh");

fn is_pass_through(name: &str) -> bool {
    PASS_THROUGH.contains(&name) || ON_REQUEST.contains(&name)
}

/// The line that marks a hook as guard's: `# guard-hook: NAME VERSION`.
const MARKER: &str = "# guard-hook: ";

/// Suffix of a hook that was there before guard's.
pub const CHAINED_SUFFIX: &str = ".pre-guard";

/// What installing or uninstalling did to one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Wrote guard's hook where there was none.
    Wrote,
    /// Guard's current hook was already there.
    Unchanged,
    /// Replaced an older guard hook (`--force`).
    Updated,
    /// Moved the existing hook to `NAME.pre-guard` and wrote guard's.
    Chained,
    /// Left an outdated guard hook alone (without `--force`).
    Stale,
    /// Removed guard's hook.
    Removed,
    /// Removed guard's hook and put the earlier one back.
    Restored,
    /// No guard hook to remove.
    Absent,
    /// Wrote guard's hook as `NAME.legacy`, which the pre-commit
    /// framework's hook in `NAME` runs before its own.
    BesideFramework,
    /// Wrote nothing: the pre-commit framework's hook is there and its
    /// configuration lists guard.
    ThroughFramework,
}

/// What `install` may do beyond writing guard's hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Replace guard hooks written by another version or binary.
    pub force: bool,
    /// With [`Scope::Global`], pass reference-transaction through too.
    pub reference_transaction: bool,
    /// The pre-commit framework's configuration lists guard, so where its
    /// hook is in place guard writes nothing.
    pub framework_runs_guard: bool,
}

/// The state of one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No hook file.
    Missing,
    /// A hook that is not guard's.
    Foreign,
    /// Guard's hook, as this guard would write it.
    Current,
    /// Guard's hook written by another version or for another binary path.
    Outdated {
        /// The version that wrote it.
        version: String,
    },
}

/// One hook as `guard status` shows it.
#[derive(Debug, Clone)]
pub struct HookStatus {
    /// The hook's name.
    pub name: &'static str,
    /// Its state.
    pub state: State,
    /// Whether a hook kept from before runs after guard's.
    pub chained: bool,
    /// Whether the hook file is the pre-commit framework's, which runs
    /// guard's as `NAME.legacy` (the state is that one's).
    pub beside_framework: bool,
}

/// Where hooks are installed: one repository, or every repository of the
/// user through a global `core.hooksPath`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The hooks directory of one repository.
    Repository,
    /// A hooks directory inside the work tree (`core.hooksPath =
    /// .githooks`), which may be committed: the scripts name no path of
    /// this machine and find guard through `git config guard.path`.
    Shared,
    /// A global hooks directory: the scripts also run the repository's own.
    Global,
}

/// The script for hook `name` that runs `binary`.
pub fn render(name: &str, binary: &Path, scope: Scope) -> String {
    let local = match scope {
        Scope::Repository | Scope::Shared => String::new(),
        Scope::Global => {
            let reads_input = name == "pre-push" || is_pass_through(name);
            let stdin = if reads_input { "printf '%s' \"$input\" | " } else { "" };
            let warn = if name == "pre-commit" { WARN_ON_REQUEST } else { "" };
            LOCAL_TEMPLATE.replace("@STDIN@", stdin).replace("@WARN_ON_REQUEST@", warn)
        }
    };
    // A pass-through hook runs the repository's hook itself.
    let find_local = if scope == Scope::Global { FIND_LOCAL } else { "" };
    let action = match name {
        "pre-merge-commit" => "merge",
        "pre-push" => "push",
        _ => "commit",
    };
    let template = if name == "pre-push" {
        PRE_PUSH_TEMPLATE
    } else if is_pass_through(name) {
        PASS_THROUGH_TEMPLATE
    } else {
        TEMPLATE
    };
    let find_guard = if scope == Scope::Shared { FIND_GUARD_SHARED } else { FIND_GUARD };
    template
        .replace("@FIND_GUARD@", find_guard)
        .replace("@GUARD_ON_PATH@", GUARD_ON_PATH)
        .replace("@LOCAL@", &local)
        .replace("@FIND_LOCAL@", find_local)
        .replace("@HOOK@", name)
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@GUARD@", &shell_quote(&binary.to_string_lossy()))
        .replace("@ACTION@", action)
}

/// The directory hooks for one repository go to, checked: `dir` (git's
/// hooks directory, or `configured`, the `core.hooksPath` set) with its
/// symbolic links resolved must lie inside `repository` (the work tree's
/// root, the common git directory). A dangling link on the way (writing
/// through it would create its target, wherever that is), a link leading
/// outside, or a plain directory outside (hooks there run for every
/// repository pointed at it) is an error that says how to fix it.
///
/// # Errors
/// As above, or a path that cannot be inspected.
pub fn inside_repository(dir: &Path, configured: Option<&Path>, repository: &[PathBuf]) -> Result<PathBuf> {
    let lexical = configured.unwrap_or(dir);
    let what = match configured {
        Some(path) => format!("core.hooksPath {}", path.display()),
        None => format!("the hooks directory {}", dir.display()),
    };
    let unset = match configured {
        Some(_) => {
            "unset core.hooksPath (`git config --unset core.hooksPath`, in the file that sets it) to use \
             .git/hooks"
        }
        None => "make .git/hooks a plain directory",
    };
    let resolved = match resolve(lexical)? {
        Resolved::Leads(path) => path,
        Resolved::Dangling { link, target } => {
            let through = if link == lexical {
                String::new()
            } else {
                format!(" passes through {}, which", link.display())
            };
            bail!(
                "{what}{through} is a symbolic link to {}, which does not exist; guard creates nothing \
                 outside the repository to follow it. Point the link at an existing directory inside the \
                 repository, or {unset}",
                target.display()
            )
        }
    };
    let canonical: Vec<PathBuf> = repository.iter().filter_map(|dir| dir.canonicalize().ok()).collect();
    if canonical.iter().any(|dir| resolved.starts_with(dir)) {
        return Ok(resolved);
    }
    if repository.iter().chain(&canonical).any(|dir| lexical.starts_with(dir)) {
        bail!(
            "{what} leads outside the repository through symbolic links, to {}; hooks there are not this \
             repository's own. Point core.hooksPath at a directory inside the repository, or {unset}",
            resolved.display()
        );
    }
    bail!(
        "{what} is outside this repository: hooks there run for every repository pointed at it, so guard \
         does not install them for one. To guard every repository, make it the global core.hooksPath and \
         run `guard install --global`; to guard this one, {unset}, or point it inside the repository"
    )
}

/// Where a path leads with its symbolic links followed.
enum Resolved {
    /// To this path (its missing tail taken as written).
    Leads(PathBuf),
    /// Nowhere: `link` points at `target`, which does not exist.
    Dangling { link: PathBuf, target: PathBuf },
}

/// `path` with the links of its longest existing ancestor resolved and
/// the rest (which does not exist, so holds no link) appended.
fn resolve(path: &Path) -> Result<Resolved> {
    let mut existing = path;
    let mut missing = Vec::new();
    loop {
        match fs::symlink_metadata(existing) {
            Ok(meta) => match existing.canonicalize() {
                Ok(mut resolved) => {
                    for part in missing.iter().rev() {
                        if *part == std::ffi::OsStr::new("..") {
                            resolved.pop();
                        } else if *part != std::ffi::OsStr::new(".") {
                            resolved.push(part);
                        }
                    }
                    return Ok(Resolved::Leads(resolved));
                }
                Err(_) if meta.is_symlink() => {
                    let target = fs::read_link(existing)
                        .with_context(|| format!("reading the symbolic link {}", existing.display()))?;
                    return Ok(Resolved::Dangling { link: existing.to_path_buf(), target });
                }
                Err(err) => return Err(err).with_context(|| format!("resolving {}", existing.display())),
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let (Some(parent), Some(last)) = (existing.parent(), existing.components().next_back())
                else {
                    return Ok(Resolved::Leads(path.to_path_buf()));
                };
                missing.push(last.as_os_str());
                existing = parent;
            }
            Err(err) => return Err(err).with_context(|| format!("inspecting {}", existing.display())),
        }
    }
}

/// Installs every hook into `dir` (created if missing).
///
/// # Errors
/// A file that cannot be read, renamed or written, or a hook that exists
/// both as `NAME` (not guard's) and `NAME.pre-guard`.
pub fn install(
    dir: &Path,
    binary: &Path,
    scope: Scope,
    options: Options,
) -> Result<Vec<(&'static str, Change)>> {
    let Options { force, reference_transaction: on_request, framework_runs_guard } = options;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut changes = Vec::new();
    let mut names: Vec<&'static str> = hooks_for(scope).collect();
    if scope == Scope::Global {
        for &name in ON_REQUEST {
            let path = dir.join(name);
            let guards = read_hook(&path)?.is_some_and(|text| is_guard_hook(&text));
            let kept = fs::symlink_metadata(chained_path(&path)).is_ok();
            if on_request || kept || (path.exists() && !guards) {
                names.push(name);
            } else if guards {
                // Written by an earlier guard, which passed it through always.
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
                changes.push((name, Change::Removed));
            }
        }
    }
    for name in names {
        let path = dir.join(name);
        let script = render(name, binary, scope);
        let chained = chained_path(&path);
        let change = match read_hook(&path)? {
            // The pre-commit framework's script runs NAME.legacy before its
            // own hooks: guard takes that place, so that neither tool wraps
            // the other and each runs once, whichever installed first.
            // Unless the framework runs guard itself (its configuration
            // lists guard): then guard adds nothing, or it would run twice.
            Some(text) if framework::is_framework_hook(&text) && framework_runs_guard => {
                Change::ThroughFramework
            }
            Some(text) if framework::is_framework_hook(&text) => {
                match place(&framework::legacy_path(&path), &chained, &script, force)? {
                    Change::Wrote | Change::Chained => Change::BesideFramework,
                    other => other,
                }
            }
            _ => place(&path, &chained, &script, force)?,
        };
        changes.push((name, change));
    }
    Ok(changes)
}

/// Writes `script` at `path`: over an older guard hook only with `force`;
/// a hook that is not guard's is first moved to `chained`, which guard's
/// runs after itself.
fn place(path: &Path, chained: &Path, script: &str, force: bool) -> Result<Change> {
    Ok(match read_hook(path)? {
        None => {
            write_script(path, script)?;
            Change::Wrote
        }
        Some(existing) if existing == script => Change::Unchanged,
        Some(existing) if is_guard_hook(&existing) => {
            if force {
                write_script(path, script)?;
                Change::Updated
            } else {
                Change::Stale
            }
        }
        Some(_) => {
            if fs::symlink_metadata(chained).is_ok() {
                bail!(
                    "{} is not guard's hook, and {} exists too; move one of them away and run guard install again",
                    path.display(),
                    chained.display()
                );
            }
            fs::rename(path, chained)
                .with_context(|| format!("moving {} to {}", path.display(), chained.display()))?;
            write_script(path, script)?;
            Change::Chained
        }
    })
}

/// Removes guard's hooks (of any scope) from `dir` and puts back the ones
/// they replaced.
///
/// # Errors
/// A file that cannot be read, removed or renamed.
pub fn uninstall(dir: &Path) -> Result<Vec<(&'static str, Change)>> {
    let mut changes = Vec::new();
    for name in hooks_for(Scope::Global).chain(ON_REQUEST.iter().copied()) {
        let mut path = dir.join(name);
        let chained = chained_path(&path);
        // Beside the pre-commit framework, guard's hook is its NAME.legacy.
        if read_hook(&path)?.is_some_and(|text| framework::is_framework_hook(&text)) {
            path = framework::legacy_path(&path);
        }
        let change = match read_hook(&path)? {
            Some(existing) if is_guard_hook(&existing) => {
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
                if fs::symlink_metadata(&chained).is_ok() {
                    fs::rename(&chained, &path).with_context(|| {
                        format!("restoring {} from {}", path.display(), chained.display())
                    })?;
                    Change::Restored
                } else {
                    Change::Removed
                }
            }
            _ => Change::Absent,
        };
        changes.push((name, change));
    }
    Ok(changes)
}

/// The state of every hook in `dir`, judged against `binary`.
///
/// # Errors
/// A hook file that cannot be read.
pub fn status(dir: &Path, binary: &Path, scope: Scope) -> Result<Vec<HookStatus>> {
    let mut statuses = Vec::new();
    let present = |name: &&str| scope == Scope::Global && dir.join(name).exists();
    for name in hooks_for(scope).chain(ON_REQUEST.iter().copied().filter(present)) {
        let path = dir.join(name);
        let chained = fs::symlink_metadata(chained_path(&path)).is_ok();
        let mut text = read_hook(&path)?;
        let beside_framework = text.as_deref().is_some_and(framework::is_framework_hook);
        if beside_framework {
            text = read_hook(&framework::legacy_path(&path))?;
        }
        let state = match text {
            None => State::Missing,
            Some(text) if text == render(name, binary, scope) => State::Current,
            Some(text) if is_guard_hook(&text) => State::Outdated { version: written_by(&text) },
            Some(_) => State::Foreign,
        };
        statuses.push(HookStatus { name, state, chained, beside_framework });
    }
    Ok(statuses)
}

fn is_guard_hook(text: &str) -> bool {
    text.lines().take(3).any(|line| line.starts_with(MARKER))
}

fn written_by(text: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(MARKER))
        .and_then(|rest| rest.split_whitespace().nth(1))
        .unwrap_or("?")
        .to_string()
}

/// The hook's text, `None` if there is no file. A binary hook is read
/// lossily: it is not guard's either way.
fn read_hook(path: &Path) -> Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symbolic link is still someone's hook.
            if fs::symlink_metadata(path).is_ok() { Ok(Some(String::new())) } else { Ok(None) }
        }
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

fn chained_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(CHAINED_SUFFIX);
    path.with_file_name(name)
}

/// Writes an executable script atomically (temporary file, then rename).
fn write_script(path: &Path, script: &str) -> Result<()> {
    let temporary = path.with_extension("guard-tmp");
    fs::write(&temporary, script).with_context(|| format!("writing {}", temporary.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&temporary, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", temporary.display()))?;
    }
    fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

/// `text` as one single-quoted shell word.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_hook_version_and_quoted_binary() {
        let script = render("pre-commit", Path::new("/opt/it's here/guard"), Scope::Repository);
        assert!(script.starts_with("#!/bin/sh\n# guard-hook: pre-commit "));
        assert!(script.contains(r"installed='/opt/it'\''s here/guard'"));
        assert!(script.contains("\"$guard\" hook pre-commit \"$@\""));
        assert!(is_guard_hook(&script));
        assert_eq!(written_by(&script), env!("CARGO_PKG_VERSION"));
        assert!(!is_guard_hook("#!/bin/sh\nnpx lint-staged\n"));
        assert!(!script.contains("local_hook"));
        let global = render("pre-push", Path::new("/g"), Scope::Global);
        assert!(global.contains("local_hook=$common/hooks/pre-push\n"));
        assert!(global.contains("printf '%s' \"$input\" | \"$local_hook\""));
        // A pass-through hook starts no program but the hooks it runs.
        let through = render("reference-transaction", Path::new("/g"), Scope::Global);
        let code: Vec<&str> = through.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
        let before_input = code.split(|l| l.starts_with("input=$(cat")).next().unwrap_or_default();
        for program in ["git ", "cat", "dirname", "grep", "$("] {
            assert!(!before_input.iter().any(|l| l.contains(program)), "{program} in\n{through}");
        }
    }
}
