//! What a history holds, enumerated once: the commits (parents before
//! children), every (blob, path) pair with the first commit that had it, the
//! commit and tag messages, the refs, and the blobs of HEAD's tree. The
//! (blob, path) pairs come from each commit's changes against its first
//! parent, as `git log --raw` lists them (see `log.rs`); refs, tags and HEAD
//! come from libgit2.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use git2::{ObjectType, TreeWalkMode, TreeWalkResult};

use super::log::{self, Selection};
use super::{Oid, Repo, Store};

/// A commit's place in [`Inventory::commits`] (parents come before children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitIdx(pub u32);

/// A path's place in [`Inventory::paths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathIdx(pub u32);

/// A blob's place in [`Inventory::blobs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobIdx(pub u32);

/// An index into one of the inventory's lists.
fn next_index(len: usize, what: &str) -> Result<u32> {
    u32::try_from(len).with_context(|| format!("too many {what}"))
}

impl Inventory {
    /// The commit at `index`.
    pub fn commit(&self, index: CommitIdx) -> &Commit {
        &self.commits[index.0 as usize]
    }

    /// The path at `index`.
    pub fn path(&self, index: PathIdx) -> &[u8] {
        &self.paths[index.0 as usize]
    }

    /// The blob at `index`.
    pub fn blob(&self, index: BlobIdx) -> &Blob {
        &self.blobs[index.0 as usize]
    }

    /// The first commit that had the path at `index`.
    pub fn path_first_commit(&self, index: PathIdx) -> CommitIdx {
        self.path_first_commit[index.0 as usize]
    }
}

/// A commit, by its index in [`Inventory::commits`].
#[derive(Debug, Clone)]
pub struct Commit {
    /// Its id.
    pub oid: Oid,
    /// Indices of its parents that are in the inventory (a shallow boundary
    /// or `--since` leaves some out).
    pub parents: Vec<CommitIdx>,
    /// Its message.
    pub message: Vec<u8>,
}

/// A unique blob and where it appeared.
#[derive(Debug, Clone)]
pub struct Blob {
    /// Its id.
    pub oid: Oid,
    /// Each path it had, with the first commit (index) that had it there.
    pub appearances: Vec<(PathIdx, CommitIdx)>,
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
    pub commit: Option<CommitIdx>,
}

/// A branch, tag or other ref and the commit it reaches.
#[derive(Debug, Clone)]
pub struct RefTip {
    /// Short name (`main`, `v1.0`, `origin/main`, `stash`).
    pub name: String,
    /// Index of the commit it points at.
    pub commit: CommitIdx,
}

/// Everything `scan-history` needs to know about the history.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Commits, parents before children.
    pub commits: Vec<Commit>,
    /// Every path that ever held a file.
    pub paths: Vec<Vec<u8>>,
    /// First commit (index) that had each path.
    path_first_commit: Vec<CommitIdx>,
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

/// Who wrote a commit, and when.
#[derive(Debug, Clone)]
pub struct Author {
    /// Author name.
    pub name: String,
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
        let mut inventory = Inventory::default();
        let mut ref_targets: Vec<(String, Oid)> = Vec::new();
        // Each annotated tag's message with the commit it leads to.
        let mut tag_commits: Vec<Option<Oid>> = Vec::new();
        if selection.revisions.is_empty() {
            for tip in self.ref_tips()? {
                if let Some((oid, message)) = tip.tag {
                    inventory.tags.push(TagMessage { name: tip.name.clone(), oid, message, commit: None });
                    tag_commits.push(Some(tip.commit));
                }
                ref_targets.push((tip.name, tip.commit));
            }
        }

        let mut index_of: HashMap<Oid, CommitIdx> = HashMap::new();
        let mut recorder = Recorder {
            on_new_blob,
            commit: CommitIdx(0),
            path_ids: HashMap::new(),
            blob_ids: HashMap::new(),
            seen: HashSet::new(),
        };
        let mut log = log::spawn(self.git_dir(), selection)?;
        while let Some(record) = log.next_record()? {
            match record {
                log::Record::Commit { oid, parents, message } => {
                    let index = CommitIdx(next_index(inventory.commits.len(), "commits")?);
                    index_of.insert(oid, index);
                    let parents = parents.iter().filter_map(|p| index_of.get(p).copied()).collect();
                    inventory.commits.push(Commit { oid, parents, message });
                    recorder.commit = index;
                }
                log::Record::File { blob, path } => recorder.record(blob, path, &mut inventory)?,
            }
        }
        log.wait()?;

        for (name, oid) in ref_targets {
            if let Some(&commit) = index_of.get(&oid) {
                inventory.refs.push(RefTip { name, commit });
            }
        }
        for (tag, commit) in inventory.tags.iter_mut().zip(tag_commits) {
            tag.commit = commit.and_then(|c| index_of.get(&c).copied());
        }
        self.head_files(&mut inventory)?;
        Ok(inventory)
    }

    /// Every ref that leads to a commit: its short name, the commit, and
    /// the annotated tag on the way (id and message), if any.
    fn ref_tips(&self) -> Result<Vec<RefRead>> {
        let mut tips = Vec::new();
        match &self.store {
            Store::Lib(repo) => {
                for reference in repo.references().context("listing refs")? {
                    let reference = reference.context("reading a ref")?;
                    let Ok(commit) = reference.peel_to_commit() else { continue };
                    let name = reference.shorthand().unwrap_or("?").to_string();
                    let tag = reference.peel(ObjectType::Tag).ok().and_then(|tag| {
                        let message = tag.as_tag()?.message_bytes().unwrap_or_default().to_vec();
                        Some((Oid::from_git2(tag.id()), message))
                    });
                    tips.push(RefRead { name, commit: Oid::from_git2(commit.id()), tag });
                }
            }
            Store::Git(store) => {
                let listed = store.git(&["for-each-ref", "--format=%(objectname) %(refname:short)"])?;
                for line in listed.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    let (id, name) = line.split_at(memchr::memchr(b' ', line).unwrap_or(line.len()));
                    let oid = Oid::from_hex(id).context("git for-each-ref wrote a malformed object id")?;
                    let name = String::from_utf8_lossy(name.get(1..).unwrap_or_default()).into_owned();
                    let (Some(commit), message) = super::push::peel_through_git(store, oid)? else {
                        continue;
                    };
                    let tag = message.map(|message| (oid, message));
                    tips.push(RefRead { name, commit, tag });
                }
            }
        }
        Ok(tips)
    }

    /// Records the blobs and paths of HEAD's tree, if HEAD names a commit.
    fn head_files(&self, inventory: &mut Inventory) -> Result<()> {
        match &self.store {
            Store::Lib(repo) => {
                if let Ok(head) = repo.head()
                    && let Ok(tree) = head.peel_to_tree()
                {
                    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
                        if entry.kind() == Some(ObjectType::Blob) {
                            inventory.head_blobs.insert(Oid::from_git2(entry.id()));
                            let mut path = dir.as_bytes().to_vec();
                            path.extend_from_slice(entry.name_bytes());
                            inventory.head_paths.insert(path);
                        }
                        TreeWalkResult::Ok
                    })
                    .context("walking HEAD's tree")?;
                }
            }
            Store::Git(store) => {
                if self.head_commit().ok().flatten().is_none() {
                    return Ok(());
                }
                let listed = store
                    .git(&["ls-tree", "-r", "-z", "--full-tree", "HEAD"])
                    .context("listing HEAD's tree")?;
                for entry in listed.split(|&b| b == 0).filter(|e| !e.is_empty()) {
                    // MODE TYPE OID\tPATH
                    let tab =
                        memchr::memchr(b'\t', entry).context("git ls-tree wrote an entry without a path")?;
                    let fields: Vec<&[u8]> = entry[..tab].split(|&b| b == b' ').collect();
                    if let [_, b"blob", id] = fields[..] {
                        inventory
                            .head_blobs
                            .insert(Oid::from_hex(id).context("git ls-tree wrote a malformed id")?);
                        inventory.head_paths.insert(entry[tab + 1..].to_vec());
                    }
                }
            }
        }
        Ok(())
    }

    /// Author, email and author time of a commit.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn commit_author(&self, oid: Oid) -> Result<Author> {
        let (name, email, time) = self.commit(oid)?.author;
        Ok(Author { name, email, time })
    }
}

/// A ref as the inventory reads it.
struct RefRead {
    name: String,
    commit: Oid,
    tag: Option<(Oid, Vec<u8>)>,
}

/// Records new (blob, path) pairs as the log lists changed files.
struct Recorder<'a> {
    on_new_blob: &'a mut dyn FnMut(Oid) -> Result<()>,
    commit: CommitIdx,
    path_ids: HashMap<Vec<u8>, PathIdx>,
    blob_ids: HashMap<Oid, BlobIdx>,
    seen: HashSet<(Oid, PathIdx)>,
}

impl Recorder<'_> {
    fn record(&mut self, blob: Oid, path: &[u8], inventory: &mut Inventory) -> Result<()> {
        let path_id = match self.path_ids.get(path) {
            Some(&id) => id,
            None => {
                let id = PathIdx(next_index(inventory.paths.len(), "paths")?);
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
                let id = BlobIdx(next_index(inventory.blobs.len(), "blobs")?);
                self.blob_ids.insert(blob, id);
                inventory.blobs.push(Blob { oid: blob, appearances: Vec::new() });
                (self.on_new_blob)(blob)?;
                id
            }
        };
        inventory.blobs[blob_id.0 as usize].appearances.push((path_id, self.commit));
        Ok(())
    }
}
