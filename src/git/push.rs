//! What a push sends: the commits reachable from a pushed object that the
//! remote does not have, newest last, and what a pushed tag says.

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

    /// The commits reachable from `tip` that the remote is not known to
    /// have, parents first: not reachable from `old` (the remote's value of
    /// the ref, when this repository has it) nor from the remote-tracking
    /// refs of `remote` (of every remote, when `remote` is a URL).
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn pushed_commits(&self, tip: Oid, old: Option<Oid>, remote: &str) -> Result<Vec<Oid>> {
        let mut walk = self.inner.revwalk().context("starting the commit walk")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE).context("sorting the commit walk")?;
        walk.push(tip.to_git2()?).with_context(|| format!("walking from {tip}"))?;
        if let Some(old) =
            old.and_then(|old| old.to_git2().ok()).filter(|old| self.inner.find_commit(*old).is_ok())
        {
            walk.hide(old).with_context(|| format!("hiding {old}"))?;
        }
        let glob = if self.inner.find_remote(remote).is_ok() {
            format!("refs/remotes/{remote}/*")
        } else {
            String::from("refs/remotes/*")
        };
        for reference in self.inner.references_glob(&glob).context("listing remote-tracking refs")? {
            let reference = reference.context("reading a remote-tracking ref")?;
            if let Ok(commit) = reference.peel_to_commit() {
                walk.hide(commit.id()).context("hiding a remote-tracking ref")?;
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
