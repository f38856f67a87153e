//! `guard hook HOST`: what an assistant's hook runs. The host's payload is
//! read by its adapter (`assistant/hosts/`), each action judged by the
//! shared checks, what HEAD's files accept dropped, and the answer given in
//! the host's protocol: allowed, blocked with a reason that names each
//! secret redacted, or (a tool's output, where the host lets a hook
//! replace it) the output masked. When guard cannot check a step it blocks
//! it, in the host's protocol too: hosts that ignore a failed hook still
//! read a block.

use anyhow::{Context, Result};

use super::plan::{Judge, Plan};
use crate::Outcome;
use crate::assistant::checks::{self, Action};
use crate::assistant::exposure;
use crate::assistant::gate_bypass::GatePaths;
use crate::assistant::hook_files;
use crate::assistant::hosts::{self, Event, Host, Verdict};
use crate::policy::acceptance::Accepted;
use crate::report::assistant::Block;

/// Runs `host`'s hook on the event on standard input, and answers it.
pub fn run(host: Host) -> Outcome {
    let (event, verdict) = match check(host) {
        Ok((event, verdict)) => (Some(event), verdict),
        Err((event, err)) => {
            let text = crate::report::names::masked_text(&format!("{err:#}"));
            let reason = format!(
                "guard could not check this step, so it is blocked: {text}\nFix the cause, or remove guard's hooks with `guard uninstall --assistant {}`",
                host.word()
            );
            (event, Verdict::Block(reason))
        }
    };
    let reply = hosts::reply(host, event.as_ref(), &verdict);
    if !reply.stdout.is_empty() {
        crate::report::say(format_args!("{}", reply.stdout.trim_end()));
    }
    if !reply.stderr.is_empty() {
        eprint!("{}", reply.stderr);
    }
    reply.outcome()
}

/// The largest event read: a prompt or a file write far larger than an
/// assistant's context.
const EVENT_LIMIT: u64 = 64 << 20;

type Failure = (Option<Event>, anyhow::Error);

fn check(host: Host) -> std::result::Result<(Event, Verdict), Failure> {
    let event = read_event(host).map_err(|err| (None, err))?;
    match judge(host, &event) {
        Ok(verdict) => Ok((event, verdict)),
        Err(err) => Err((Some(event), err)),
    }
}

fn read_event(host: Host) -> Result<Event> {
    let input = crate::small_file::read_stdin(EVENT_LIMIT, "the hook event on standard input")?;
    // Some hosts on Windows start their JSON with byte-order marks.
    let payload: serde_json::Value = serde_json::from_str(input.trim_start_matches('\u{feff}'))
        .context("the hook event on standard input is not JSON")?;
    hosts::parse(host, &payload)
}

fn judge(host: Host, event: &Event) -> Result<Verdict> {
    if event.actions.is_empty() {
        return Ok(Verdict::Allow);
    }
    // A host running another's hooks, whose own hooks file has guard too:
    // that hook judges this event.
    if event.sent_by != host && hook_files::has_guard_hooks(event.sent_by, &event.cwd) {
        return Ok(Verdict::Allow);
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
        return Ok(Verdict::Allow);
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
        let output = hosts::payload::masked(output, &secrets);
        return Ok(Verdict::Mask { output, count: found.findings.len() });
    }
    let block = Block { what: what.join(", "), findings: found.findings, reasons: found.reasons };
    let mut reason = Vec::new();
    crate::report::assistant::write(&mut reason, &block).context("writing the reason")?;
    Ok(Verdict::Block(String::from_utf8_lossy(&reason).into_owned()))
}
