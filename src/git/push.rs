//! What a push sends: the commits reachable from a pushed object that the
//! destination is not known to have (its old value of the ref, the
//! tracking refs of the remotes fetched from the same repository), newest
//! last, and what a pushed tag says.

use std::path::Path;

use anyhow::{Context, Result};
use git2::{ObjectType, Sort};

use super::{Oid, Repo};

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
        let object = self
            .inner
            .find_object(oid.to_git2()?, None)
            .with_context(|| format!("reading pushed object {oid}"))?;
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
        let names = self.inner.remotes().context("listing the remotes")?;
        let mut holding = Vec::new();
        for name in &names {
            // A name that is not UTF-8 is skipped: its refs are not counted.
            let Some(name) = name.context("reading a remote's name")? else { continue };
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
        let mut walk = self.inner.revwalk().context("starting the commit walk")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE).context("sorting the commit walk")?;
        walk.push(tip.to_git2()?).with_context(|| format!("walking from {tip}"))?;
        if let Some(old) =
            old.and_then(|old| old.to_git2().ok()).filter(|old| self.inner.find_commit(*old).is_ok())
        {
            walk.hide(old).with_context(|| format!("hiding {old}"))?;
        }
        for remote in fetched_from {
            let glob = format!("refs/remotes/{remote}/*");
            for reference in self.inner.references_glob(&glob).context("listing remote-tracking refs")? {
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
        let commit =
            self.inner.find_commit(oid.to_git2()?).with_context(|| format!("reading commit {oid}"))?;
        Ok(commit.message_bytes().to_vec())
    }
}
