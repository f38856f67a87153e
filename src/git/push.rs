//! What a push sends: the commits reachable from a pushed object that the
//! destination is not known to have (its old value of the ref, the
//! tracking refs of the remotes fetched from the same repository), newest
//! last, and what a pushed tag says.

use std::path::Path;

use anyhow::{Context, Result};
use git2::{ObjectType, Sort};

use super::binary::GitStore;
use super::parse::{self, ObjectKind};
use super::{Oid, Repo, Store};

/// A pushed object, peeled.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// The commit it points at.
    pub commit: Oid,
    /// The annotated tag's message, when the object is a tag.
    pub tag_message: Option<Vec<u8>>,
}

impl Repo {
    /// Peels a pushed object id to its commit (and tag message).
    ///
    /// # Errors
    /// The object is missing or points at no commit.
    pub fn peel_pushed(&self, oid: Oid) -> Result<Pushed> {
        let repo = match &self.store {
            Store::Lib(repo) => repo,
            Store::Git(store) => {
                let (commit, tag_message) =
                    peel_through_git(store, oid).with_context(|| format!("reading pushed object {oid}"))?;
                let commit = commit.with_context(|| format!("object {oid} is not a commit or tag"))?;
                return Ok(Pushed { commit, tag_message });
            }
        };
        let object =
            repo.find_object(oid.to_git2()?, None).with_context(|| format!("reading pushed object {oid}"))?;
        let tag_message = object.as_tag().map(|tag| tag.message_bytes().unwrap_or_default().to_vec());
        let commit = object
            .peel(ObjectType::Commit)
            .with_context(|| format!("object {oid} is not a commit or tag"))?;
        Ok(Pushed { commit: Oid::from_git2(commit.id()), tag_message })
    }

    /// The remotes whose remote-tracking refs say what the repository at
    /// `url` (a push's destination as git passes it, rewritten) holds:
    /// those whose fetch URL (the first `remote.<name>.url`, rewritten by
    /// git's `insteadOf` rules) names the same repository. A push URL
    /// never counts: the tracking refs are fetched from the fetch URL, and
    /// a push to any of several push URLs moves them.
    ///
    /// # Errors
    /// The remotes cannot be listed.
    pub fn remotes_fetched_from(&self, url: &str) -> Result<Vec<String>> {
        let destination = super::remote_url::place(url);
        let names: Vec<String> = match &self.store {
            // A name that is not UTF-8 is skipped: its refs are not counted.
            Store::Lib(repo) => repo
                .remotes()
                .context("listing the remotes")?
                .iter()
                .flatten()
                .flatten()
                .map(str::to_string)
                .collect(),
            Store::Git(store) => {
                let listed = store.git(&["remote"]).context("listing the remotes")?;
                String::from_utf8_lossy(&listed).lines().map(str::to_string).collect()
            }
        };
        let mut holding = Vec::new();
        for name in &names {
            // A remote without a URL git can read tells nothing.
            let Ok(fetch_url) = super::command::output(Path::new("."), &["remote", "get-url", "--", name])
            else {
                continue;
            };
            if super::remote_url::place(&String::from_utf8_lossy(&fetch_url)) == destination {
                holding.push(name.to_string());
            }
        }
        Ok(holding)
    }

    /// The commits reachable from `tip` that the destination is not known
    /// to have, parents first: not reachable from `old` (the destination's
    /// value of the ref, when this repository has it) nor from the
    /// remote-tracking refs of the remotes `fetched_from` the destination.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn pushed_commits(&self, tip: Oid, old: Option<Oid>, fetched_from: &[String]) -> Result<Vec<Oid>> {
        let repo = match &self.store {
            Store::Lib(repo) => repo,
            Store::Git(store) => {
                let mut args =
                    vec!["rev-list".to_string(), "--topo-order".into(), "--reverse".into(), tip.to_string()];
                args.push("--not".into());
                if let Some(old) =
                    old.filter(|old| matches!(store.info(*old), Ok(Some((ObjectKind::Commit, _)))))
                {
                    args.push(old.to_string());
                }
                args.extend(fetched_from.iter().map(|remote| format!("--glob=refs/remotes/{remote}/*")));
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let listed = store.git(&args).context("walking pushed commits")?;
                return listed
                    .split(|&b| b == b'\n')
                    .filter(|line| !line.is_empty())
                    .map(|line| Oid::from_hex(line).context("git rev-list wrote a malformed commit id"))
                    .collect();
            }
        };
        let mut walk = repo.revwalk().context("starting the commit walk")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE).context("sorting the commit walk")?;
        walk.push(tip.to_git2()?).with_context(|| format!("walking from {tip}"))?;
        if let Some(old) = old.and_then(|old| old.to_git2().ok()).filter(|old| repo.find_commit(*old).is_ok())
        {
            walk.hide(old).with_context(|| format!("hiding {old}"))?;
        }
        for remote in fetched_from {
            let glob = format!("refs/remotes/{remote}/*");
            for reference in repo.references_glob(&glob).context("listing remote-tracking refs")? {
                let reference = reference.context("reading a remote-tracking ref")?;
                if let Ok(commit) = reference.peel_to_commit() {
                    walk.hide(commit.id()).context("hiding a remote-tracking ref")?;
                }
            }
        }
        walk.map(|oid| oid.map(Oid::from_git2).context("walking pushed commits")).collect()
    }

    /// The message of commit `oid`.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn commit_message(&self, oid: Oid) -> Result<Vec<u8>> {
        Ok(self.commit(oid)?.message)
    }
}

/// The commit object `oid` leads to through annotated tags, read through
/// git (`None` for a tree or blob), and the first tag's message when `oid`
/// is a tag.
///
/// # Errors
/// A missing or malformed object on the way.
pub(super) fn peel_through_git(store: &GitStore, oid: Oid) -> Result<(Option<Oid>, Option<Vec<u8>>)> {
    let (mut current, mut message) = (oid, None);
    // Tags of tags end somewhere: a hundred levels is far past any real
    // repository, and a forged cycle stops here.
    for _ in 0..100 {
        match store.read(current)? {
            Some((ObjectKind::Commit, _)) => return Ok((Some(current), message)),
            Some((ObjectKind::Tag, content)) => {
                let tag = parse::tag_object(&content)?;
                message.get_or_insert(tag.message);
                current = tag.object;
            }
            Some(_) => return Ok((None, message)),
            None => anyhow::bail!("object {current} is missing from the repository"),
        }
    }
    anyhow::bail!("object {oid} is a chain of more than 100 tags")
}
