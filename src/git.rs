//! The only module that imports git2. For now: finding the work tree whose
//! `guard.toml` applies.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use git2::{Repository, RepositoryOpenFlags};

/// The root of the work tree containing `start`, if `start` is inside one.
/// Honours `GIT_DIR` and friends, as git does.
pub fn work_tree_root(start: &Path) -> Option<PathBuf> {
    let repo =
        Repository::open_ext(start, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&OsStr>()).ok()?;
    repo.workdir().map(Path::to_path_buf)
}
