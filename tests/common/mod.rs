//! Helpers shared by the integration tests: every `git`, `guard` (or other)
//! process runs through [`Run`], which pins its environment and kills it
//! (with its process group) when it outlives [`TIMEOUT`]; temp
//! repositories and directories; the template expander.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use guard::config::Config;
use guard::pipeline::Pipeline;
use guard::rules::template::Expander;

/// How long one spawned command may run: past it, the command and its
/// process group (hooks run guard as git's grandchild) are killed and the
/// test fails naming the command.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Where PATH is taken from: fixed system directories, never the PATH the
/// tests inherit.
const SYSTEM_DIRS: [&str; 3] = ["/usr/local/bin", "/usr/bin", "/bin"];

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

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// The PATH every command gets: [`SYSTEM_DIRS`] less any directory that
/// holds a `guard` (an installed guard must not stand in for the one under
/// test). When that drops the directory of the `git` the tests use, a
/// directory under `CARGO_TARGET_TMPDIR` with links to that git and its
/// `git-*` programs comes first.
pub fn path() -> &'static OsStr {
    static PATH: OnceLock<OsString> = OnceLock::new();
    PATH.get_or_init(|| {
        let same =
            |a: &Path, b: &Path| a.canonicalize().ok().is_some_and(|a| b.canonicalize().ok() == Some(a));
        let kept: Vec<PathBuf> = SYSTEM_DIRS
            .iter()
            .map(PathBuf::from)
            .filter(|dir| dir.is_dir() && !is_executable(&dir.join("guard")))
            .collect();
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let git = SYSTEM_DIRS
            .iter()
            .map(PathBuf::from)
            .chain(std::env::split_paths(&inherited))
            .map(|dir| dir.join("git"))
            .find(|git| is_executable(git))
            .expect("git in /usr/local/bin, /usr/bin, /bin or on PATH");
        let git_dir = git.parent().expect("git has a directory");
        let mut dirs = Vec::new();
        if !kept.iter().any(|dir| same(dir, git_dir)) {
            dirs.push(git_links(git_dir));
        }
        dirs.extend(kept);
        std::env::join_paths(dirs).expect("a valid PATH")
    })
}

/// A directory of links to `git` and `git-*` in `git_dir` (idempotent:
/// test processes may build it at the same time).
fn git_links(git_dir: &Path) -> PathBuf {
    let links = Path::new(env!("CARGO_TARGET_TMPDIR")).join("git-bin");
    std::fs::create_dir_all(&links).expect("create the git link directory");
    for entry in std::fs::read_dir(git_dir).expect("list git's directory").flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if (text == "git" || text.starts_with("git-")) && is_executable(&entry.path()) {
            link(&entry.path(), &links.join(&name));
        }
    }
    links
}

#[cfg(unix)]
fn link(target: &Path, link: &Path) {
    if std::fs::read_link(link).is_ok_and(|t| t == target) {
        return;
    }
    let _ = std::fs::remove_file(link);
    match std::os::unix::fs::symlink(target, link) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => panic!("link {}: {e}", link.display()),
        _ => {}
    }
}

#[cfg(not(unix))]
fn link(target: &Path, link: &Path) {
    std::fs::copy(target, link).expect("copy git");
}

/// Clears the environment but for what `cmd` sets itself, and pins PATH
/// ([`path`]), HOME (an empty directory unless set), XDG_CONFIG_HOME
/// (under HOME unless set), no system git config, `LC_ALL=C` and `TZ=UTC`.
fn pin_environment(cmd: &mut Command) {
    let own: Vec<(OsString, Option<OsString>)> =
        cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(OsStr::to_owned))).collect();
    let home = own
        .iter()
        .find(|(k, _)| k == "HOME")
        .and_then(|(_, v)| v.clone())
        .unwrap_or_else(|| empty_home().into());
    cmd.env_clear()
        .env("PATH", path())
        .env("XDG_CONFIG_HOME", Path::new(&home).join(".config"))
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    for (key, value) in own {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
}

/// `program arg…` for messages.
fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = cmd.get_current_dir() {
        text.push_str(&format!(" (in {})", dir.display()));
    }
    text
}

/// How the tests run a process. Every spawned process goes through here:
/// environment pinned (see [`path`]), standard output and error captured,
/// and a deadline after which the process group is killed and the test
/// panics naming the command.
pub trait Run {
    /// Runs with empty standard input and the [`TIMEOUT`].
    fn run(&mut self) -> Output;
    /// Runs with `input` on standard input and the [`TIMEOUT`].
    fn run_with_input(&mut self, input: &[u8]) -> Output;
    /// Runs with `input` (none: empty) on standard input within `timeout`.
    fn run_within(&mut self, input: Option<&[u8]>, timeout: Duration) -> Output;
    /// Starts with all three streams piped, for tests that talk to the
    /// process; [`Running::finish`] waits for it within the [`TIMEOUT`].
    fn start(&mut self) -> Running;
}

impl Run for Command {
    fn run(&mut self) -> Output {
        self.run_within(None, TIMEOUT)
    }

    fn run_with_input(&mut self, input: &[u8]) -> Output {
        self.run_within(Some(input), TIMEOUT)
    }

    fn run_within(&mut self, input: Option<&[u8]>, timeout: Duration) -> Output {
        let mut running = Running::spawn(self, timeout, input.is_some());
        if let Some(input) = input {
            let mut stdin = running.stdin();
            let input = input.to_vec();
            running.writer = Some(std::thread::spawn(move || {
                let _ = stdin.write_all(&input); // a child may exit unread
            }));
        }
        running.finish()
    }

    fn start(&mut self) -> Running {
        Running::spawn(self, TIMEOUT, true)
    }
}

/// A process started by [`Run`]; dropped unfinished (a test failed while
/// talking to it), it is killed with its process group.
pub struct Running {
    child: Option<Child>,
    what: String,
    started: Instant,
    timeout: Duration,
    writer: Option<JoinHandle<()>>,
}

impl Running {
    fn spawn(cmd: &mut Command, timeout: Duration, piped_stdin: bool) -> Running {
        pin_environment(cmd);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(cmd, 0);
        let stdin = if piped_stdin { Stdio::piped() } else { Stdio::null() };
        let what = describe(cmd);
        let child = cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{what}`: {e}"));
        Running { child: Some(child), what, started: Instant::now(), timeout, writer: None }
    }

    fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("running")
    }

    /// Its standard input (once).
    pub fn stdin(&mut self) -> ChildStdin {
        self.child().stdin.take().expect("standard input is piped and not yet taken")
    }

    /// Its standard output (once); [`finish`](Running::finish) then
    /// returns no standard output.
    pub fn stdout(&mut self) -> ChildStdout {
        self.child().stdout.take().expect("standard output is piped and not yet taken")
    }

    /// Waits for the exit and for the output still unread (both pipes read
    /// at once); past the deadline, kills the process group and panics.
    pub fn finish(mut self) -> Output {
        fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<Vec<u8>>> {
            pipe.map(|mut pipe| {
                std::thread::spawn(move || {
                    let mut bytes = Vec::new();
                    let _ = pipe.read_to_end(&mut bytes);
                    bytes
                })
            })
        }
        let child = self.child();
        drop(child.stdin.take());
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let mut pause = Duration::from_millis(1);
        let status: ExitStatus = loop {
            let exited =
                self.child().try_wait().unwrap_or_else(|e| panic!("waiting for `{}`: {e}", self.what));
            let threads =
                [stdout.as_ref(), stderr.as_ref()].into_iter().flatten().all(JoinHandle::is_finished)
                    && self.writer.as_ref().is_none_or(JoinHandle::is_finished);
            if let (Some(status), true) = (exited, threads) {
                break status;
            }
            if self.started.elapsed() > self.timeout {
                self.kill();
                panic!(
                    "`{}` did not finish within {:?} (TIMEOUT in tests/common/mod.rs): killed it and its process group",
                    self.what, self.timeout
                );
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(10));
        };
        self.child = None;
        let collect = |handle: Option<JoinHandle<Vec<u8>>>| {
            handle.map(|h| h.join().expect("pipe reader")).unwrap_or_default()
        };
        Output { status, stdout: collect(stdout), stderr: collect(stderr) }
    }

    /// Kills the process group (the process alone off Unix) and reaps it.
    fn kill(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        #[cfg(unix)]
        {
            let group = -(child.id() as libc::pid_t);
            // SAFETY: kill(2) takes no pointers; the group is the one spawn made.
            unsafe { libc::kill(group, libc::SIGKILL) };
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The built binary, run in `dir` with the pinned environment of [`Run`]
/// (HOME an empty temp directory, so the developer's own settings never
/// leak in).
pub fn guard(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guard"));
    cmd.current_dir(dir);
    cmd
}

/// `wrapper` (strace, a Python that measures memory) made to run
/// `command` as its last arguments, in `command`'s directory and with its
/// environment.
pub fn wrapping(mut wrapper: Command, command: &Command) -> Command {
    wrapper.arg(command.get_program()).args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapper.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapper.env(key, value),
            None => wrapper.env_remove(key),
        };
    }
    wrapper
}

/// [`guard`] with HOME (and so the user's git and guard config) at `home`.
pub fn guard_with_home(dir: &Path, home: &Path) -> Command {
    let mut cmd = guard(dir);
    cmd.env("HOME", home);
    cmd
}

/// `git` run in `dir` with the pinned environment of [`Run`].
pub fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir);
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

    /// `git init -b main ARGS…` (`--object-format=sha256`, say) in a
    /// fresh directory.
    pub fn with_init(args: &[&str]) -> TempRepo {
        let repo =
            TempRepo { dir: temp_dir(), home: empty_home().to_path_buf(), commits: std::cell::Cell::new(0) };
        let mut all = vec!["init", "-q", "-b", "main"];
        all.extend_from_slice(args);
        repo.git(&all);
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

    /// A `git` command in this repository: the pinned environment of
    /// [`Run`] with this repository's HOME, fixed identities and the date.
    pub fn command(&self, args: &[&str]) -> Command {
        let minute = self.commits.get();
        let date = format!("2024-01-01T{:02}:{:02}:00Z", minute / 60, minute % 60);
        let mut cmd = git(self.path());
        cmd.args(args)
            .env("HOME", &self.home)
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.org")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.org")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        cmd
    }

    /// Runs git, asserts success, returns its trimmed standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.command(args).run();
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

/// The helper itself: a hang fails the test, named, in about the timeout
/// (`sh` stands in for a guard spinning in a hook).
#[cfg(unix)]
#[test]
fn a_command_that_outlives_its_timeout_is_killed_and_named() {
    let started = Instant::now();
    let panic = std::panic::catch_unwind(|| {
        Command::new("sh").args(["-c", "sleep 30 & sleep 30; wait"]).run_within(None, Duration::from_secs(1))
    })
    .expect_err("the command must time out");
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    assert!(message.starts_with("`sh -c sleep 30 & sleep 30; wait` did not finish within 1s"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(10), "killed, not waited for: {:?}", started.elapsed());
}

/// Every command sees only the pinned environment, and no guard on PATH.
#[test]
fn commands_get_the_pinned_environment_only() {
    let out = Command::new("sh").args(["-c", "command -v guard; env"]).env("EXTRA", "1").run();
    let text = stdout(&out);
    let mut names: Vec<&str> = text.lines().filter_map(|l| l.split_once('=').map(|(k, _)| k)).collect();
    names.sort_unstable();
    names.retain(|n| !["PWD", "SHLVL", "_", "OLDPWD"].contains(n)); // the shell's own
    assert_eq!(
        names,
        ["EXTRA", "GIT_CONFIG_NOSYSTEM", "HOME", "LC_ALL", "PATH", "TZ", "XDG_CONFIG_HOME"],
        "{text}"
    );
    assert!(!text.lines().next().unwrap_or("").ends_with("/guard"), "a guard is on PATH: {text}");
}

/// The inputs kept for fuzz target `target`, named: its seeds
/// (`fuzz/seeds/TARGET/*`), its regressions (`fuzz/regressions/TARGET/*.hex`,
/// hex so that no secret-shaped input is committed as it is) and, with
/// `local_corpus`, the uncommitted `fuzz/corpus/TARGET/*` when it exists.
pub fn fuzz_inputs(target: &str, local_corpus: bool) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut dirs = vec![fuzz.join("seeds").join(target), fuzz.join("regressions").join(target)];
    if local_corpus {
        dirs.push(fuzz.join("corpus").join(target));
    }
    let mut inputs = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("fuzz input entry").path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            let bytes =
                if file.extension().is_some_and(|e| e == "hex") { decode_hex(&bytes, &file) } else { bytes };
            inputs.push((file.display().to_string(), bytes));
        }
    }
    inputs
}

/// Hex digits (whitespace ignored) as bytes.
fn decode_hex(text: &[u8], file: &Path) -> Vec<u8> {
    let digits: Vec<u8> = text.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len() % 2 == 0, "{}: odd number of hex digits", file.display());
    let value =
        |d: u8| (d as char).to_digit(16).unwrap_or_else(|| panic!("{}: not hex", file.display())) as u8;
    digits.chunks(2).map(|pair| value(pair[0]) << 4 | value(pair[1])).collect()
}
