//! `guard hook claude`: what an assistant's hook runs. The host's payload
//! is read by its adapter (`assistant/claude_code.rs`), each action judged
//! by the shared checks, what HEAD's files accept dropped, and the answer
//! given in the host's protocol: allowed, blocked with a reason that names
//! each secret redacted, or (an MCP tool's output) the output masked.

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::assistant::checks::{self, Action};
use crate::assistant::claude_code;
use crate::assistant::exposure;
use crate::assistant::gate_bypass::GatePaths;
use crate::policy::acceptance::Accepted;
use crate::report::assistant::Block;

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
    let payload: serde_json::Value =
        serde_json::from_str(&input).context("the hook event on standard input is not JSON")?;
    let event = claude_code::parse(&payload)?;
    if event.actions.is_empty() {
        return Ok(Outcome::Clean);
    }
    let (mut plan, repo) = Plan::for_dir(&event.cwd, None)?;
    // A hook judges what it is shown whole, whatever its size.
    plan.pipeline = plan.pipeline.without_size_limit();
    let judge = exposure::Judge { pipeline: &plan.pipeline, cwd: &event.cwd };
    let gate = GatePaths::for_dir(&event.cwd);
    let (mut found, what) = checks::check_all(&judge, &gate, &event.actions)?;
    // What the assistant does is not committed: HEAD's files judge it.
    let mut accepted = Accepted::new();
    plan.acceptance.apply(repo.as_ref(), Judge::Head, &mut found.findings, &mut accepted)?;
    super::say_acceptance(&plan, &accepted, false);
    if found.findings.is_empty() && found.reasons.is_empty() {
        return Ok(Outcome::Clean);
    }
    if let (Some(output), [Action::Output { .. }]) = (&event.output, &event.actions[..]) {
        let secrets: Vec<(String, String)> = found
            .findings
            .iter()
            .flat_map(|f| {
                let mask = f.redacted();
                let encoded =
                    f.encoded.as_ref().map(|e| (String::from_utf8_lossy(e).into_owned(), mask.clone()));
                std::iter::once((String::from_utf8_lossy(&f.secret).into_owned(), mask)).chain(encoded)
            })
            .collect();
        let answer = claude_code::replaced_output(claude_code::masked(output, &secrets), event.mcp);
        crate::report::say(format_args!("{answer}"));
        eprintln!(
            "guard: masked {} secret(s) in this tool's output before the model sees it",
            found.findings.len()
        );
        return Ok(Outcome::Clean);
    }
    let block = Block { what: what.join(", "), findings: found.findings, reasons: found.reasons };
    let _ = crate::report::assistant::write(&mut std::io::stderr().lock(), &block);
    // Claude Code blocks on exit 2 only.
    Ok(Outcome::Error)
}
