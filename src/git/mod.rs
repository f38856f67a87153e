//! The facade over git: the only module that starts git or uses libgit2.
//! Commands and sources ask it for what they need (the staged changes, a
//! pushed commit's changes, a history's inventory, a blob, where the hooks
//! are, a setting) and never assemble git calls themselves. libgit2 reads
//! single objects and walks pushed commits; the git binary (`command.rs`,
//! the one place that starts it) diffs the index, lists the history and
//! streams blobs, and answers the questions about configuration. Object ids
//! cross the boundary as [`Oid`], guard's own value type.

pub mod blob_diff;
pub mod blob_stream;
pub mod cat_file;
pub mod command;
pub mod commit_diff;
pub mod commit_template;
pub mod inventory;
pub mod log;
pub mod oid;
pub mod parse;
pub mod push;
pub mod remote_url;
pub mod staged_diff;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{Repository, RepositoryOpenFlags};

pub use oid::{MaybeZeroOid, Oid};

/// The root of the work tree containing `start`, if `start` is inside one.
/// Honours `GIT_DIR` and friends, as git does.
pub fn work_tree_root(start: &Path) -> Option<PathBuf> {
    let repo =
        Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>()).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// The directory git runs hooks from for the work tree containing `start`:
/// `core.hooksPath` (a relative one taken from the work tree's root) or
/// else the common git directory's `hooks`, which linked worktrees share.
/// Asked of git itself, which knows every rule.
///
/// # Errors
/// Not inside a work tree, or git cannot be run.
pub fn hooks_dir(start: &Path) -> Result<PathBuf> {
    let root = path(start, &["rev-parse", "--show-toplevel"])
        .context("guard install works inside a git work tree")?;
    path(&root, &["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
}

/// Where a work tree's hooks are, as `guard install` checks them.
#[derive(Debug, Clone)]
pub struct HooksLocation {
    /// The directory git runs hooks from (see [`hooks_dir`]), with the
    /// symbolic links on the way resolved by git.
    pub dir: PathBuf,
    /// `core.hooksPath` as set (`~` expanded), taken from the work tree's
    /// root when relative; `None` when unset or empty.
    pub configured: Option<PathBuf>,
    /// What is inside the repository: the work tree's root and the common
    /// git directory.
    pub repository: [PathBuf; 2],
}

/// The hooks directory of the work tree containing `start`, what
/// configured it, and the repository's own directories.
///
/// # Errors
/// Not inside a work tree, or git cannot be run.
pub fn hooks_location(start: &Path) -> Result<HooksLocation> {
    let root = path(start, &["rev-parse", "--show-toplevel"])
        .context("guard install works inside a git work tree")?;
    let dir = path(&root, &["rev-parse", "--path-format=absolute", "--git-path", "hooks"])?;
    let common = path(&root, &["rev-parse", "--path-format=absolute", "--git-common-dir"])?;
    let configured = path(&root, &["config", "--type=path", "--get", "core.hooksPath"])
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| root.join(p));
    Ok(HooksLocation { dir, configured, repository: [root, common] })
}

/// The root of the work tree containing `start`, as git names it; `None`
/// outside a work tree.
pub fn toplevel(start: &Path) -> Option<PathBuf> {
    path(start, &["rev-parse", "--show-toplevel"]).ok().filter(|p| !p.as_os_str().is_empty())
}

/// Which configuration file a setting is read from or written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigScope {
    /// The repository's own (`--local`).
    Local,
    /// The user's (`--global`).
    Global,
}

impl ConfigScope {
    fn flag(self) -> &'static str {
        match self {
            ConfigScope::Local => "--local",
            ConfigScope::Global => "--global",
        }
    }
}

/// The path-valued setting `key` (`~` expanded by git) in `scope`, as seen
/// from `dir`; `None` when it is unset or empty.
pub fn config_path(dir: &Path, scope: ConfigScope, key: &str) -> Option<PathBuf> {
    path(dir, &["config", scope.flag(), "--type=path", "--get", key])
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Sets `key` to `value` in `scope`.
///
/// # Errors
/// git fails; its message is included.
pub fn set_config(dir: &Path, scope: ConfigScope, key: &str, value: &str) -> Result<()> {
    command::output(dir, &["config", scope.flag(), key, value]).map(drop)
}

/// Removes `key` from `scope`.
///
/// # Errors
/// git fails; its message is included.
pub fn unset_config(dir: &Path, scope: ConfigScope, key: &str) -> Result<()> {
    command::output(dir, &["config", scope.flag(), "--unset", key]).map(drop)
}

/// Every path in the index of the work tree at `root` (`git ls-files -z`).
///
/// # Errors
/// git cannot be run or fails.
pub fn tracked_files(root: &Path) -> Result<Vec<PathBuf>> {
    let output = command::output(root, &["ls-files", "-z"])?;
    Ok(output.split(|&b| b == 0).filter(|p| !p.is_empty()).map(path_from_bytes).collect())
}

/// The id git gives the file at `path` as a blob (SHA-1), without adding
/// it: what binds a forbidden file's finding to its content.
///
/// # Errors
/// The file cannot be read.
pub fn blob_id_of_file(path: &Path) -> Result<Oid> {
    let id = git2::Oid::hash_file(git2::ObjectType::Blob, path)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(Oid::from_git2(id))
}

/// git's output that names a path, byte for byte (a path need not be
/// UTF-8).
fn path(dir: &Path, args: &[&str]) -> Result<PathBuf> {
    Ok(path_from_bytes(&command::output(dir, args)?))
}

/// A git path (bytes, `/`-separated) as a path.
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// An open repository.
pub struct Repo {
    inner: Repository,
}

impl Repo {
    /// Opens the repository containing `start` (work tree or bare), honouring
    /// `GIT_DIR` as git does.
    ///
    /// # Errors
    /// Not a repository, or one libgit2 cannot read.
    pub fn discover(start: &Path) -> Result<Repo> {
        let inner = Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>())
            .with_context(|| format!("opening the git repository at {}", start.display()))?;
        Ok(Repo::wrap(inner))
    }

    /// Opens the repository git is working on, from the environment
    /// (`GIT_DIR`, `GIT_INDEX_FILE`, the current directory), as a hook must.
    ///
    /// # Errors
    /// Not in a repository, or one libgit2 cannot read.
    pub fn open_from_env() -> Result<Repo> {
        let inner = Repository::open_from_env().context("opening the git repository git is running in")?;
        Ok(Repo::wrap(inner))
    }

    /// The content of blob `oid`.
    ///
    /// # Errors
    /// A missing or corrupt object, named.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        let blob = self.inner.find_blob(oid.to_git2()?).with_context(|| format!("reading blob {oid}"))?;
        Ok(blob.content().to_vec())
    }

    /// The content of blob `oid`; `None` when the repository does not have
    /// it (libgit2 never fetches one).
    ///
    /// # Errors
    /// A corrupt object, named.
    pub fn blob_if_present(&self, oid: Oid) -> Result<Option<Vec<u8>>> {
        match self.inner.find_blob(oid.to_git2()?) {
            Ok(blob) => Ok(Some(blob.content().to_vec())),
            Err(err) if err.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("reading blob {oid}")),
        }
    }

    /// The size of blob `oid`, from its header (only that is inflated);
    /// `None` when the repository does not have it.
    ///
    /// # Errors
    /// A corrupt object, named.
    pub fn blob_size(&self, oid: Oid) -> Result<Option<u64>> {
        let odb = self.inner.odb().context("opening the object database")?;
        match odb.read_header(oid.to_git2()?) {
            Ok((size, _)) => Ok(Some(size as u64)),
            Err(err) if err.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("reading blob {oid}")),
        }
    }

    /// The remote a partial clone fetches missing objects from (its
    /// promisor: `extensions.partialClone`, else the first remote with
    /// `remote.NAME.promisor` true); `None` when this is no partial clone.
    /// guard never fetches, so in such a clone a missing blob is content
    /// never fetched rather than damage.
    pub fn promisor_remote(&self) -> Option<String> {
        let config = self.inner.config().ok()?.snapshot().ok()?;
        if let Ok(name) = config.get_string("extensions.partialclone") {
            return Some(name);
        }
        let entries = config.entries(Some(r"remote\..*\.promisor")).ok()?;
        let mut found = None;
        entries
            .for_each(|entry| {
                let promisor = entry.value().is_ok_and(|v| {
                    ["true", "yes", "on", "1"].iter().any(|word| v.eq_ignore_ascii_case(word))
                });
                let name =
                    entry.name().ok().and_then(|n| n.strip_prefix("remote.")?.strip_suffix(".promisor"));
                if found.is_none() && promisor {
                    found = name.map(String::from);
                }
            })
            .ok()?;
        found
    }

    /// Blob `oid`'s content as a stream, for a blob too large to hold:
    /// read it, then [`blob_stream::BlobStream::finish`] says whether it
    /// was whole.
    ///
    /// # Errors
    /// A loose object that cannot be opened, or git cannot be started.
    pub fn blob_stream(&self, oid: Oid) -> Result<blob_stream::BlobStream> {
        blob_stream::open(self.git_dir(), oid)
    }

    /// Why object `oid`, which git could not read, is unreadable: missing
    /// (a partial, shallow or damaged clone) or corrupt, with libgit2's
    /// reason, and what to run.
    pub fn unreadable_object(&self, oid: Oid) -> String {
        let read = oid.to_git2().and_then(|id| Ok(self.inner.odb()?.read_header(id)?));
        match read {
            Err(err)
                if err
                    .downcast_ref::<git2::Error>()
                    .is_none_or(|e| e.code() == git2::ErrorCode::NotFound) =>
            {
                format!("object {oid} is missing from the repository (run `git fsck` to see what else is)")
            }
            Err(err) => {
                format!("object {oid} is corrupt: {err}; run `git fsck`, and restore it from another clone")
            }
            Ok(_) => format!("object {oid} could not be read by `git cat-file` (run `git fsck`)"),
        }
    }

    /// `inner`, read as git reads objects: without hashing each one again
    /// to check its id (libgit2's default, a third of the time a large
    /// commit's check takes). A corrupt object still fails to inflate, and
    /// the error names it.
    fn wrap(inner: Repository) -> Repo {
        git2::opts::strict_hash_verification(false);
        Repo { inner }
    }

    /// The git directory.
    pub fn git_dir(&self) -> &Path {
        self.inner.path()
    }

    /// The work tree, unless the repository is bare.
    pub fn work_tree(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The commit HEAD names; `None` before the first commit.
    ///
    /// # Errors
    /// A HEAD that cannot be read or names no commit.
    pub fn head_commit(&self) -> Result<Option<Oid>> {
        match self.inner.head() {
            Ok(head) => {
                Ok(Some(Oid::from_git2(head.peel_to_commit().context("reading HEAD's commit")?.id())))
            }
            Err(err) if matches!(err.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
                Ok(None)
            }
            Err(err) => Err(err).context("reading HEAD"),
        }
    }

    /// The first parent of commit `oid`; `None` for a root commit.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn first_parent(&self, oid: Oid) -> Result<Option<Oid>> {
        let commit =
            self.inner.find_commit(oid.to_git2()?).with_context(|| format!("reading commit {oid}"))?;
        Ok(commit.parent_ids().next().map(Oid::from_git2))
    }

    /// The blob of the regular file `name` at the root of commit `commit`'s
    /// tree, if there is one. A symbolic link is followed once, within the
    /// tree; one that leads outside it, or to another link, is an error, as
    /// is anything but a file.
    ///
    /// # Errors
    /// Such an entry, or a missing or corrupt object.
    pub fn committed_file(&self, commit: Oid, name: &str) -> Result<Option<Oid>> {
        let tree = self
            .inner
            .find_commit(commit.to_git2()?)
            .and_then(|c| c.tree())
            .with_context(|| format!("reading the tree of commit {commit}"))?;
        let Some(entry) = tree.get_name(name) else { return Ok(None) };
        let at = || format!("{name} in commit {commit}");
        match entry.filemode() {
            0o100644 | 0o100755 => Ok(Some(Oid::from_git2(entry.id()))),
            0o120000 => {
                let target = self.blob(Oid::from_git2(entry.id()))?;
                let target = String::from_utf8_lossy(&target).into_owned();
                let inside = !target.starts_with('/')
                    && Path::new(&target).components().all(|c| matches!(c, std::path::Component::Normal(_)));
                let Some(entry) = tree.get_path(Path::new(&target)).ok().filter(|_| inside) else {
                    anyhow::bail!(
                        "{} is a symbolic link to {}, outside the repository or missing; guard reads only a \
                         file inside the repository: replace the link with the file",
                        at(),
                        crate::safe_text::value(&target)
                    );
                };
                if !matches!(entry.filemode(), 0o100644 | 0o100755) {
                    anyhow::bail!("{} is a symbolic link to something that is not a file", at());
                }
                Ok(Some(Oid::from_git2(entry.id())))
            }
            _ => anyhow::bail!("{} is not a file", at()),
        }
    }
}
