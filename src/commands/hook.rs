//! `guard hook NAME`: what the installed hook scripts run. Findings block
//! (exit 1) with the block message on standard error; any error blocks too
//! (exit 2), saying how to fix it or bypass on purpose.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::cli::{GitHook, HookArgs, HookName};
use crate::git::Repo;
use crate::git::staged_diff::StagedDiff;
use crate::pipeline::SkipReason;
use crate::report;
use crate::sources::{messages, push, staged};

/// Runs one hook.
///
/// # Errors
/// Whatever kept guard from checking; the message says how to bypass.
pub fn run(args: &HookArgs) -> Result<Outcome> {
    let (hook, push_input) = match &args.hook {
        HookName::Assistant(host) => return Ok(super::hook_assistant::run(*host)),
        HookName::Git(hook) => (hook.clone(), None),
        HookName::Framework => from_framework()?,
    };
    let hook = &hook;
    let (action, bypass) = match hook {
        GitHook::PreMergeCommit => ("merge", "git merge --no-verify"),
        GitHook::PrePush { .. } => ("push", "git push --no-verify"),
        _ => ("commit", "git commit --no-verify"),
    };
    check(hook, action, push_input).with_context(|| {
        format!("the {action} is blocked because guard could not check it; fix the cause below, or bypass guard on purpose with `{bypass}`")
    })
}

/// The most pre-push input read: about 100,000 refs.
const PUSH_INPUT_LIMIT: u64 = 16 << 20;

/// The hook the pre-commit framework's stage stands for, and for a push
/// the lines git would have written on pre-push's standard input.
fn from_framework() -> Result<(GitHook, Option<String>)> {
    let var = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let Some(push) = crate::framework::push_from_env(&var) else {
        return Ok((GitHook::PreCommit, None));
    };
    let commit = |name: &str| -> Result<String> {
        let id = crate::git::command::output(
            Path::new("."),
            &["rev-parse", "--verify", "-q", &format!("{name}^{{commit}}")],
        )
        .with_context(|| {
            format!(
                "the pre-commit framework names {}, which is no commit here",
                crate::safe_text::name(name)
            )
        })?;
        Ok(String::from_utf8_lossy(&id).into_owned())
    };
    let local = commit(&push.local)?;
    let remote = match &push.remote_had {
        Some(had) => commit(had).unwrap_or_else(|_| had.clone()),
        None => "0".repeat(local.len()),
    };
    let line = format!("{} {local} {} {remote}\n", push.local_ref, push.remote_ref);
    Ok((GitHook::PrePush { remote: push.remote, url: Some(push.url) }, Some(line)))
}

fn check(hook: &GitHook, action: &str, push_input: Option<String>) -> Result<Outcome> {
    let repo = Repo::open_from_env()?;
    let promisor = repo.promisor_remote();
    // git compares the index while guard loads its rules.
    let staged_diff = match hook {
        GitHook::PreCommit | GitHook::PreMergeCommit => Some(StagedDiff::spawn(promisor.is_some())?),
        _ => None,
    };
    let mut plan = Plan::for_repo(&repo, None)?;
    // A hook checks a change whole, whatever its size.
    plan.pipeline = plan.pipeline.without_size_limit();
    let pipeline = &plan.pipeline;
    let mut results = match hook {
        GitHook::PreCommit | GitHook::PreMergeCommit => {
            let diff = staged_diff.context("the staged diff was started above")?;
            staged::check_staged(&repo, pipeline, diff)?
        }
        GitHook::PrePush { remote, url } => {
            let input = match push_input {
                Some(input) => input,
                None => crate::small_file::read_stdin(PUSH_INPUT_LIMIT, "the pushed refs on standard input")?,
            };
            let lines = crate::git::parse::push_lines(&input)?;
            // git passes the URL it pushes to, rewritten; a caller that
            // passes only a name gets no remote's tracking refs counted.
            let destination = url.as_deref().unwrap_or(remote);
            push::check_push(&repo, pipeline, destination, &lines)?
        }
        GitHook::CommitMsg { file } => {
            let style = crate::git::commit_template::comment_style(Path::new("."))?;
            messages::check_message_file(pipeline, file, &style)?
        }
    };
    if let Some(error) = results.errors.first() {
        anyhow::bail!("{error} ({} could not be read in all)", results.errors.len());
    }
    // A hook cannot vouch for what it did not read: fail closed.
    let not_local: Vec<_> = results.skipped.iter().filter(|s| s.reason == SkipReason::NotLocal).collect();
    if let Some(first) = not_local.first() {
        let place = first.path.as_deref().map_or_else(String::new, |p| report::shown_path(p, false));
        let blob = first.blob.map(|oid| oid.to_string()).unwrap_or_default();
        anyhow::bail!(
            "blob {blob} at {place} is not in this repository ({} not read in all); {}",
            not_local.len(),
            report::partial_clone_hint(promisor.as_deref().unwrap_or("origin"))
        );
    }
    // A commit is judged by what HEAD accepts; each pushed commit by what
    // its parent accepted.
    let judge = if matches!(hook, GitHook::PrePush { .. }) { Judge::ParentOfEach } else { Judge::Head };
    plan.acceptance.apply(Some(&repo), judge, &mut results.findings, &mut results.accepted)?;
    super::say_acceptance(&plan, &results.accepted, false);
    if results.findings.is_empty() {
        return Ok(Outcome::Clean);
    }
    let mut err = std::io::stderr().lock();
    let _ = report::blocked::write(&mut err, &results.findings, action);
    if judge == Judge::Head && !plan.acceptance.uncommitted.is_empty() {
        let _ = writeln!(err, "{}", report::blocked::uncommitted_acceptance(&plan.acceptance.uncommitted));
    }
    Ok(Outcome::Findings)
}
