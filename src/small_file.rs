//! Reading what guard takes in whole: the files it is configured by
//! (`guard.toml`, the baseline), only as a regular file, and what a hook is
//! handed on standard input (pre-push's refs, an assistant's event); each
//! only up to a size bound, as UTF-8. A FIFO would hang the hook forever
//! and `/dev/zero` would fill memory, so neither is opened for reading.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The text of the regular file at `path` (symlinks followed), at most
/// `limit` bytes.
///
/// # Errors
/// A path that is not a regular file (FIFO, device, directory, socket), a
/// file over `limit` bytes, one that is not UTF-8, or a read error.
pub fn read(path: &Path, limit: u64) -> Result<String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).with_context(|| format!("reading {shown}"))?;
    if !metadata.is_file() {
        bail!(
            "{shown} is not a regular file (a FIFO, device or directory is never read); replace it with a file"
        );
    }
    let file = File::open(path).with_context(|| format!("reading {shown}"))?;
    // The file opened may not be the one examined: check it again.
    if !file.metadata().with_context(|| format!("reading {shown}"))?.is_file() {
        bail!("{shown} is not a regular file");
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).with_context(|| format!("reading {shown}"))?;
    if bytes.len() as u64 > limit {
        bail!("{shown} is larger than {} KiB, more than guard reads of such a file", limit >> 10);
    }
    String::from_utf8(bytes).map_err(|err| {
        anyhow::anyhow!("{shown}: not UTF-8 text (invalid byte at offset {})", err.utf8_error().valid_up_to())
    })
}

/// [`read`] for a file that must lie inside `root`, as a repository's own
/// configuration must: a symbolic link that leads out of it is an error,
/// so that no file elsewhere on the machine configures the repository.
///
/// # Errors
/// As [`read`], and a path that resolves outside `root`.
pub fn read_inside(path: &Path, root: &Path, limit: u64) -> Result<String> {
    let shown = path.display();
    let resolved = path.canonicalize().with_context(|| format!("reading {shown}"))?;
    let root = root.canonicalize().with_context(|| format!("finding {}", root.display()))?;
    if !resolved.starts_with(&root) {
        bail!(
            "{shown} is a symbolic link to {}, outside the repository; guard reads a repository's own \
             configuration only from a file inside it: replace the link with the file",
            resolved.display()
        );
    }
    read(path, limit)
}

/// Standard input as text, at most `limit` bytes; `what` names it.
///
/// # Errors
/// Input over `limit` bytes, not UTF-8, or a read error.
pub fn read_stdin(limit: u64, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what}"))?;
    if bytes.len() as u64 > limit {
        bail!("{what} is larger than {} MiB, more than guard reads", limit >> 20);
    }
    String::from_utf8(bytes).map_err(|err| {
        anyhow::anyhow!("{what}: not UTF-8 text (invalid byte at offset {})", err.utf8_error().valid_up_to())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("guard.toml");
        std::fs::write(&file, "[allow]\n").unwrap();
        assert_eq!(read(&file, 100).unwrap(), "[allow]\n");
        assert!(format!("{:#}", read(&file, 4).unwrap_err()).contains("larger than"));
        assert!(format!("{:#}", read(dir.path(), 100).unwrap_err()).contains("not a regular file"));
        assert!(
            format!("{:#}", read(Path::new("/dev/zero"), 100).unwrap_err()).contains("not a regular file")
        );
        let outside = tempfile::tempdir().unwrap();
        let link = outside.path().join("guard.toml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let err = format!("{:#}", read_inside(&link, outside.path(), 100).unwrap_err());
        assert!(err.contains("outside the repository"), "{err}");
        std::fs::create_dir(outside.path().join("sub")).unwrap();
        let inner = outside.path().join("sub/guard.toml");
        std::os::unix::fs::symlink("../guard.toml", &inner).unwrap();
        assert!(read_inside(&inner, outside.path(), 100).is_err(), "a link to a link out is still out");
        std::fs::write(outside.path().join("real.toml"), "[allow]\n").unwrap();
        std::fs::remove_file(&inner).unwrap();
        std::os::unix::fs::symlink("../real.toml", &inner).unwrap();
        assert_eq!(read_inside(&inner, outside.path(), 100).unwrap(), "[allow]\n");
        std::fs::write(&file, b"a\xffb").unwrap();
        assert!(format!("{:#}", read(&file, 100).unwrap_err()).contains("offset 1"));
    }
}
