//! What a push would send, as pre-push sees it: every line git writes on
//! standard input (`local-ref local-oid remote-ref remote-oid`), each
//! pushed commit's added lines (a merge's own lines included), its
//! message, and the message of a pushed tag. Deletions send nothing.

use anyhow::{Context, Result, bail};

use crate::git::{Oid, Repo};
use crate::pipeline::Pipeline;
use crate::scan::finding::{CommitInfo, Finding, SourceKind};
use crate::scan::scanner::ScanScratch;
use crate::sources::{Chunk, git_path, is_binary};

/// An object id from a pre-push line, where all zeros means "none" (a
/// deletion, or a ref the remote does not have yet). SHA-1 ids are 40 hex
/// digits, SHA-256 ids 64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaybeZeroOid {
    /// All zeros.
    Zero,
    /// A real object id.
    Oid(Oid),
}

impl MaybeZeroOid {
    /// Parses 40 or 64 hex digits.
    ///
    /// # Errors
    /// Anything else.
    pub fn parse(text: &str) -> Result<MaybeZeroOid> {
        if !matches!(text.len(), 40 | 64) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!("{text:?} is not an object id");
        }
        if text.bytes().all(|b| b == b'0') {
            return Ok(MaybeZeroOid::Zero);
        }
        Ok(MaybeZeroOid::Oid(Oid::from_str(text).with_context(|| format!("{text:?} is not an object id"))?))
    }
}

/// One line of pre-push's standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    /// The local ref pushed (`refs/heads/main`), or `(delete)`.
    pub local_ref: String,
    /// What it points at; zero for a deletion.
    pub local: MaybeZeroOid,
    /// The remote ref updated.
    pub remote_ref: String,
    /// Its value on the remote; zero if the remote does not have it.
    pub remote: MaybeZeroOid,
}

/// Parses every non-empty line of pre-push's standard input.
///
/// # Errors
/// A line that is not four fields with valid ids.
pub fn parse_lines(input: &str) -> Result<Vec<PushLine>> {
    input
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [local_ref, local, remote_ref, remote] = fields[..] else {
                bail!("unexpected pre-push line {line:?}: git writes `local-ref local-oid remote-ref remote-oid`");
            };
            Ok(PushLine {
                local_ref: local_ref.to_string(),
                local: MaybeZeroOid::parse(local)?,
                remote_ref: remote_ref.to_string(),
                remote: MaybeZeroOid::parse(remote)?,
            })
        })
        .collect()
}

/// Scans what pushing `lines` to `remote` would send.
///
/// # Errors
/// A missing or corrupt object.
pub fn scan(repo: &Repo, pipeline: &Pipeline, remote: &str, lines: &[PushLine]) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut scratch = ScanScratch::default();
    let mut scanned: std::collections::HashSet<Oid> = std::collections::HashSet::new();
    for line in lines {
        let MaybeZeroOid::Oid(local) = line.local else { continue };
        let pushed = repo.peel_pushed(local)?;
        let old = match line.remote {
            MaybeZeroOid::Oid(old) => Some(old),
            MaybeZeroOid::Zero => None,
        };
        let commits = repo.pushed_commits(pushed.commit, old, remote)?;
        if let Some(message) = &pushed.tag_message {
            let commit = info(repo, pushed.commit)?;
            scan_message(pipeline, message, &commit, &mut scratch, &mut findings);
        }
        for oid in commits {
            if !scanned.insert(oid) {
                continue;
            }
            let commit = info(repo, oid)?;
            scan_message(pipeline, &repo.commit_message(oid)?, &commit, &mut scratch, &mut findings);
            for file in repo.commit_changes(oid)? {
                let path = git_path(&file.path);
                let mut found = Vec::new();
                if file.new_path {
                    pipeline.check_path(&path, SourceKind::Commit, &mut found);
                }
                if !file.added.is_empty() {
                    let data = repo.blob(file.blob)?;
                    if !is_binary(&data) && !super::staged::is_lfs_pointer(&data) {
                        let chunk = Chunk {
                            data: &data,
                            path: Some(&path),
                            source: SourceKind::Commit,
                            first_line: 1,
                            only_lines: Some(&file.added),
                        };
                        pipeline.scan_chunk(&chunk, &mut scratch, &mut found);
                    }
                }
                findings.extend(found.into_iter().map(|mut f| {
                    f.commit = Some(Box::new(commit.clone()));
                    f
                }));
            }
        }
    }
    Ok(findings)
}

fn scan_message(
    pipeline: &Pipeline,
    message: &[u8],
    commit: &CommitInfo,
    scratch: &mut ScanScratch,
    findings: &mut Vec<Finding>,
) {
    let chunk =
        Chunk { data: message, path: None, source: SourceKind::Message, first_line: 1, only_lines: None };
    let mut found = Vec::new();
    pipeline.scan_chunk(&chunk, scratch, &mut found);
    findings.extend(found.into_iter().map(|mut f| {
        f.commit = Some(Box::new(commit.clone()));
        f
    }));
}

fn info(repo: &Repo, oid: Oid) -> Result<CommitInfo> {
    let meta = repo.commit_meta(oid)?;
    Ok(CommitInfo { oid: oid.to_string(), author: meta.author, email: meta.email, time: meta.time })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_ids_of_both_lengths_and_every_line() {
        let sha1 = "a".repeat(40);
        let input = format!(
            "refs/heads/main {sha1} refs/heads/main {}\n(delete) {} refs/heads/old {sha1}\n\n",
            "0".repeat(40),
            "0".repeat(64)
        );
        let lines = parse_lines(&input).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].remote, MaybeZeroOid::Zero);
        assert_eq!(lines[1].local, MaybeZeroOid::Zero);
        assert!(matches!(lines[0].local, MaybeZeroOid::Oid(_)));
        assert!(parse_lines("refs/heads/main abc refs/heads/main def\n").is_err());
        assert!(parse_lines("only three fields\n").is_err());
    }
}
