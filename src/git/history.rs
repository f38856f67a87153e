//! What a history holds, enumerated once: the commits (parents before
//! children), every (blob, path) pair with the first commit that had it, the
//! commit and tag messages, the refs, and the blobs of HEAD's tree. Blobs are
//! found by comparing each commit's tree with its first parent's, entering
//! only subtrees whose ids differ, so each pair is visited once.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result, bail};
use git2::{ObjectType, Oid, Sort, TreeWalkMode, TreeWalkResult};

use super::Repo;

/// Which commits to enumerate.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Revisions and ranges (`main`, `v1.0..HEAD`, `^old`); empty: every ref.
    pub revisions: Vec<String>,
    /// Only commits whose committer time is at or after this (Unix seconds).
    pub since: Option<i64>,
}

/// A commit, by its index in [`Inventory::commits`].
#[derive(Debug, Clone)]
pub struct Commit {
    /// Its id.
    pub oid: Oid,
    /// Indices of its parents that are in the inventory (a shallow boundary
    /// or `--since` leaves some out).
    pub parents: Vec<u32>,
    /// Its message.
    pub message: Vec<u8>,
}

/// A unique blob and where it appeared.
#[derive(Debug, Clone)]
pub struct Blob {
    /// Its id.
    pub oid: Oid,
    /// Each path it had, with the first commit (index) that had it there.
    pub appearances: Vec<(u32, u32)>,
}

/// An annotated tag's message.
#[derive(Debug, Clone)]
pub struct TagMessage {
    /// The tag's name (`v1.0`).
    pub name: String,
    /// The tag object's id.
    pub oid: Oid,
    /// Its message.
    pub message: Vec<u8>,
    /// The commit it points at, if it is in the inventory.
    pub commit: Option<u32>,
}

/// A branch, tag or other ref and the commit it reaches.
#[derive(Debug, Clone)]
pub struct RefTip {
    /// Short name (`main`, `v1.0`, `origin/main`, `stash`).
    pub name: String,
    /// Index of the commit it points at.
    pub commit: u32,
}

/// Everything `scan-history` needs to know about the history.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Commits, parents before children.
    pub commits: Vec<Commit>,
    /// Every path that ever held a file.
    pub paths: Vec<Vec<u8>>,
    /// First commit (index) that had each path.
    pub path_first_commit: Vec<u32>,
    /// Every unique blob, in order of first appearance.
    pub blobs: Vec<Blob>,
    /// Annotated tags' messages.
    pub tags: Vec<TagMessage>,
    /// Refs with their commits (empty when revisions were given).
    pub refs: Vec<RefTip>,
    /// Blobs in HEAD's tree.
    pub head_blobs: HashSet<Oid>,
    /// Paths of files in HEAD's tree.
    pub head_paths: HashSet<Vec<u8>>,
}

/// Author and date of a commit.
#[derive(Debug, Clone)]
pub struct CommitMeta {
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author time, Unix seconds.
    pub time: i64,
}

impl Repo {
    /// Enumerates the history `selection` picks, calling `on_new_blob` for
    /// each unique blob as it is found (in the order of `Inventory::blobs`),
    /// so that reading can start before the walk ends.
    ///
    /// # Errors
    /// A revision that does not resolve, a missing or corrupt object, or an
    /// error from `on_new_blob`.
    pub fn inventory(
        &self,
        selection: &Selection,
        on_new_blob: &mut dyn FnMut(Oid) -> Result<()>,
    ) -> Result<Inventory> {
        let repo = &self.inner;
        let mut inventory = Inventory::default();
        let mut walk = repo.revwalk().context("starting the commit walk")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE).context("sorting the commit walk")?;
        let mut ref_targets: Vec<(String, Oid)> = Vec::new();
        if selection.revisions.is_empty() {
            for reference in repo.references().context("listing refs")? {
                let reference = reference.context("reading a ref")?;
                let Ok(commit) = reference.peel_to_commit() else { continue };
                walk.push(commit.id()).context("walking from a ref")?;
                let name = reference.shorthand().unwrap_or("?").to_string();
                if let Ok(tag) = reference.peel(ObjectType::Tag)
                    && let Some(tag) = tag.as_tag()
                {
                    inventory.tags.push(TagMessage {
                        name: name.clone(),
                        oid: tag.id(),
                        message: tag.message_bytes().unwrap_or_default().to_vec(),
                        commit: None,
                    });
                }
                ref_targets.push((name, commit.id()));
            }
        } else {
            for revision in &selection.revisions {
                push_revision(repo, &mut walk, revision)?;
            }
        }

        let mut index_of: HashMap<Oid, u32> = HashMap::new();
        let mut recorder = Recorder {
            on_new_blob,
            commit: 0,
            path_ids: HashMap::new(),
            blob_ids: HashMap::new(),
            seen: HashSet::new(),
        };
        for oid in walk {
            let oid = oid.context("walking commits")?;
            let commit = repo.find_commit(oid).with_context(|| format!("reading commit {oid}"))?;
            if selection.since.is_some_and(|since| commit.time().seconds() < since) {
                continue;
            }
            let index = u32::try_from(inventory.commits.len()).context("too many commits")?;
            index_of.insert(oid, index);
            let parents: Vec<u32> = commit.parent_ids().filter_map(|p| index_of.get(&p).copied()).collect();
            // Compare with the first parent's tree, even when a range or
            // --since leaves that parent out (what came in before is not
            // this selection's); only a root or a shallow boundary, which
            // have no parent, bring in their whole tree.
            let base = match commit.parent_ids().next() {
                Some(parent) => Some(
                    repo.find_commit(parent).with_context(|| format!("reading commit {parent}"))?.tree_id(),
                ),
                None => None,
            };
            recorder.commit = index;
            let mut prefix = Vec::new();
            recorder
                .diff(repo, base, commit.tree_id(), &mut prefix, &mut inventory)
                .with_context(|| format!("reading the tree of commit {oid}"))?;
            inventory.commits.push(Commit { oid, parents, message: commit.message_bytes().to_vec() });
        }

        for (name, oid) in ref_targets {
            if let Some(&commit) = index_of.get(&oid) {
                inventory.refs.push(RefTip { name, commit });
            }
        }
        for tag in &mut inventory.tags {
            let target = repo
                .find_tag(tag.oid)
                .ok()
                .and_then(|t| t.target().ok())
                .and_then(|o| o.peel_to_commit().ok());
            tag.commit = target.and_then(|c| index_of.get(&c.id()).copied());
        }
        if let Ok(head) = repo.head()
            && let Ok(tree) = head.peel_to_tree()
        {
            tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() == Some(ObjectType::Blob) {
                    inventory.head_blobs.insert(entry.id());
                    let mut path = dir.as_bytes().to_vec();
                    path.extend_from_slice(entry.name_bytes());
                    inventory.head_paths.insert(path);
                }
                TreeWalkResult::Ok
            })
            .context("walking HEAD's tree")?;
        }
        Ok(inventory)
    }

    /// Author, email and author time of a commit.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn commit_meta(&self, oid: Oid) -> Result<CommitMeta> {
        let commit = self.inner.find_commit(oid).with_context(|| format!("reading commit {oid}"))?;
        let author = commit.author();
        Ok(CommitMeta {
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time: author.when().seconds(),
        })
    }
}

/// Records new (blob, path) pairs while diffing trees.
struct Recorder<'a> {
    on_new_blob: &'a mut dyn FnMut(Oid) -> Result<()>,
    commit: u32,
    path_ids: HashMap<Vec<u8>, u32>,
    blob_ids: HashMap<Oid, u32>,
    seen: HashSet<(Oid, u32)>,
}

impl Recorder<'_> {
    /// Walks `new` against `old` (same path `prefix`), entering only
    /// subtrees whose ids differ, and records every blob entry that is new
    /// or changed. Entries are matched by name in git's tree order, where a
    /// tree's name sorts as if it ended in `/`.
    fn diff(
        &mut self,
        repo: &git2::Repository,
        old: Option<Oid>,
        new: Oid,
        prefix: &mut Vec<u8>,
        inventory: &mut Inventory,
    ) -> Result<()> {
        let new_tree = repo.find_tree(new).with_context(|| format!("reading tree {new}"))?;
        let old_tree = match old {
            Some(old) => Some(repo.find_tree(old).with_context(|| format!("reading tree {old}"))?),
            None => None,
        };
        let mut old_entries = old_tree.iter().flat_map(|t| t.iter()).peekable();
        for entry in new_tree.iter() {
            let name = entry.name_bytes();
            let is_tree = entry.kind() == Some(ObjectType::Tree);
            let mut previous = None;
            while let Some(candidate) = old_entries.peek() {
                let candidate_tree = candidate.kind() == Some(ObjectType::Tree);
                match tree_order(candidate.name_bytes(), candidate_tree, name, is_tree) {
                    std::cmp::Ordering::Less => {
                        old_entries.next();
                    }
                    std::cmp::Ordering::Equal => {
                        previous = old_entries.next();
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if previous.as_ref().is_some_and(|p| p.id() == entry.id() && p.filemode() == entry.filemode()) {
                continue;
            }
            let length = prefix.len();
            prefix.extend_from_slice(name);
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    let old_subtree = previous.filter(|p| p.kind() == Some(ObjectType::Tree)).map(|p| p.id());
                    prefix.push(b'/');
                    self.diff(repo, old_subtree, entry.id(), prefix, inventory)?;
                }
                Some(ObjectType::Blob) => self.record(entry.id(), prefix, inventory)?,
                _ => {} // a submodule's commit: its content is not in this repository
            }
            prefix.truncate(length);
        }
        Ok(())
    }

    fn record(&mut self, blob: Oid, path: &[u8], inventory: &mut Inventory) -> Result<()> {
        let path_id = match self.path_ids.get(path) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(inventory.paths.len()).context("too many paths")?;
                self.path_ids.insert(path.to_vec(), id);
                inventory.paths.push(path.to_vec());
                inventory.path_first_commit.push(self.commit);
                id
            }
        };
        if !self.seen.insert((blob, path_id)) {
            return Ok(());
        }
        let blob_id = match self.blob_ids.get(&blob) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(inventory.blobs.len()).context("too many blobs")?;
                self.blob_ids.insert(blob, id);
                inventory.blobs.push(Blob { oid: blob, appearances: Vec::new() });
                (self.on_new_blob)(blob)?;
                id
            }
        };
        inventory.blobs[blob_id as usize].appearances.push((path_id, self.commit));
        Ok(())
    }
}

/// git's tree entry order: bytewise, a tree's name compared as if it ended
/// in `/`.
fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let a_end = if a_tree { Some(b'/') } else { None };
    let b_end = if b_tree { Some(b'/') } else { None };
    a.iter().copied().map(Some).chain([a_end]).cmp(b.iter().copied().map(Some).chain([b_end]))
}

fn push_revision(repo: &git2::Repository, walk: &mut git2::Revwalk<'_>, revision: &str) -> Result<()> {
    if revision.contains("..") {
        if revision.contains("...") {
            bail!("{revision}: symmetric ranges (A...B) are not supported; use A..B");
        }
        return walk.push_range(revision).with_context(|| format!("{revision}: not a valid range"));
    }
    if let Some(hidden) = revision.strip_prefix('^') {
        let object = repo.revparse_single(hidden).with_context(|| format!("{hidden}: unknown revision"))?;
        let commit = object.peel_to_commit().with_context(|| format!("{hidden}: not a commit"))?;
        return walk.hide(commit.id()).with_context(|| format!("hiding {hidden}"));
    }
    let object = repo.revparse_single(revision).with_context(|| format!("{revision}: unknown revision"))?;
    let commit = object.peel_to_commit().with_context(|| format!("{revision}: not a commit"))?;
    walk.push(commit.id()).with_context(|| format!("walking from {revision}"))
}
