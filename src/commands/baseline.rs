//! `guard baseline [--update]`: scan the work tree as `guard scan` would,
//! ignoring any existing baseline, and write every finding's fingerprint to
//! `.guard-baseline.toml` (version 2) at the work tree's root. It accepts
//! nothing until committed.

use anyhow::{Context, Result, bail};

use super::plan::Judge;
use crate::Outcome;
use crate::cli::BaselineArgs;
use crate::policy::baseline::{self, FILE_NAME};
use crate::report::say;
use crate::sources::files;

/// Runs `guard baseline`.
///
/// # Errors
/// Not in a work tree, an existing baseline without `--update`, invalid
/// configuration, or a file that cannot be read or written.
pub fn run(args: &BaselineArgs) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let root = crate::git::work_tree_root(&cwd).context("guard baseline works inside a git work tree")?;
    let path = root.join(FILE_NAME);
    let previous = baseline::read(&root)?;
    if previous.is_some() && !args.update {
        bail!(
            "{} exists; run `guard baseline --update` to add new findings and drop stale ones",
            path.display()
        );
    }
    let (plan, repo) = super::plan::Plan::for_cwd(None)?;
    let acceptance = plan.acceptance.without_baselines();
    // Paths relative to the root, as hooks see them: a file-name finding's
    // fingerprint is made of its rule and path.
    std::env::set_current_dir(&root).with_context(|| format!("entering {}", root.display()))?;
    let mut outcome = files::check_paths(&plan.pipeline, &[std::path::PathBuf::from(".")], false);
    if let Some(error) = outcome.errors.first() {
        bail!("{error} (the baseline was not written)");
    }
    // What HEAD's guard.toml (or the user's) accepts needs no entry.
    acceptance.apply(repo.as_ref(), Judge::Head, &mut outcome.findings, &mut outcome.accepted)?;
    let mut entries = baseline::entries(&outcome.findings);
    // The baseline is committed: a path shown there for people never holds
    // a secret in clear.
    for entry in &mut entries {
        entry.path = crate::report::names::masked_name(&entry.path, false).into_owned();
    }
    std::fs::write(&path, baseline::render(&entries))
        .with_context(|| format!("writing {}", path.display()))?;
    let old: Vec<String> = previous.unwrap_or_default().entries.into_iter().map(|e| e.fingerprint).collect();
    let added = entries.iter().filter(|e| !old.contains(&e.fingerprint)).count();
    let dropped = old.iter().filter(|f| !entries.iter().any(|e| &e.fingerprint == *f)).count();
    say(format_args!(
        "guard: wrote {} ({} accepted: {added} new, {dropped} dropped)",
        path.display(),
        entries.len()
    ));
    Ok(Outcome::Clean)
}
