//! `guard audit [--fix] [--ci]`: the repository's posture. guard's git
//! hooks installed and current; no configuration that switches the gate
//! off; no secret file tracked; every AI assistant present kept out of the
//! sensitive paths (`audit_assistants.rs`); assistant settings files parse
//! and hold no secret. `--fix` appends what is missing, changing nothing
//! already there.

use std::path::Path;

use anyhow::{Context, Result};

use super::audit_assistants::{self, read_optional};
use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::assistant::controls::JSON_SETTINGS;
use crate::assistant::sensitive::DEFAULT_PATTERNS;
use crate::cli::AuditArgs;
use crate::git::ConfigScope;
use crate::hooks::{self, Scope, State};
use crate::pipeline::{Origin, Results, Scratch};
use crate::report::audit::{Check, Status};
use crate::scan::finding::SourceKind;

/// How many tracked secret files a row names before it counts the rest.
const NAMED_FILES: usize = 5;

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
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(std::path::PathBuf::from);
    let places = audit_assistants::Places { root: &root, home: home.as_deref(), patterns: &patterns };
    if args.fix {
        audit_assistants::fix(&places)?;
    }
    let judged = Judged { plan: &plan, repo: repo.as_ref() };
    let mut checks = vec![hooks_check(&root, args.ci)?, config_check(&plan), tracked_check(&root, judged)?];
    checks.extend(audit_assistants::checks(&places)?);
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
