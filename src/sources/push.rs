//! What a push would send, as pre-push sees it: for every line git writes
//! on standard input (`local-ref local-oid remote-ref remote-oid`), each
//! pushed commit's added lines (a merge's own lines included), its new file
//! names, its message, the message of a pushed tag, and the names of the
//! refs pushed. Deletions send nothing. A commit counts as known to the
//! destination only when its old value of a ref, or the tracking refs of
//! a remote fetched from the same repository, reach it.

use std::collections::HashSet;

use anyhow::Result;

use crate::git::parse::PushLine;
use crate::git::{MaybeZeroOid, Oid, Repo};
use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::{CommitInfo, SourceKind};

/// What pushing `lines` to the repository at `url` would send, checked:
/// every pushed commit the destination is not known to have.
///
/// # Errors
/// A missing or corrupt object, or the remotes cannot be listed.
pub fn check_push(repo: &Repo, pipeline: &Pipeline, url: &str, lines: &[PushLine]) -> Result<Results> {
    let fetched_from = repo.remotes_fetched_from(url)?;
    let mut results = Results::default();
    let mut scratch = Scratch::default();
    let mut scanned: HashSet<Oid> = HashSet::new();
    for line in lines {
        let MaybeZeroOid::Oid(local) = line.local else { continue };
        let pushed = repo.peel_pushed(local)?;
        let old = match line.remote {
            MaybeZeroOid::Oid(old) => Some(old),
            MaybeZeroOid::Zero => None,
        };
        let commits = repo.pushed_commits(pushed.commit, old, &fetched_from)?;
        let tip = commit_info(repo, pushed.commit)?;
        // The name the remote will show, and the local one if it differs.
        pipeline.check_ref(&line.remote_ref, Some(&tip), &mut scratch, &mut results);
        if line.local_ref != line.remote_ref {
            pipeline.check_ref(&line.local_ref, Some(&tip), &mut scratch, &mut results);
        }
        if let Some(message) = &pushed.tag_message {
            super::messages::check_message(pipeline, message, Some(&tip), &mut scratch, &mut results);
        }
        for oid in commits {
            if !scanned.insert(oid) {
                continue;
            }
            let commit = commit_info(repo, oid)?;
            let message = repo.commit_message(oid)?;
            super::messages::check_message(pipeline, &message, Some(&commit), &mut scratch, &mut results);
            for file in repo.commit_changes(oid)? {
                let path = crate::git::path_from_bytes(&file.path);
                let origin = Origin {
                    blob: Some(file.blob),
                    commit: Some(&commit),
                    ..Origin::file(SourceKind::Commit, &path)
                };
                if file.new_path {
                    pipeline.check_path(origin, &mut scratch, &mut results);
                }
                super::blob::check_changed_file(repo, pipeline, &file, origin, &mut scratch, &mut results)?;
            }
        }
    }
    Ok(results)
}

fn commit_info(repo: &Repo, oid: Oid) -> Result<CommitInfo> {
    let author = repo.commit_author(oid)?;
    Ok(CommitInfo { oid: oid.to_string(), author: author.name, email: author.email, time: author.time })
}
