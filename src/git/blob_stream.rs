//! One blob's content as a stream, for a blob too large to hold. A loose
//! object (what `git add` writes) is inflated here from its file a buffer
//! at a time: git's own streaming maps the whole compressed file, which
//! costs memory in proportion to it. Anything else (packed, in an
//! alternate) is streamed by `git cat-file blob`, its packs mapped 16 MiB
//! at a time.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ChildStdout;

use anyhow::{Context, Result, bail};
use flate2::bufread::ZlibDecoder;

use super::Oid;
use super::command::Running;

/// A blob being read.
pub enum BlobStream {
    /// Inflated here from its loose object file.
    Loose {
        /// The inflating reader, past the object's header.
        content: ZlibDecoder<BufReader<File>>,
        /// The size the header gives.
        size: u64,
        /// Bytes read so far.
        read: u64,
        /// The object, for errors.
        oid: Oid,
    },
    /// Streamed by `git cat-file blob`.
    Git {
        /// The running git.
        git: Running,
        /// Its output.
        stdout: ChildStdout,
    },
}

/// Opens blob `oid` of the repository at `git_dir` for reading.
///
/// # Errors
/// A loose object that cannot be read or is not a blob, or git cannot be
/// started.
pub fn open(git_dir: &Path, oid: Oid) -> Result<BlobStream> {
    let hex = oid.to_string();
    let objects =
        std::env::var_os("GIT_OBJECT_DIRECTORY").map_or_else(|| git_dir.join("objects"), PathBuf::from);
    match File::open(objects.join(&hex[..2]).join(&hex[2..])) {
        Ok(file) => open_loose(file, oid),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // Packs are mapped a small window at a time.
            let mut command = super::command::command(&[
                "-c".as_ref(),
                "core.packedGitWindowSize=16m".as_ref(),
                "-c".as_ref(),
                "core.packedGitLimit=64m".as_ref(),
                "--git-dir".as_ref(),
                git_dir.as_os_str(),
                "cat-file".as_ref(),
                "blob".as_ref(),
                hex.as_ref(),
            ]);
            command.env("GIT_NO_REPLACE_OBJECTS", "1");
            let (git, stdout) = Running::spawn(command, &format!("git cat-file blob {oid}"))?;
            Ok(BlobStream::Git { git, stdout })
        }
        Err(err) => Err(err).with_context(|| format!("opening object {oid}")),
    }
}

/// Reads a loose object's `blob SIZE\0` header.
fn open_loose(file: File, oid: Oid) -> Result<BlobStream> {
    let mut content = ZlibDecoder::new(BufReader::with_capacity(1 << 16, file));
    let mut header = Vec::new();
    let mut byte = [0u8];
    while header.len() < 32 {
        content.read_exact(&mut byte).with_context(|| format!("object {oid} is corrupt"))?;
        if byte[0] == 0 {
            break;
        }
        header.push(byte[0]);
    }
    let size = header
        .strip_prefix(b"blob ")
        .and_then(|digits| std::str::from_utf8(digits).ok())
        .and_then(|digits| digits.parse::<u64>().ok());
    let Some(size) = size else {
        bail!("object {oid} is corrupt or not a blob (its header is not `blob SIZE`)")
    };
    Ok(BlobStream::Loose { content, size, read: 0, oid })
}

impl Read for BlobStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            BlobStream::Loose { content, size, read, .. } => {
                let left = (*size - *read).min(buf.len() as u64) as usize;
                let n = content.read(&mut buf[..left])?;
                *read += n as u64;
                Ok(n)
            }
            BlobStream::Git { stdout, .. } => stdout.read(buf),
        }
    }
}

impl BlobStream {
    /// Whether what was read was the whole blob: git succeeded, or the
    /// loose object held as many bytes as its header said.
    ///
    /// # Errors
    /// git failed (its message is included), or the object is short.
    pub fn finish(self) -> Result<()> {
        match self {
            BlobStream::Loose { size, read, oid, .. } if read != size => {
                bail!("object {oid} is corrupt: {read} of the {size} bytes its header gives")
            }
            BlobStream::Loose { .. } => Ok(()),
            BlobStream::Git { git, stdout } => {
                drop(stdout);
                git.wait()
            }
        }
    }
}
