//! `guard hook NAME`: what the installed hook scripts run. Findings block
//! (exit 1) with the block message on standard error; any error blocks too
//! (exit 2), saying how to fix it or bypass on purpose.

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::{GitHook, HookArgs, HookName};
use crate::git::Repo;
use crate::git::changes::StagedDiff;
use crate::pipeline::Pipeline;
use crate::report;
use crate::scan::finding::SourceKind;
use crate::scan::scanner::ScanScratch;
use crate::sources::{Chunk, push, staged};

/// The line (after git's comment character, `#` unless `core.commentChar`
/// says otherwise) above which `git commit -v` puts the message and below
/// which the diff, which pre-commit checked already.
const SCISSORS: &[u8] = b" ------------------------ >8 ------------------------";

/// Runs one hook.
///
/// # Errors
/// Whatever kept guard from checking; the message says how to bypass.
pub fn run(args: &HookArgs) -> Result<Outcome> {
    let hook = match &args.hook {
        HookName::Claude => return super::hook_claude::run(),
        HookName::Git(hook) => hook,
    };
    let (action, bypass) = match hook {
        GitHook::PreMergeCommit => ("merge", "git merge --no-verify"),
        GitHook::PrePush { .. } => ("push", "git push --no-verify"),
        _ => ("commit", "git commit --no-verify"),
    };
    check(hook, action).with_context(|| {
        format!("the {action} is blocked because guard could not check it; fix the cause below, or bypass guard on purpose with `{bypass}`")
    })
}

fn check(hook: &GitHook, action: &str) -> Result<Outcome> {
    // git compares the index while guard loads its rules.
    let staged_diff = match hook {
        GitHook::PreCommit | GitHook::PreMergeCommit => Some(StagedDiff::spawn()?),
        _ => None,
    };
    let repo = Repo::open_from_env()?;
    let config = super::load_config_at(None, repo.work_tree())?;
    let pipeline = Pipeline::new(&config)?;
    let findings = match hook {
        GitHook::PreCommit | GitHook::PreMergeCommit => {
            staged::scan_diff(&repo, &pipeline, staged_diff.context("the staged diff was started above")?)?
        }
        GitHook::PrePush { remote, .. } => {
            let mut input = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut input)
                .context("reading the pushed refs from standard input")?;
            let lines = push::parse_lines(&input)?;
            push::scan(&repo, &pipeline, remote, &lines)?
        }
        GitHook::CommitMsg { file } => {
            let message = std::fs::read(file)
                .with_context(|| format!("reading the commit message {}", file.display()))?;
            let end = memchr::memmem::find_iter(&message, SCISSORS)
                .find(|&at| at >= 1 && (at == 1 || message[at - 2] == b'\n'))
                .map_or(message.len(), |at| at - 1);
            let chunk = Chunk {
                data: &message[..end],
                path: None,
                source: SourceKind::Message,
                first_line: 1,
                only_lines: None,
            };
            let mut findings = Vec::new();
            pipeline.scan_chunk(&chunk, &mut ScanScratch::default(), &mut findings);
            findings
        }
    };
    if findings.is_empty() {
        return Ok(Outcome::Clean);
    }
    let mut err = std::io::stderr().lock();
    let _ = report::blocked::write(&mut err, &findings, action);
    Ok(Outcome::Findings)
}
