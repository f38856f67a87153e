//! `guard hook claude`: Claude Code's hook protocol. The event is JSON on
//! standard input; exit 0 allows it, exit 2 blocks it with the reason on
//! standard error (only 2 blocks in Claude Code, so findings and errors
//! both exit 2 here).

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::assistant::claude_hook;
use crate::policy::acceptance::Accepted;

/// Runs the hook on the event on standard input.
///
/// # Errors
/// An unreadable or malformed event, or invalid configuration; `main`
/// prints it and exits 2, which blocks.
pub fn run() -> Result<Outcome> {
    check().context("guard could not check this step, so it is blocked; fix the cause below, or remove guard's hooks from .claude/settings.json (`guard uninstall --claude`)")
}

/// The largest event read: a prompt or a file write far larger than an
/// assistant's context.
const EVENT_LIMIT: u64 = 64 << 20;

fn check() -> Result<Outcome> {
    let input = crate::small_file::read_stdin(EVENT_LIMIT, "the hook event on standard input")?;
    let event: serde_json::Value =
        serde_json::from_str(&input).context("the hook event on standard input is not JSON")?;
    let cwd = claude_hook::event_cwd(&event)?;
    let (mut plan, repo) = Plan::for_dir(&cwd, None)?;
    // A hook judges what it is shown whole, whatever its size.
    plan.pipeline = plan.pipeline.without_size_limit();
    let Some(mut block) = claude_hook::judge(&event, &plan.pipeline)? else {
        return Ok(Outcome::Clean);
    };
    // What the assistant writes is not committed: HEAD's files judge it.
    let mut accepted = Accepted::new();
    plan.acceptance.apply(repo.as_ref(), Judge::Head, &mut block.findings, &mut accepted)?;
    super::say_acceptance(&plan, &accepted, false);
    if block.findings.is_empty() {
        return Ok(Outcome::Clean);
    }
    let _ = crate::report::assistant::write(&mut std::io::stderr().lock(), &block);
    // Claude Code blocks on exit 2 only.
    Ok(Outcome::Error)
}
