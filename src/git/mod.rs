//! The facade over git: the only module that starts git or uses libgit2.
//! Commands and sources ask it for what they need (the staged changes, a
//! pushed commit's changes, a history's inventory, a blob, where the hooks
//! are, a setting) and never assemble git calls themselves. libgit2 reads
//! single objects and walks pushed commits where it can open the
//! repository; where it cannot (SHA-256 ids, reftable refs, any extension
//! it does not know) the git binary does that too (`binary.rs`). The git
//! binary (`command.rs`, the one place that starts it) always diffs the
//! index, lists the history and streams blobs, and answers the questions
//! about configuration. Object ids cross the boundary as [`Oid`], guard's
//! own value type, 20 or 32 bytes.

pub mod binary;
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
use parse::ObjectKind;

/// The root of the work tree containing `start`, if `start` is inside one.
/// Honours `GIT_DIR` and friends, as git does.
pub fn work_tree_root(start: &Path) -> Option<PathBuf> {
    match Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>()) {
        Ok(repo) => repo.workdir().map(Path::to_path_buf),
        // A format libgit2 does not read: git knows.
        Err(_) => path(start, &["rev-parse", "--show-toplevel"]).ok(),
    }
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

/// The tracked files `git grep` searches from `dir`: those matching the
/// git pathspecs (all under `dir` when there are none), in the index or in
/// commit `at`; paths relative to `dir`, or to the root for a commit.
///
/// # Errors
/// git cannot be run, or `at` names no commit.
pub fn tracked_files_matching(dir: &Path, pathspecs: &[String], at: Option<&str>) -> Result<Vec<PathBuf>> {
    let mut args: Vec<&str> = match at {
        Some(rev) => vec!["ls-tree", "-r", "-z", "--name-only", "--full-name", rev, "--"],
        None => vec!["ls-files", "-z", "--"],
    };
    args.extend(pathspecs.iter().map(String::as_str));
    let output = command::output(dir, &args)?;
    Ok(output.split(|&b| b == 0).filter(|p| !p.is_empty()).map(path_from_bytes).collect())
}

/// The content of the blob `spec` names (`REV:PATH`, as `git show` reads
/// it); `None` when it names no blob.
pub fn named_blob(dir: &Path, spec: &str) -> Option<Vec<u8>> {
    command::output(dir, &["cat-file", "blob", spec]).ok()
}

/// Which hash names objects: SHA-1 (20-byte ids) or SHA-256 (32).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ObjectFormat {
    /// `sha1`, git's default.
    #[default]
    Sha1,
    /// `sha256` (`git init --object-format=sha256`).
    Sha256,
}

/// The id git gives the file at `path` as a blob in a repository of
/// `format`, without adding it: what binds a forbidden file's finding to
/// its content.
///
/// # Errors
/// The file cannot be read.
pub fn blob_id_of_file(path: &Path, format: ObjectFormat) -> Result<Oid> {
    if format == ObjectFormat::Sha1 {
        let id = git2::Oid::hash_file(git2::ObjectType::Blob, path)
            .with_context(|| format!("reading {}", path.display()))?;
        return Ok(Oid::from_git2(id));
    }
    use sha2::Digest as _;
    let content = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = sha2::Sha256::new();
    hasher.update(format!("blob {}\0", content.len()).as_bytes());
    hasher.update(&content);
    Oid::from_bytes(&hasher.finalize())
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

/// An open repository, read through libgit2 where it can open it and
/// through the git binary otherwise (`binary.rs`).
pub struct Repo {
    store: Store,
    /// Why libgit2 could not open it, when git reads it instead.
    through_git: Option<String>,
}

/// How a repository is read.
enum Store {
    /// libgit2: in-process, for the formats it knows.
    Lib(Repository),
    /// The git binary: every format git itself reads.
    Git(Box<binary::GitStore>),
}

impl Repo {
    /// Opens the repository containing `start` (work tree or bare), honouring
    /// `GIT_DIR` as git does.
    ///
    /// # Errors
    /// Not a repository; git's message says why.
    pub fn discover(start: &Path) -> Result<Repo> {
        match Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>()) {
            Ok(inner) => Ok(Repo::wrap(inner)),
            Err(lib) => binary::GitStore::open(start)
                .map(|store| Repo::through_git(store, &lib))
                .with_context(|| format!("opening the git repository at {}", start.display())),
        }
    }

    /// The repository whose work tree holds `start`, opened once; `None`
    /// outside a work tree (a bare repository has none).
    ///
    /// # Errors
    /// Inside a work tree, a repository neither backend can read.
    pub fn discover_work_tree(start: &Path) -> Result<Option<Repo>> {
        match Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>()) {
            Ok(inner) if inner.workdir().is_some() => Ok(Some(Repo::wrap(inner))),
            Ok(_) => Ok(None),
            // A format libgit2 does not read: git knows.
            Err(lib) => match toplevel(start) {
                Some(root) => binary::GitStore::open(&root)
                    .map(|store| Some(Repo::through_git(store, &lib)))
                    .with_context(|| format!("opening the git repository at {}", root.display())),
                None => Ok(None),
            },
        }
    }

    /// Opens the repository git is working on, from the environment
    /// (`GIT_DIR`, `GIT_INDEX_FILE`, the current directory), as a hook must.
    ///
    /// # Errors
    /// Not in a repository; git's message says why.
    pub fn open_from_env() -> Result<Repo> {
        match Repository::open_from_env() {
            Ok(inner) => Ok(Repo::wrap(inner)),
            Err(lib) => binary::GitStore::open(Path::new("."))
                .map(|store| Repo::through_git(store, &lib))
                .context("opening the git repository git is running in"),
        }
    }

    /// Whether libgit2 reads this repository (else the git binary does).
    pub fn read_in_process(&self) -> bool {
        matches!(self.store, Store::Lib(_))
    }

    /// The hash that names this repository's objects (libgit2 opens only
    /// SHA-1 ones).
    pub fn object_format(&self) -> ObjectFormat {
        match &self.store {
            Store::Lib(_) => ObjectFormat::Sha1,
            Store::Git(store) => store.object_format(),
        }
    }

    /// The content of blob `oid`.
    ///
    /// # Errors
    /// A missing or corrupt object, named.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        match &self.store {
            Store::Lib(repo) => {
                let blob = repo.find_blob(oid.to_git2()?).with_context(|| format!("reading blob {oid}"))?;
                Ok(blob.content().to_vec())
            }
            Store::Git(store) => {
                store.read_kind(oid, ObjectKind::Blob).with_context(|| format!("reading blob {oid}"))
            }
        }
    }

    /// The content of blob `oid`; `None` when the repository does not have
    /// it (guard never fetches one).
    ///
    /// # Errors
    /// A corrupt object, named.
    pub fn blob_if_present(&self, oid: Oid) -> Result<Option<Vec<u8>>> {
        match &self.store {
            Store::Lib(repo) => match repo.find_blob(oid.to_git2()?) {
                Ok(blob) => Ok(Some(blob.content().to_vec())),
                Err(err) if err.code() == git2::ErrorCode::NotFound => Ok(None),
                Err(err) => Err(err).with_context(|| format!("reading blob {oid}")),
            },
            Store::Git(store) => match store.read(oid).with_context(|| format!("reading blob {oid}"))? {
                Some((ObjectKind::Blob, content)) => Ok(Some(content)),
                Some((kind, _)) => anyhow::bail!("object {oid} is a {kind:?}, not a blob"),
                None => Ok(None),
            },
        }
    }

    /// The size of blob `oid`, from its header (only that is inflated);
    /// `None` when the repository does not have it.
    ///
    /// # Errors
    /// A corrupt object, named.
    pub fn blob_size(&self, oid: Oid) -> Result<Option<u64>> {
        match &self.store {
            Store::Lib(repo) => {
                let odb = repo.odb().context("opening the object database")?;
                match odb.read_header(oid.to_git2()?) {
                    Ok((size, _)) => Ok(Some(size as u64)),
                    Err(err) if err.code() == git2::ErrorCode::NotFound => Ok(None),
                    Err(err) => Err(err).with_context(|| format!("reading blob {oid}")),
                }
            }
            Store::Git(store) => {
                Ok(store.info(oid).with_context(|| format!("reading blob {oid}"))?.map(|(_, size)| size))
            }
        }
    }

    /// The remote a partial clone fetches missing objects from (its
    /// promisor: `extensions.partialClone`, else the first remote with
    /// `remote.NAME.promisor` true); `None` when this is no partial clone.
    /// guard never fetches, so in such a clone a missing blob is content
    /// never fetched rather than damage.
    pub fn promisor_remote(&self) -> Option<String> {
        let config = match &self.store {
            Store::Lib(repo) => repo.config().ok()?.snapshot().ok()?,
            // The repository's own file, read in process (libgit2 parses a
            // config file whatever extensions it names).
            Store::Git(store) => {
                git2::Config::open(&store.common_dir().join("config")).ok()?.snapshot().ok()?
            }
        };
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
    /// (a partial, shallow or damaged clone) or corrupt, with the reason,
    /// and what to run.
    pub fn unreadable_object(&self, oid: Oid) -> String {
        let missing =
            || format!("object {oid} is missing from the repository (run `git fsck` to see what else is)");
        let repo = match &self.store {
            Store::Lib(repo) => repo,
            Store::Git(store) => {
                return match store.info(oid) {
                    Ok(None) => missing(),
                    Ok(Some(_)) => {
                        format!("object {oid} could not be read by `git cat-file` (run `git fsck`)")
                    }
                    Err(err) => {
                        format!(
                            "object {oid} is corrupt: {err:#}; run `git fsck`, and restore it from another clone"
                        )
                    }
                };
            }
        };
        let read = oid.to_git2().and_then(|id| Ok(repo.odb()?.read_header(id)?));
        match read {
            Err(err)
                if err
                    .downcast_ref::<git2::Error>()
                    .is_none_or(|e| e.code() == git2::ErrorCode::NotFound) =>
            {
                missing()
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
        Repo { store: Store::Lib(inner), through_git: None }
    }

    fn through_git(store: binary::GitStore, lib: &git2::Error) -> Repo {
        Repo { store: Store::Git(Box::new(store)), through_git: Some(lib.message().to_string()) }
    }

    /// How guard reads this repository, for `status`: in process, or
    /// through git and why.
    pub fn reader(&self) -> String {
        match (&self.through_git, self.object_format()) {
            (None, _) => "read in process (libgit2)".to_string(),
            (Some(why), format) => format!(
                "read through the git binary ({}libgit2 cannot open it: {})",
                if format == ObjectFormat::Sha256 { "SHA-256 object ids; " } else { "" },
                crate::safe_text::name(why)
            ),
        }
    }

    /// What every hook does before it checks anything: HEAD read, and its
    /// commit, through the reader the hooks use. `status` and `audit` run
    /// it so that they never call hooks healthy that cannot run.
    ///
    /// # Errors
    /// What would stop the hooks.
    pub fn check_readable(&self) -> Result<()> {
        if let Some(head) = self.head_commit()? {
            self.commit(head)?;
        }
        Ok(())
    }

    /// The git directory.
    pub fn git_dir(&self) -> &Path {
        match &self.store {
            Store::Lib(repo) => repo.path(),
            Store::Git(store) => store.git_dir(),
        }
    }

    /// The work tree, unless the repository is bare.
    pub fn work_tree(&self) -> Option<&Path> {
        match &self.store {
            Store::Lib(repo) => repo.workdir(),
            Store::Git(store) => store.work_tree(),
        }
    }

    /// The commit HEAD names; `None` before the first commit.
    ///
    /// # Errors
    /// A HEAD that cannot be read or names no commit.
    pub fn head_commit(&self) -> Result<Option<Oid>> {
        let repo = match &self.store {
            Store::Lib(repo) => repo,
            Store::Git(store) => {
                // Asked of the object reader, which every hook starts anyway.
                match store.resolve("HEAD").context("reading HEAD")? {
                    Some((id, ObjectKind::Commit)) => return Ok(Some(id)),
                    Some((id, kind)) => anyhow::bail!("HEAD names {id}, a {kind:?}, not a commit"),
                    None => {}
                }
                // An unborn branch is a symbolic HEAD whose branch does not
                // exist yet; any other HEAD that names nothing is damage.
                if let Ok(id) = store.git(&["rev-parse", "-q", "--verify", "HEAD"]) {
                    let id = Oid::from_hex(&id).context("reading HEAD")?;
                    self.commit(id).context("reading HEAD's commit")?;
                }
                store.git(&["symbolic-ref", "-q", "HEAD"]).context("reading HEAD")?;
                return Ok(None);
            }
        };
        match repo.head() {
            Ok(head) => {
                Ok(Some(Oid::from_git2(head.peel_to_commit().context("reading HEAD's commit")?.id())))
            }
            Err(err) if matches!(err.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
                Ok(None)
            }
            Err(err) => Err(err).context("reading HEAD"),
        }
    }

    /// Commit `oid` as guard reads it: tree, parents, author, message.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn commit(&self, oid: Oid) -> Result<parse::CommitObject> {
        let read = || -> Result<parse::CommitObject> {
            match &self.store {
                Store::Lib(repo) => {
                    let commit = repo.find_commit(oid.to_git2()?)?;
                    let author = commit.author();
                    Ok(parse::CommitObject {
                        tree: Oid::from_git2(commit.tree_id()),
                        parents: commit.parent_ids().map(Oid::from_git2).collect(),
                        author: (
                            String::from_utf8_lossy(author.name_bytes()).into_owned(),
                            String::from_utf8_lossy(author.email_bytes()).into_owned(),
                            author.when().seconds(),
                        ),
                        message: commit.message_bytes().to_vec(),
                    })
                }
                Store::Git(store) => parse::commit_object(&store.read_kind(oid, ObjectKind::Commit)?),
            }
        };
        read().with_context(|| format!("reading commit {oid}"))
    }

    /// The first parent of commit `oid`; `None` for a root commit.
    ///
    /// # Errors
    /// A missing or corrupt commit.
    pub fn first_parent(&self, oid: Oid) -> Result<Option<Oid>> {
        Ok(self.commit(oid)?.parents.first().copied())
    }

    /// The entry at `path` in commit `commit`'s tree: mode and object.
    fn committed_entry(&self, commit: Oid, path: &str) -> Result<Option<(u32, Oid)>> {
        let tree = self.commit(commit)?.tree;
        match &self.store {
            Store::Lib(repo) => {
                let tree = repo.find_tree(tree.to_git2()?).with_context(|| format!("reading tree {tree}"))?;
                Ok(tree.get_path(Path::new(path)).ok().map(|e| (e.filemode() as u32, Oid::from_git2(e.id()))))
            }
            Store::Git(store) => store.tree_entry(tree, path.as_bytes()),
        }
    }

    /// The blob of the regular file `name` at the root of commit `commit`'s
    /// tree, if there is one. A symbolic link is followed once, within the
    /// tree; one that leads outside it, or to another link, is an error, as
    /// is anything but a file.
    ///
    /// # Errors
    /// Such an entry, or a missing or corrupt object.
    pub fn committed_file(&self, commit: Oid, name: &str) -> Result<Option<Oid>> {
        let Some((mode, oid)) = self.committed_entry(commit, name)? else { return Ok(None) };
        let at = || format!("{name} in commit {commit}");
        match mode {
            0o100644 | 0o100755 => Ok(Some(oid)),
            0o120000 => {
                let target = self.blob(oid)?;
                let target = String::from_utf8_lossy(&target).into_owned();
                let inside = !target.starts_with('/')
                    && Path::new(&target).components().all(|c| matches!(c, std::path::Component::Normal(_)));
                let found = if inside { self.committed_entry(commit, &target)? } else { None };
                let Some((mode, oid)) = found else {
                    anyhow::bail!(
                        "{} is a symbolic link to {}, outside the repository or missing; guard reads only a \
                         file inside the repository: replace the link with the file",
                        at(),
                        crate::safe_text::value(&target)
                    );
                };
                if !matches!(mode, 0o100644 | 0o100755) {
                    anyhow::bail!("{} is a symbolic link to something that is not a file", at());
                }
                Ok(Some(oid))
            }
            _ => anyhow::bail!("{} is not a file", at()),
        }
    }
}
