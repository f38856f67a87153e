//! `guard audit [--fix] [--ci]`: the repository's posture. guard's git
//! hooks installed and current; no secret file tracked; each AI assistant's
//! control file present excludes the sensitive paths (judged with that
//! control's own pattern language), and says so when the assistant does not
//! enforce it; assistant settings files parse and hold no secret. `--fix`
//! appends what is missing to the ignore files and the deny rules to
//! `.claude/settings.json`, changing nothing already there.

use std::path::Path;

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::assistant::claude_settings::{self, EMPTY, HOOK_MARKER};
use crate::assistant::controls::{CLAUDE_SIGNS, IGNORE_FILES, JSON_SETTINGS};
use crate::assistant::sensitive::{self, DEFAULT_PATTERNS};
use crate::cli::AuditArgs;
use crate::git::ConfigScope;
use crate::hooks::{self, Scope, State};
use crate::pipeline::{Origin, Results, Scratch};
use crate::report::audit::{Check, Status};
use crate::scan::finding::SourceKind;

use super::install_claude::SETTINGS;

/// How many tracked secret files a row names before it counts the rest.
const NAMED_FILES: usize = 5;

/// The comment above the lines `--fix` appends to an ignore file.
const FIX_COMMENT: &str = "# Files that hold secrets (added by guard audit --fix)";

/// Runs `guard audit`.
///
/// # Errors
/// Not in a git work tree, invalid configuration, or a file that cannot be
/// read or (with `--fix`) written.
pub fn run(args: &AuditArgs) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let root = crate::git::work_tree_root(&cwd).context("guard audit works inside a git work tree")?;
    let (plan, repo) = Plan::for_dir(&root, args.config.as_deref())?;
    let patterns: Vec<String> = DEFAULT_PATTERNS
        .iter()
        .map(|p| (*p).to_string())
        .chain(plan.config.audit_sensitive.iter().cloned())
        .collect();
    if args.fix {
        fix(&root, &patterns)?;
    }
    let judged = Judged { plan: &plan, repo: repo.as_ref() };
    let mut checks = vec![hooks_check(&root, args.ci)?, config_check(&plan), tracked_check(&root, judged)?];
    checks.extend(ignore_file_checks(&root, &patterns)?);
    checks.extend(claude_checks(&root, &patterns)?);
    checks.extend(json_checks(&root, judged)?);
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    crate::report::emit(None, |out| crate::report::audit::write(out, &checks, super::format(args.format)))?;
    Ok(if failed { Outcome::Findings } else { Outcome::Clean })
}

fn check(check: impl Into<String>, status: Status, detail: impl Into<String>) -> Check {
    Check { check: check.into(), status, detail: detail.into() }
}

fn hooks_check(root: &Path, ci: bool) -> Result<Check> {
    if ci {
        return Ok(check("git hooks", Status::Skip, "--ci: no hooks run here"));
    }
    let dir = crate::git::hooks_dir(root)?;
    // Outside the repository, unless it is the global one: what install says.
    if !super::install::is_global(root, &dir)
        && let Err(err) = super::install::repository_hooks_dir(root)
    {
        let text = crate::report::names::masked_text(&format!("{err:#}"));
        return Ok(check("git hooks", Status::Fail, text));
    }
    // The hooks' own first step: the repository opened and HEAD read.
    if let Err(err) = crate::git::Repo::discover(root).and_then(|repo| repo.check_readable()) {
        let text = crate::report::names::masked_text(&format!("{err:#}"));
        return Ok(check(
            "git hooks",
            Status::Fail,
            format!("the hooks cannot read this repository: {text}"),
        ));
    }
    let binary = std::env::current_exe().context("finding guard's own path")?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let local = crate::git::config_path(root, ConfigScope::Local, "core.hooksPath");
    let global = super::install::global_hooks_path(root).is_some() && local.is_none();
    let scope = if global { Scope::Global } else { super::install::repository_scope(root, &dir)? };
    let problems: Vec<String> = hooks::status(&dir, &binary, scope)?
        .into_iter()
        .filter(|h| h.state != State::Current)
        .map(|h| {
            let state = match h.state {
                State::Missing => "missing",
                State::Foreign => "not guard's",
                _ => "outdated",
            };
            format!("{} {state}", h.name)
        })
        .collect();
    Ok(if problems.is_empty() {
        check(
            "git hooks",
            Status::Pass,
            format!("guard's hooks are installed and current in {}", dir.display()),
        )
    } else {
        check("git hooks", Status::Fail, format!("{} (run guard install, or --force)", problems.join(", ")))
    })
}

/// The plan and the repository whose HEAD judges what a check finds.
#[derive(Clone, Copy)]
struct Judged<'a> {
    plan: &'a Plan,
    repo: Option<&'a crate::git::Repo>,
}

impl Judged<'_> {
    /// Drops what HEAD's files (or the user's) accept.
    fn accept(&self, results: &mut Results) -> Result<()> {
        let acceptance = &self.plan.acceptance;
        acceptance.apply(self.repo, Judge::Head, &mut results.findings, &mut results.accepted)
    }
}

/// Fails a configuration whose acceptance leaves every path, every secret
/// or every rule unscanned.
fn config_check(plan: &Plan) -> Check {
    match plan.acceptance.sweeping.as_slice() {
        [] => check("configuration", Status::Pass, "no file accepts every path, secret or rule"),
        sweeping => check(
            "configuration",
            Status::Fail,
            format!("{}: the gate is off; narrow it to the files or values meant", sweeping.join("; ")),
        ),
    }
}

fn tracked_check(root: &Path, judged: Judged<'_>) -> Result<Check> {
    let mut results = Results::default();
    let mut scratch = Scratch::default();
    for path in crate::git::tracked_files(root)? {
        let file = root.join(&path);
        let format = judged.repo.map(crate::git::Repo::object_format).unwrap_or_default();
        let blob = crate::git::blob_id_of_file(&file, format).ok();
        let origin = Origin { blob, ..Origin::file(SourceKind::File, &path) };
        judged.plan.pipeline.check_path(origin, &mut scratch, &mut results);
    }
    judged.accept(&mut results)?;
    let names: Vec<String> = results
        .findings
        .iter()
        .filter_map(|f| f.path.as_deref())
        .map(|p| crate::report::shown_path(p, false))
        .collect();
    Ok(match names.len() {
        0 => {
            check("tracked secret files", Status::Pass, "no tracked file is a .env, key or credentials file")
        }
        n => {
            let more = if n > NAMED_FILES { format!(" and {} more", n - NAMED_FILES) } else { String::new() };
            check(
                "tracked secret files",
                Status::Fail,
                format!(
                    "{}{more} (git rm --cached each, add it to .gitignore, and rotate what it held)",
                    names[..n.min(NAMED_FILES)].join(", ")
                ),
            )
        }
    })
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

/// The patterns an ignore file's text leaves uncovered.
fn ignore_file_gaps<'a>(text: &str, patterns: &'a [String]) -> Result<Vec<&'a str>> {
    let matcher = sensitive::matcher(text.lines())?;
    Ok(sensitive::uncovered(patterns, &matcher))
}

fn ignore_file_checks(root: &Path, patterns: &[String]) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    for control in IGNORE_FILES {
        let Some(text) = read_optional(&root.join(control.file))? else { continue };
        let row = if let Some(instead) = control.instead {
            check(
                control.file,
                Status::Warn,
                format!("{} does not read this file; it enforces {instead}", control.assistant),
            )
        } else {
            match ignore_file_gaps(&text, patterns) {
                Err(err) => {
                    check(control.file, Status::Fail, crate::report::names::masked_text(&format!("{err:#}")))
                }
                Ok(gaps) if gaps.is_empty() => check(
                    control.file,
                    Status::Pass,
                    format!("{} is kept out of every sensitive path", control.assistant),
                ),
                Ok(gaps) => check(
                    control.file,
                    Status::Fail,
                    format!("{} can still read {}", control.assistant, gaps.join(", ")),
                ),
            }
        };
        checks.push(row);
    }
    let any_control = !checks.is_empty() || CLAUDE_SIGNS.iter().any(|sign| root.join(sign).exists());
    if !any_control {
        checks.push(check(
            "assistant controls",
            Status::Warn,
            "no assistant control file here: an assistant reads every file (guard install --claude, or add .cursorignore and the like)",
        ));
    }
    Ok(checks)
}

/// Whether Claude Code's settings are expected: present, or the project
/// shows it uses Claude Code.
fn uses_claude(root: &Path) -> bool {
    root.join(SETTINGS).exists() || CLAUDE_SIGNS.iter().any(|sign| root.join(sign).exists())
}

fn claude_gaps<'a>(text: &str, patterns: &'a [String]) -> Result<Vec<&'a str>> {
    let rules = claude_settings::deny_rules(text)?;
    let read_patterns = sensitive::claude_read_patterns(&rules);
    let matcher = sensitive::matcher(read_patterns.iter().map(String::as_str))?;
    Ok(sensitive::uncovered(patterns, &matcher))
}

fn claude_checks(root: &Path, patterns: &[String]) -> Result<Vec<Check>> {
    if !uses_claude(root) {
        return Ok(Vec::new());
    }
    let name = "Claude Code permissions.deny";
    let Some(text) = read_optional(&root.join(SETTINGS))? else {
        return Ok(vec![check(
            name,
            Status::Fail,
            format!("{SETTINGS} is missing, so Claude Code may Read every file"),
        )]);
    };
    let mut checks = vec![match claude_gaps(&text, patterns) {
        Err(_) => return Ok(Vec::new()), // the JSON check reports it
        Ok(gaps) if gaps.is_empty() => {
            check(name, Status::Pass, "Read is denied on every sensitive path".to_string())
        }
        Ok(gaps) => check(name, Status::Fail, format!("Claude Code can still Read {}", gaps.join(", "))),
    }];
    checks.push(if text.contains(HOOK_MARKER) {
        check("Claude Code hooks", Status::Pass, "guard checks prompts and every tool call")
    } else {
        check(
            "Claude Code hooks",
            Status::Warn,
            "deny rules do not stop `cat .env` through Bash, nor a secret in a prompt; guard install --claude adds hooks that do",
        )
    });
    Ok(checks)
}

fn json_checks(root: &Path, judged: Judged<'_>) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    for file in JSON_SETTINGS {
        let path = root.join(file);
        let Some(text) = read_optional(&path)? else { continue };
        if let Err(err) = serde_json::from_str::<serde_json::Value>(&text) {
            checks.push(check(*file, Status::Fail, format!("not valid JSON: {err}")));
            continue;
        }
        let mut results = Results::default();
        let origin = Origin::file(SourceKind::File, Path::new(file));
        judged.plan.pipeline.check_content(
            text.as_bytes(),
            origin,
            None,
            &mut Scratch::default(),
            &mut results,
        );
        judged.accept(&mut results)?;
        let findings = results.findings;
        checks.push(if findings.is_empty() {
            check(*file, Status::Pass, "valid JSON, no secret")
        } else {
            let found: Vec<String> =
                findings.iter().map(|f| format!("line {}: {} {}", f.line, f.rule_id, f.redacted())).collect();
            check(
                *file,
                Status::Fail,
                format!("holds a secret ({}); move it to the environment and rotate it", found.join("; ")),
            )
        });
    }
    Ok(checks)
}

/// Appends the missing patterns to each enforced ignore file present and
/// the missing deny rules to Claude Code's settings (created if the project
/// uses Claude Code). Says what it changed on standard error.
fn fix(root: &Path, patterns: &[String]) -> Result<()> {
    for control in IGNORE_FILES.iter().filter(|c| c.instead.is_none()) {
        let path = root.join(control.file);
        let Some(text) = read_optional(&path)? else { continue };
        let Ok(gaps) = ignore_file_gaps(&text, patterns) else { continue };
        if gaps.is_empty() {
            continue;
        }
        let mut addition = String::new();
        if !text.is_empty() && !text.ends_with('\n') {
            addition.push('\n');
        }
        addition.push_str(FIX_COMMENT);
        addition.push('\n');
        for gap in &gaps {
            addition.push_str(gap);
            addition.push('\n');
        }
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        std::io::Write::write_all(&mut file, addition.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("guard: added {} to {}", gaps.join(", "), control.file);
    }
    if !uses_claude(root) {
        return Ok(());
    }
    let path = root.join(SETTINGS);
    let existing = read_optional(&path)?;
    let text = existing.clone().unwrap_or_else(|| EMPTY.to_string());
    let Ok(gaps) = claude_gaps(&text, patterns) else { return Ok(()) };
    if gaps.is_empty() {
        return Ok(());
    }
    let rules: Vec<String> = gaps.iter().map(|p| sensitive::claude_deny_rule(p)).collect();
    let updated = claude_settings::add_deny_rules(&text, &rules)
        .with_context(|| format!("adding deny rules to {}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("guard: added {} to {SETTINGS}", rules.join(", "));
    Ok(())
}
