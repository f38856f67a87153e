//! The only module that imports git2: opening repositories, reading objects,
//! and (in `history`) enumerating what a history holds. Object ids cross the
//! boundary as [`Oid`], a plain value type.

pub mod cat_file;
pub mod changes;
pub mod inventory;
pub mod log;
pub mod push;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{Repository, RepositoryOpenFlags};

pub use git2::Oid;

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
    let root = git_output(start, &["rev-parse", "--show-toplevel"])
        .context("guard install works inside a git work tree")?;
    let hooks =
        git_output(Path::new(&root), &["rev-parse", "--path-format=absolute", "--git-path", "hooks"])?;
    Ok(PathBuf::from(hooks))
}

/// A `git` command, by the absolute path of the first `git` on PATH. Going
/// by absolute path saves the child's own PATH search, whose failed execs
/// the parent waits through (2–3 ms with a long PATH, most of a hook's
/// budget; docs/PERFORMANCE.md).
pub fn git_command() -> std::process::Command {
    static GIT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let program = GIT.get_or_init(|| {
        std::env::var_os("PATH")
            .and_then(|path| {
                std::env::split_paths(&path)
                    .map(|dir| dir.join("git"))
                    .find(|candidate| is_executable(candidate))
            })
            .unwrap_or_else(|| PathBuf::from("git"))
    });
    std::process::Command::new(program)
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// `git ARGS` run in `dir`: its standard output, trimmed.
///
/// # Errors
/// git cannot be run or fails; its message is included.
pub fn git_output(dir: &Path, args: &[&str]) -> Result<String> {
    let output = git_command()
        .args(args)
        .current_dir(dir)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))?;
    if !output.status.success() {
        anyhow::bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim_end_matches(['\n', '\r']).to_string())
}

/// Every path in the index of the work tree at `root` (`git ls-files -z`).
///
/// # Errors
/// git cannot be run or fails.
pub fn tracked_files(root: &Path) -> Result<Vec<PathBuf>> {
    let output =
        git_command().args(["ls-files", "-z"]).current_dir(root).output().context("running git ls-files")?;
    if !output.status.success() {
        anyhow::bail!("git ls-files failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()).map(crate::sources::git_path).collect())
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

    /// The content of `path` in HEAD's tree, if HEAD and the file exist
    /// (`guard.toml` of a bare repository).
    ///
    /// # Errors
    /// A corrupt object.
    pub fn file_at_head(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let Some(tree) = self.head_tree()? else { return Ok(None) };
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(err) if err.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("looking up {path} in HEAD")),
        };
        let blob = self.inner.find_blob(entry.id()).with_context(|| format!("reading HEAD:{path}"))?;
        Ok(Some(blob.content().to_vec()))
    }

    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>> {
        match self.inner.head() {
            Ok(head) => Ok(Some(head.peel_to_tree().context("reading HEAD's tree")?)),
            Err(err) if matches!(err.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
                Ok(None)
            }
            Err(err) => Err(err).context("reading HEAD"),
        }
    }
}
