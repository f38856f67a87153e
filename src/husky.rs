//! What guard knows of husky (v9): it sets `core.hooksPath` to `.husky/_`,
//! whose stubs run the team's `.husky/NAME` scripts by name, and rewrites
//! that directory on every install. So guard adds one line to each of
//! `.husky/NAME` (committed, so it names `guard` on PATH, never a path of
//! one machine), marked so that uninstall can take it out again, and
//! writes a stub where husky has none (`pre-merge-commit` in some v9
//! releases).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The end of every line guard adds.
const MARK: &str = "# added by guard install";

/// guard's line in each hook husky runs. pre-push's comes first: the first
/// command to read git's list of pushed refs takes all of it.
const LINES: &[(&str, &str)] = &[
    ("pre-commit", "guard hook pre-commit"),
    ("pre-merge-commit", "guard hook pre-merge-commit"),
    ("commit-msg", "guard hook commit-msg \"$1\""),
    ("pre-push", "guard hook pre-push \"$@\""),
];

/// The husky directory (`.husky`) whose stubs live in the hooks directory
/// `hooks_dir` (`.husky/_`), if husky manages it.
pub fn husky_dir(hooks_dir: &Path) -> Option<PathBuf> {
    let is_husky = hooks_dir.file_name().is_some_and(|n| n == "_")
        && hooks_dir.parent().and_then(Path::file_name).is_some_and(|n| n == ".husky");
    is_husky.then(|| hooks_dir.parent().map(Path::to_path_buf)).flatten()
}

/// guard's line for hook `name`, as written.
fn line(run: &str) -> String {
    format!("{run} {MARK}")
}

/// Adds guard's line to each of husky's hook scripts under `husky` and
/// the stubs husky lacks; what it changed, one phrase each.
///
/// # Errors
/// A file that cannot be read or written.
pub fn install(husky: &Path) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for (name, run) in LINES {
        let script = husky.join(name);
        let text = match fs::read_to_string(&script) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => return Err(err).with_context(|| format!("reading {}", script.display())),
        };
        if !text.lines().any(|l| l.trim() == line(run)) {
            let new = if *name == "pre-push" {
                // First, after a `#!` line if there is one.
                match text.split_once('\n').filter(|(first, _)| first.starts_with("#!")) {
                    Some((first, rest)) => format!("{first}\n{}\n{rest}", line(run)),
                    None => format!("{}\n{text}", line(run)),
                }
            } else if text.is_empty() || text.ends_with('\n') {
                format!("{text}{}\n", line(run))
            } else {
                format!("{text}\n{}\n", line(run))
            };
            fs::write(&script, new).with_context(|| format!("writing {}", script.display()))?;
            changed.push(format!("added `{run}` to {}", script.display()));
        }
        let stub = husky.join("_").join(name);
        if !stub.exists() {
            write_stub(husky, &stub)?;
            changed.push(format!("wrote husky's missing stub {}", stub.display()));
        }
    }
    Ok(changed)
}

/// A stub like husky's own: its `h` runs `.husky/NAME`.
fn write_stub(husky: &Path, stub: &Path) -> Result<()> {
    let model = fs::read_to_string(husky.join("_").join("pre-commit"))
        .unwrap_or_else(|_| "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"".to_string());
    fs::write(stub, model).with_context(|| format!("writing {}", stub.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(stub, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", stub.display()))?;
    }
    Ok(())
}

/// Takes guard's lines out of husky's hook scripts (a script left with
/// nothing else is removed); what it changed.
///
/// # Errors
/// A file that cannot be read, written or removed.
pub fn uninstall(husky: &Path) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for (name, _) in LINES {
        let script = husky.join(name);
        let Ok(text) = fs::read_to_string(&script) else { continue };
        if !text.lines().any(|l| l.trim_end().ends_with(MARK)) {
            continue;
        }
        let kept: Vec<&str> = text.lines().filter(|l| !l.trim_end().ends_with(MARK)).collect();
        if kept.iter().all(|l| l.trim().is_empty() || l.starts_with("#!")) {
            fs::remove_file(&script).with_context(|| format!("removing {}", script.display()))?;
            changed.push(format!("removed {} (it held only guard's line)", script.display()));
        } else {
            fs::write(&script, format!("{}\n", kept.join("\n")))
                .with_context(|| format!("writing {}", script.display()))?;
            changed.push(format!("took guard's line out of {}", script.display()));
        }
    }
    Ok(changed)
}

/// For each hook: what is wrong with guard's wiring through husky, if
/// anything (no line, or no stub that runs it).
pub fn problems(husky: &Path) -> Vec<(&'static str, Option<String>)> {
    LINES
        .iter()
        .map(|(name, run)| {
            let script = husky.join(name);
            let has_line =
                fs::read_to_string(&script).is_ok_and(|text| text.lines().any(|l| l.trim() == line(run)));
            let stub = husky.join("_").join(name);
            let problem = if !has_line {
                Some(format!("{} does not run guard (run `guard install`)", script.display()))
            } else if !crate::git::command::is_executable(&stub) {
                Some(format!("husky has no stub {} to run it (run `guard install`)", stub.display()))
            } else {
                None
            };
            (*name, problem)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_in_once_pre_push_first_and_come_out_again() {
        let dir = tempfile::tempdir().unwrap();
        let husky = dir.path().join(".husky");
        fs::create_dir_all(husky.join("_")).unwrap();
        fs::write(husky.join("pre-push"), "#!/bin/sh\nnpm test\n").unwrap();
        fs::write(husky.join("pre-commit"), "npx lint-staged").unwrap();
        assert_eq!(husky_dir(&husky.join("_")), Some(husky.clone()));
        assert_eq!(husky_dir(&dir.path().join(".git/hooks")), None);
        let changed = install(&husky).unwrap();
        assert_eq!(changed.len(), 8, "{changed:?}");
        assert!(install(&husky).unwrap().is_empty(), "twice changes nothing");
        let push = fs::read_to_string(husky.join("pre-push")).unwrap();
        assert!(
            push.starts_with("#!/bin/sh\nguard hook pre-push \"$@\" # added by guard install\nnpm test\n"),
            "{push}"
        );
        assert_eq!(
            fs::read_to_string(husky.join("pre-commit")).unwrap(),
            "npx lint-staged\nguard hook pre-commit # added by guard install\n"
        );
        assert!(problems(&husky).iter().all(|(_, p)| p.is_none()));
        uninstall(&husky).unwrap();
        assert_eq!(fs::read_to_string(husky.join("pre-push")).unwrap(), "#!/bin/sh\nnpm test\n");
        assert_eq!(fs::read_to_string(husky.join("pre-commit")).unwrap(), "npx lint-staged\n");
        assert!(!husky.join("commit-msg").exists());
        assert!(problems(&husky).iter().all(|(_, p)| p.is_some()));
    }
}
