//! Helpers shared by the integration tests: the guard binary with a pinned,
//! empty environment, temp directories, and the template expander.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use guard::config::Config;
use guard::pipeline::Pipeline;
use guard::rules::template::Expander;

/// An empty directory used as HOME by every test (in cargo's scratch
/// space for integration tests).
fn empty_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("empty-home");
        std::fs::create_dir_all(&home).expect("create test home");
        home
    })
}

/// The built binary, run in `dir` with HOME and config pointed at an empty
/// temp directory, so the developer's own settings never leak in.
pub fn guard(dir: &Path) -> Command {
    guard_with_home(dir, empty_home())
}

/// [`guard`] with HOME (and so the user's git and guard config) at `home`.
pub fn guard_with_home(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guard"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    cmd
}

/// A git repository in a temp directory, driven by the real `git` with a
/// pinned environment: no system or user config, fixed identities, and
/// commit dates one minute apart from 2024-01-01T00:00:00Z.
pub struct TempRepo {
    dir: tempfile::TempDir,
    home: PathBuf,
    commits: std::cell::Cell<u32>,
}

impl TempRepo {
    /// `git init -b main` in a fresh directory.
    pub fn new() -> TempRepo {
        TempRepo::with_home(empty_home())
    }

    /// `git init -b main` with HOME (the user's global git config) at `home`.
    pub fn with_home(home: &Path) -> TempRepo {
        let repo = TempRepo { dir: temp_dir(), home: home.to_path_buf(), commits: std::cell::Cell::new(0) };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// Wraps an existing directory (a clone made by `git`).
    pub fn at(dir: tempfile::TempDir) -> TempRepo {
        TempRepo { dir, home: empty_home().to_path_buf(), commits: std::cell::Cell::new(0) }
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A `git` command in this repository with the pinned environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let minute = self.commits.get();
        let date = format!("2024-01-01T{:02}:{:02}:00Z", minute / 60, minute % 60);
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.org")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.org")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs git, asserts success, returns its trimmed standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("git runs");
        assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Writes a file in the work tree.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        write(self.path(), relative, contents);
    }

    /// `git add -A` and `git commit`; returns the new commit id.
    pub fn commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit(&["-q", "--allow-empty", "-m", message])
    }

    /// `git commit` with `args`, one minute after the last; returns HEAD.
    pub fn commit(&self, args: &[&str]) -> String {
        self.commits.set(self.commits.get() + 1);
        let mut all = vec!["commit"];
        all.extend_from_slice(args);
        self.git(&all);
        self.git(&["rev-parse", "HEAD"])
    }

    /// guard run in this repository, with this repository's HOME.
    pub fn guard(&self) -> Command {
        guard_with_home(self.path(), &self.home)
    }
}

/// Runs `cmd` with `input` on standard input.
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn guard");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("wait for guard");
    writer.join().expect("stdin writer");
    output
}

/// Exit code of a finished command (a signal counts as -1).
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh temp directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("guard-test-").tempdir().expect("create temp dir")
}

/// Expands a template with a fixed seed.
pub fn expand(template: &str, seed: u64) -> String {
    Expander::new(seed).expand(template).expect("valid template")
}

/// Writes `contents` to `dir/relative`, creating parent directories.
pub fn write(dir: &Path, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent");
    }
    std::fs::write(&path, contents).expect("write file");
    path
}

/// The default pipeline: built-in rules, no configuration.
pub fn default_pipeline() -> Pipeline {
    Pipeline::new(&Config::default()).expect("default pipeline")
}
