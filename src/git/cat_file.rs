//! Blob contents through `git cat-file`: one git process whose output
//! another thread reads. For a whole history it lists every object in pack
//! order (`--batch-all-objects --unordered`, the fastest way to inflate a
//! repository); for a selection it is fed the blob ids to read. git's own
//! object reader inflates blobs about 2.5 times faster than libgit2's
//! (measured in docs/PERFORMANCE.md).

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Stdio};

use anyhow::{Context, Result, bail};

use super::Oid;
use super::command::Running;
use super::parse::{self, BatchHeader};

/// The writing end: object ids to read, in order.
pub struct Requests {
    stdin: BufWriter<ChildStdin>,
}

/// The reading end: objects in the order requested.
pub struct Objects {
    stdout: BufReader<ChildStdout>,
    git: Running,
    header: Vec<u8>,
}

/// One object read.
pub enum Object {
    /// A blob's content (in the caller's buffer).
    Blob,
    /// A blob larger than the limit, with its size; its content was skipped.
    TooLarge(u64),
    /// Not a blob (a tree, commit or tag); its content was skipped.
    NotBlob,
    /// The repository does not have it.
    Missing,
}

/// Starts `git cat-file --batch` reading the blob ids sent to `Requests`.
///
/// # Errors
/// git cannot be started.
pub fn spawn_requests(git_dir: &Path) -> Result<(Requests, Objects)> {
    let mut objects = spawn(git_dir, &["--batch"], Stdio::piped())?;
    let stdin = objects.git.take_stdin().context("git's standard input")?;
    Ok((Requests { stdin: BufWriter::with_capacity(64 << 10, stdin) }, objects))
}

/// Starts `git cat-file --batch-all-objects --batch --unordered`: every
/// object of the repository, in pack order.
///
/// # Errors
/// git cannot be started.
pub fn spawn_all(git_dir: &Path) -> Result<Objects> {
    spawn(git_dir, &["--batch-all-objects", "--batch", "--unordered"], Stdio::null())
}

/// Replace refs are ignored, as libgit2 ignores them when walking history.
fn spawn(git_dir: &Path, args: &[&str], stdin: Stdio) -> Result<Objects> {
    let mut command =
        super::command::command(&["--git-dir".as_ref(), git_dir.as_os_str(), "cat-file".as_ref()]);
    command.args(args).env("GIT_NO_REPLACE_OBJECTS", "1").stdin(stdin);
    let (git, stdout) = Running::spawn(command, "git cat-file")?;
    Ok(Objects { stdout: BufReader::with_capacity(1 << 20, stdout), git, header: Vec::new() })
}

impl Requests {
    /// Asks for object `oid`.
    ///
    /// # Errors
    /// git exited early.
    pub fn request(&mut self, oid: Oid) -> Result<()> {
        writeln!(self.stdin, "{oid}").context("sending an object id to git cat-file")
    }

    /// Sends the last requests; git exits once it has answered them.
    ///
    /// # Errors
    /// git exited early.
    pub fn finish(mut self) -> Result<()> {
        self.stdin.flush().context("sending object ids to git cat-file")
    }
}

impl Objects {
    /// Reads the next object into `buffer` unless it is larger than
    /// `max_size`; `None` when git has answered every request.
    ///
    /// # Errors
    /// git's output is cut short or malformed.
    pub fn next(&mut self, max_size: u64, buffer: &mut Vec<u8>) -> Result<Option<(Oid, Object)>> {
        self.header.clear();
        if self.stdout.read_until(b'\n', &mut self.header).context("reading from git cat-file")? == 0 {
            return Ok(None);
        }
        if self.header.pop() != Some(b'\n') {
            bail!("git cat-file stopped in the middle of a header");
        }
        let (oid, blob, size) = match parse::batch_header(&self.header)? {
            BatchHeader::Missing(oid) => return Ok(Some((oid, Object::Missing))),
            BatchHeader::Object { oid, kind, size } => (oid, kind == parse::ObjectKind::Blob, size),
        };
        let object = if !blob || size > max_size {
            let skipped = std::io::copy(&mut (&mut self.stdout).take(size), &mut std::io::sink())?;
            if skipped != size {
                bail!("git cat-file stopped in the middle of object {oid}");
            }
            if blob { Object::TooLarge(size) } else { Object::NotBlob }
        } else {
            buffer.clear();
            buffer.reserve(size as usize);
            let read = (&mut self.stdout).take(size).read_to_end(buffer)?;
            if read as u64 != size {
                bail!("git cat-file stopped in the middle of object {oid}");
            }
            Object::Blob
        };
        let mut newline = [0u8; 1];
        self.stdout
            .read_exact(&mut newline)
            .with_context(|| format!("reading object {oid} from git cat-file"))?;
        Ok(Some((oid, object)))
    }

    /// Stops git (after an error), so that a writer blocked on its full
    /// input pipe gets an error instead of waiting for ever.
    pub fn abort(&mut self) {
        self.git.kill();
    }

    /// Waits for git to exit.
    ///
    /// # Errors
    /// git failed.
    pub fn wait(self) -> Result<()> {
        self.git.wait()
    }
}
