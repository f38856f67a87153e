//! Shell commands that would switch the git gate off: a commit or push
//! told to skip its hooks (`--no-verify`, `git commit -n`), git handed
//! another hooks directory (`-c core.hooksPath=…`, `GIT_CONFIG_PARAMETERS`,
//! `git config core.hooksPath …`), a hook manager told to run nothing
//! (`HUSKY=0`, `LEFTHOOK=0`, `SKIP=guard`), `guard uninstall`, and hook
//! files removed, moved, emptied or made not executable. Each reason is one
//! line for the assistant; the pre-push hook remains the backstop for what
//! this reading misses.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use crate::policy::globs::resolve_dots;

use super::shell_reads::{SHELLS, unwrapped};
use super::shell_syntax::{self, Command};

/// Where the gate's files are, as absolute paths: the hooks directory in
/// effect, the repository's own `hooks/` and `config`, and husky's
/// directory. Asked of git on first use only: most commands write nothing.
#[derive(Debug)]
pub struct GatePaths {
    cwd: PathBuf,
    found: OnceCell<Found>,
}

#[derive(Debug, Default)]
struct Found {
    hooks: Vec<PathBuf>,
    git_dir: Option<PathBuf>,
}

impl GatePaths {
    /// The gate's paths for a working directory (none outside a repository).
    pub fn for_dir(cwd: &Path) -> GatePaths {
        GatePaths { cwd: cwd.to_path_buf(), found: OnceCell::new() }
    }

    fn found(&self) -> &Found {
        self.found.get_or_init(|| {
            let Ok(location) = crate::git::hooks_location(&self.cwd) else { return Found::default() };
            let [root, common] = location.repository;
            let mut hooks = vec![resolve_dots(&location.dir), common.join("hooks"), root.join(".husky")];
            hooks.extend(location.configured.map(|dir| resolve_dots(&dir)));
            Found { hooks, git_dir: Some(common) }
        })
    }

    /// Why editing `path`'s content would switch the gate off: as
    /// [`GatePaths::guards`], but husky's own scripts are tracked files a
    /// team edits on purpose (only its generated `_` directory counts).
    pub fn guards_content(&self, path: &Path) -> Option<String> {
        let path = resolve_dots(path);
        let husky = self.found().hooks.iter().find(|dir| dir.ends_with(".husky"))?.clone();
        if path.starts_with(&husky) && !path.starts_with(husky.join("_")) {
            return None;
        }
        self.guards(&path)
    }

    /// Why writing `path` would switch the gate off, if it would.
    pub fn guards(&self, path: &Path) -> Option<String> {
        let path = resolve_dots(path);
        let found = self.found();
        if let Some(dir) = found.hooks.iter().find(|dir| path.starts_with(dir)) {
            return Some(format!("it changes {}, where the git hooks are", dir.display()));
        }
        let git_dir = found.git_dir.as_ref()?;
        if path == *git_dir || path == git_dir.join("config") {
            return Some(format!("it changes {}, which says which hooks run", path.display()));
        }
        None
    }
}

/// Why `command` would switch the git gate off; empty when it would not.
pub fn reasons(command: &str, cwd: &Path, gate: &GatePaths) -> Vec<String> {
    let mut out = Vec::new();
    let mut dir = cwd.to_path_buf();
    for command in shell_syntax::parse(command) {
        // `cd sub && rm ../.git/hooks/pre-push`
        if command.program() == Some("cd") {
            dir = resolve_dots(&dir.join(command.args().next().unwrap_or("~")));
            continue;
        }
        check_command(&command, &dir, gate, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Variables that change which git configuration (and so which hooks) apply.
const GIT_CONFIG_VARIABLES: &[&str] = &[
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
];

fn check_command(command: &Command, cwd: &Path, gate: &GatePaths, out: &mut Vec<String>) {
    let words: Vec<&str> = command.words.iter().map(|w| w.text.as_str()).collect();
    let mut assignments: Vec<&str> = command.assignments.iter().map(String::as_str).collect();
    // `env NAME=value …` and `export NAME=value` set variables too.
    assignments.extend(words.iter().copied().filter(|w| shell_syntax::is_assignment(w)));
    for assignment in assignments {
        out.extend(variable_reason(assignment));
    }
    for output in &command.outputs {
        out.extend(gate.guards(&cwd.join(output)));
    }
    let Some(words) = unwrapped(command) else { return };
    let Some((&first, args)) = words.split_first() else { return };
    let program = first.rsplit('/').next().unwrap_or(first);
    match program {
        p if SHELLS.contains(&p) => {
            if let Some(at) =
                args.iter().position(|a| a.starts_with('-') && a.contains('c') && !a.starts_with("--"))
                && let Some(script) = args.get(at + 1)
            {
                out.extend(reasons(script, cwd, gate));
            }
        }
        "eval" => out.extend(reasons(&args.join(" "), cwd, gate)),
        "git" => git(args, out),
        "guard" if args.first() == Some(&"uninstall") => {
            out.push("`guard uninstall` takes guard's hooks out; only the user may do that".to_string());
        }
        "rm" | "mv" | "unlink" | "shred" | "truncate" | "ln" | "rmdir" | "chattr" | "chown" | "chgrp" => {
            for operand in args.iter().filter(|a| !a.starts_with('-')) {
                out.extend(gate.guards(&cwd.join(operand)));
            }
        }
        "cp" | "install" | "rsync" => {
            if let Some(target) = args.iter().rev().find(|a| !a.starts_with('-')) {
                out.extend(gate.guards(&cwd.join(target)));
            }
        }
        "tee" | "sed" | "perl" => {
            let in_place = program == "tee" || args.iter().any(|a| a.starts_with("-i") || *a == "--in-place");
            if in_place {
                for operand in args.iter().filter(|a| !a.starts_with('-')) {
                    out.extend(gate.guards(&cwd.join(operand)));
                }
            }
        }
        "dd" => {
            for target in args.iter().filter_map(|a| a.strip_prefix("of=")) {
                out.extend(gate.guards(&cwd.join(target)));
            }
        }
        "chmod" => {
            let mut operands = args.iter().filter(|a| !a.starts_with('-') || is_symbolic_mode(a));
            let Some(mode) = operands.next() else { return };
            if removes_execute(mode) {
                for operand in operands {
                    out.extend(gate.guards(&cwd.join(operand)));
                }
            }
        }
        _ => {}
    }
}

/// Why an assignment switches hooks off, if it does.
fn variable_reason(assignment: &str) -> Option<String> {
    let (name, value) = assignment.split_once('=')?;
    let value = value.trim_matches(['"', '\'']);
    let off = |v: &str| matches!(v, "0" | "false" | "no" | "off");
    let reason = if GIT_CONFIG_VARIABLES.contains(&name)
        || name.starts_with("GIT_CONFIG_KEY_")
        || name.starts_with("GIT_CONFIG_VALUE_")
    {
        format!("{name} changes git's configuration, and with it which hooks run")
    } else if (name == "HUSKY" && off(value)) || name == "HUSKY_SKIP_HOOKS" {
        format!("{name}={value} makes husky skip every hook, guard's included")
    } else if name == "LEFTHOOK" && off(value) {
        format!("{name}={value} makes lefthook skip every hook, guard's included")
    } else if (name == "SKIP" || name == "LEFTHOOK_EXCLUDE") && value.to_ascii_lowercase().contains("guard") {
        format!("{name}={value} skips guard's hook")
    } else {
        return None;
    };
    Some(reason)
}

/// `git …`: global `-c core.hooksPath=…`, commits and pushes that skip
/// hooks, and `git config` writing `core.hooksPath`.
fn git(args: &[&str], out: &mut Vec<String>) {
    let mut rest = args.iter().copied();
    let sub = loop {
        match rest.next() {
            Some("-c") => {
                if let Some(setting) = rest.next() {
                    out.extend(config_setting_reason(setting));
                }
            }
            Some(a) if a.starts_with("--config-env") => {
                let setting = a
                    .strip_prefix("--config-env=")
                    .map(str::to_string)
                    .or_else(|| rest.next().map(str::to_string));
                out.extend(setting.as_deref().and_then(config_setting_reason));
            }
            Some("-C" | "--git-dir" | "--work-tree" | "--namespace" | "--exec-path") => {
                rest.next();
            }
            Some(a) if a.starts_with('-') => {}
            other => break other,
        }
    };
    let args: Vec<&str> = rest.collect();
    let skips_hooks = |short_n: bool| {
        let mut value_next = false;
        args.iter().any(|a| {
            if std::mem::take(&mut value_next) {
                return false;
            }
            let short = a.starts_with('-') && !a.starts_with("--");
            value_next = (short && a.ends_with(['m', 'F', 'C', 'c', 't']) && !short_cluster_has_n(a))
                || VALUE_OPTIONS.contains(a);
            (a.starts_with("--no-ver") && "--no-verify".starts_with(a))
                || (short_n && short && short_cluster_has_n(a))
        })
    };
    match sub {
        Some(sub @ ("commit" | "merge" | "push" | "am" | "pull" | "cherry-pick" | "revert" | "rebase"))
            if skips_hooks(sub == "commit") =>
        {
            out.push(format!(
                "`git {sub} --no-verify` skips guard's hooks; commit and push with the hooks on"
            ));
        }
        Some("config") => {
            let Some(at) = args.iter().position(|a| a.eq_ignore_ascii_case("core.hooksPath")) else {
                if args.contains(&"--remove-section") && args.contains(&"core") {
                    out.push("`git config --remove-section core` drops core.hooksPath".to_string());
                }
                return;
            };
            let writes = args[at + 1..].iter().any(|a| !a.starts_with('-'))
                || args[..at].iter().any(|a| {
                    matches!(
                        *a,
                        "--unset" | "--unset-all" | "unset" | "set" | "--add" | "--replace-all" | "--edit"
                    )
                });
            if writes {
                out.push(
                    "`git config core.hooksPath` chooses which hooks run; only the user may change it"
                        .to_string(),
                );
            }
        }
        _ => {}
    }
}

/// Long options of `git commit` and `git push` whose value is the next word.
const VALUE_OPTIONS: &[&str] = &[
    "--message",
    "--file",
    "--author",
    "--date",
    "--template",
    "--reuse-message",
    "--reedit-message",
    "--fixup",
    "--squash",
    "--cleanup",
    "--trailer",
    "--repo",
    "--receive-pack",
    "--push-option",
];

/// `git commit`'s clustered short options: `-n` is `--no-verify`; an
/// option that takes a value (`-m`, `-F`, `-C`, `-c`, `-t`) ends the cluster.
fn short_cluster_has_n(cluster: &str) -> bool {
    for c in cluster[1..].chars() {
        if c == 'n' {
            return true;
        }
        if "mFCct".contains(c) {
            return false;
        }
    }
    false
}

fn config_setting_reason(setting: &str) -> Option<String> {
    let key = setting.split('=').next().unwrap_or(setting);
    key.eq_ignore_ascii_case("core.hooksPath")
        .then(|| "`git -c core.hooksPath=…` runs other hooks than guard's".to_string())
}

fn is_symbolic_mode(arg: &str) -> bool {
    arg.strip_prefix('-').is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| "rwxXst".contains(c)))
}

/// Whether a `chmod` mode can leave a file without its execute bit.
fn removes_execute(mode: &str) -> bool {
    if mode.bytes().all(|b| b.is_ascii_digit()) {
        let user = mode.len().checked_sub(3).and_then(|i| mode.as_bytes().get(i)).copied().unwrap_or(b'0');
        return (user - b'0') & 1 == 0;
    }
    mode.split(',').any(|clause| {
        (clause.contains('-') && clause.contains('x')) || (clause.contains('=') && !clause.contains('x'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> GatePaths {
        let found = Found {
            hooks: vec![PathBuf::from("/repo/.git/hooks"), PathBuf::from("/repo/.husky")],
            git_dir: Some(PathBuf::from("/repo/.git")),
        };
        GatePaths { cwd: PathBuf::from("/repo"), found: OnceCell::from(found) }
    }

    fn blocked(command: &str) -> bool {
        !reasons(command, Path::new("/repo"), &gate()).is_empty()
    }

    #[test]
    fn every_way_past_the_hooks_is_seen() {
        for command in [
            "git commit --no-verify -m wip",
            "git commit -nm wip",
            "git commit -am wip -n",
            "git push --no-verify origin main",
            "git push --no-ver",
            "git -c core.hooksPath=/dev/null commit -m x",
            "git -c CORE.HOOKSPATH= push",
            "GIT_CONFIG_PARAMETERS=\"'core.hooksPath'='/dev/null'\" git commit -m x",
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/tmp git commit",
            "export GIT_CONFIG_GLOBAL=/tmp/empty",
            "git config core.hooksPath /tmp/nothing",
            "git config --unset core.hooksPath",
            "git config set --local core.hooksPath x",
            "guard uninstall",
            "rm .git/hooks/pre-commit",
            "rm -rf .git/hooks",
            "cd sub && rm ../.git/hooks/pre-push",
            "mv .git/hooks/pre-push /tmp/",
            "chmod -x .git/hooks/pre-commit",
            "chmod 644 .git/hooks/pre-push",
            "echo > .git/hooks/pre-commit",
            "HUSKY=0 git commit -m x",
            "LEFTHOOK=0 git push",
            "SKIP=guard git commit",
            "bash -c 'git commit --no-verify'",
            "rm .husky/pre-commit",
        ] {
            assert!(blocked(command), "{command}");
        }
    }

    #[test]
    fn ordinary_git_work_passes() {
        for command in [
            "git commit -m 'no-verify in a message'",
            "git commit -m -n",
            "git push -n origin main",
            "git config core.hooksPath",
            "git config --get core.hooksPath",
            "chmod +x .git/hooks/pre-commit",
            "chmod 755 .git/hooks/pre-commit",
            "cat .git/hooks/pre-commit",
            "SKIP=flake8 git commit -m x",
            "HUSKY=1 git commit",
            "rm -rf target node_modules",
            "git status && git log --oneline",
        ] {
            assert!(!blocked(command), "{command}");
        }
    }
}

#[cfg(test)]
mod shell_text_of_any_shape {
    use super::*;

    /// Strings built from shell's special characters and words, every
    /// prefix of each: reading them never panics.
    #[test]
    fn any_text_is_read_without_a_panic() {
        // Tab-separated parts, the space and the line break among them.
        const PARTS: &str = "'\t\"\t\\\t$\t$(\t${\t`\t(\t)\t{\t}\t<\t<<\t<<<\t<<-\t>\t>&\t&>\t|\t||\t&\t;\t\n\t \t#\t=\t-\t-c\tgit\tcommit\t-n\tconfig\tcore.hooksPath\tcat\trg\tgrep\tfind\t-exec\txargs\tbash\teval\tcd\tchmod\trm\té\tEOF\t*";
        let parts: Vec<&str> = PARTS.split('\t').collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let gate = GatePaths::for_dir(Path::new("/nonexistent-guard-test"));
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(parts[(state % parts.len() as u64) as usize]);
            }
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let prefix = &text[..end];
                let _ = super::super::shell_reads::exposures(prefix);
                let _ = reasons(prefix, Path::new("/nonexistent-guard-test"), &gate);
            }
        }
    }
}
