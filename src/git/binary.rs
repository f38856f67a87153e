//! The repository read through the git binary: the facade's second
//! backend, for a repository libgit2 cannot open (SHA-256 object ids, the
//! reftable ref format, an extension it does not know). Objects come from
//! one `git cat-file --batch-command` process, started on first use and
//! asked one object at a time; everything else is a git command run with
//! the repository's git directory. Nothing here fetches: every git guard
//! starts has lazy fetching off (`command.rs`).

use std::cell::RefCell;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout, Stdio};

use anyhow::{Context, Result, bail};

use super::command::{self, Running};
use super::parse::{self, BatchHeader, ObjectKind};
use super::{ObjectFormat, Oid};

/// A repository opened through git.
pub struct GitStore {
    git_dir: PathBuf,
    common_dir: PathBuf,
    work_tree: Option<PathBuf>,
    format: ObjectFormat,
    batch: RefCell<Option<Batch>>,
}

/// The object reader: `git cat-file --batch-command`, answering each
/// command before the next is sent.
struct Batch {
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    _git: Running,
}

impl GitStore {
    /// Opens the repository git finds from `dir` (the environment's
    /// `GIT_DIR` and friends honoured, as git honours them).
    ///
    /// # Errors
    /// git finds no repository there; its message says why.
    pub fn open(dir: &Path) -> Result<GitStore> {
        // One git process: the top level last, since a bare repository
        // has none and git then refuses the whole question.
        let args = [
            "rev-parse",
            "--path-format=absolute",
            "--git-dir",
            "--git-common-dir",
            "--show-object-format",
            "--show-toplevel",
        ];
        let (found, bare) = match command::output(dir, &args) {
            Ok(found) => (found, false),
            Err(_) => (command::output(dir, &args[..5])?, true),
        };
        let text = String::from_utf8_lossy(&found);
        let lines: Vec<&[u8]> = found.split(|&b| b == b'\n').collect();
        let (git_dir, common_dir, format, work_tree) = match lines[..] {
            [git_dir, common, format] if bare => (git_dir, common, format, None),
            [git_dir, common, format, top] if !bare => (git_dir, common, format, Some(top)),
            _ => bail!("git rev-parse answered {}", crate::safe_text::name(&text)),
        };
        let format = match format {
            b"sha1" => ObjectFormat::Sha1,
            b"sha256" => ObjectFormat::Sha256,
            _ => bail!(
                "the repository's objects are named by {}, a hash guard does not know",
                crate::safe_text::name(&text)
            ),
        };
        Ok(GitStore {
            git_dir: super::path_from_bytes(git_dir),
            common_dir: super::path_from_bytes(common_dir),
            work_tree: work_tree.map(super::path_from_bytes),
            format,
            batch: RefCell::new(None),
        })
    }

    /// The directory linked worktrees share (objects, refs, `config`).
    pub fn common_dir(&self) -> &Path {
        &self.common_dir
    }

    /// The hash that names the repository's objects.
    pub fn object_format(&self) -> ObjectFormat {
        self.format
    }

    /// The git directory, absolute.
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// The work tree, unless the repository is bare.
    pub fn work_tree(&self) -> Option<&Path> {
        self.work_tree.as_deref()
    }

    /// `git --git-dir=DIR ARGS…`: its standard output, trailing line
    /// breaks removed.
    ///
    /// # Errors
    /// git fails; its message is included.
    pub fn git(&self, args: &[&str]) -> Result<Vec<u8>> {
        let what = format!("git {}", args.join(" "));
        let mut all: Vec<&OsStr> = vec!["--git-dir".as_ref(), self.git_dir.as_os_str()];
        all.extend(args.iter().map(OsStr::new));
        let output = command::command(&all)
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .output()
            .with_context(|| format!("running {what}"))?;
        if !output.status.success() {
            bail!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
        }
        let mut stdout = output.stdout;
        while matches!(stdout.last(), Some(b'\n' | b'\r')) {
            stdout.pop();
        }
        Ok(stdout)
    }

    /// Object `oid`'s kind and size; `None` when the repository lacks it.
    ///
    /// # Errors
    /// git's answer is malformed, or git stopped.
    pub fn info(&self, oid: Oid) -> Result<Option<(ObjectKind, u64)>> {
        self.ask("info", &oid.to_string(), |_, header, _| Ok(header))
    }

    /// The object `name` (`HEAD`, a ref) names, with its kind; `None`
    /// when it names none the repository has.
    ///
    /// # Errors
    /// git's answer is malformed, or git stopped.
    pub fn resolve(&self, name: &str) -> Result<Option<(Oid, ObjectKind)>> {
        self.ask("info", name, |oid, (kind, _), _| Ok((oid, kind)))
    }

    /// Object `oid`'s kind and content; `None` when the repository lacks it.
    ///
    /// # Errors
    /// git's answer is malformed or cut short, or git stopped.
    pub fn read(&self, oid: Oid) -> Result<Option<(ObjectKind, Vec<u8>)>> {
        self.ask("contents", &oid.to_string(), |_, (kind, size), stdout| {
            let mut content = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            let read = stdout.take(size).read_to_end(&mut content)?;
            let mut newline = [0u8; 1];
            if read as u64 != size || stdout.read_exact(&mut newline).is_err() {
                bail!("git cat-file stopped in the middle of object {oid}");
            }
            Ok((kind, content))
        })
    }

    /// Object `oid`'s content when it is of kind `kind`.
    ///
    /// # Errors
    /// The object is missing, of another kind, or cannot be read.
    pub fn read_kind(&self, oid: Oid, kind: ObjectKind) -> Result<Vec<u8>> {
        match self.read(oid)? {
            Some((found, content)) if found == kind => Ok(content),
            Some((found, _)) => bail!("object {oid} is a {found:?}, not a {kind:?}"),
            None => bail!("object {oid} is missing from the repository (run `git fsck` to see what else is)"),
        }
    }

    /// Sends `verb NAME` and reads the answer's header, then the rest with
    /// `body`.
    fn ask<T>(
        &self,
        verb: &str,
        name: &str,
        body: impl FnOnce(Oid, (ObjectKind, u64), &mut BufReader<ChildStdout>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut slot = self.batch.borrow_mut();
        if slot.is_none() {
            *slot = Some(self.spawn_batch()?);
        }
        let batch = slot.as_mut().context("the object reader was started above")?;
        writeln!(batch.stdin, "{verb} {name}")
            .and_then(|()| batch.stdin.flush())
            .context("asking git cat-file")?;
        let mut header = Vec::new();
        batch.stdout.read_until(b'\n', &mut header).context("reading from git cat-file")?;
        if header.pop() != Some(b'\n') {
            bail!("git cat-file stopped before answering for {name}");
        }
        // A name that resolves to nothing is answered `NAME missing`.
        if header.strip_suffix(b" missing") == Some(name.as_bytes()) {
            return Ok(None);
        }
        match parse::batch_header(&header)? {
            BatchHeader::Missing(_) => Ok(None),
            BatchHeader::Object { oid, kind, size } => body(oid, (kind, size), &mut batch.stdout).map(Some),
        }
    }

    fn spawn_batch(&self) -> Result<Batch> {
        let mut git = command::command(&[
            "--git-dir".as_ref(),
            self.git_dir.as_os_str(),
            "cat-file".as_ref(),
            "--batch-command".as_ref(),
        ]);
        git.env("GIT_NO_REPLACE_OBJECTS", "1").stdin(Stdio::piped());
        let (mut running, stdout) = Running::spawn(git, "git cat-file --batch-command")?;
        let stdin = running.take_stdin().context("git cat-file's standard input")?;
        Ok(Batch { stdin: BufWriter::new(stdin), stdout: BufReader::new(stdout), _git: running })
    }

    /// The entry at `path` (components joined by `/`) in tree `tree`: its
    /// mode and object; `None` when there is none.
    ///
    /// # Errors
    /// A missing or malformed tree on the way.
    pub fn tree_entry(&self, tree: Oid, path: &[u8]) -> Result<Option<(u32, Oid)>> {
        let mut current = tree;
        let mut parts = path.split(|&b| b == b'/').peekable();
        while let Some(name) = parts.next() {
            let content = self.read_kind(current, ObjectKind::Tree)?;
            let Some((mode, oid)) = parse::tree_entries(&content, tree.as_bytes().len())?
                .into_iter()
                .find(|entry| entry.1 == name)
                .map(|(mode, _, oid)| (mode, oid))
            else {
                return Ok(None);
            };
            if parts.peek().is_none() {
                return Ok(Some((mode, oid)));
            }
            if mode != parse::TREE_MODE {
                return Ok(None);
            }
            current = oid;
        }
        Ok(None)
    }
}
