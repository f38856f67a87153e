//! Helpers shared by the integration tests: the guard binary with a pinned,
//! empty environment, temp directories, and the template expander.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use guard::config::Config;
use guard::pipeline::Pipeline;
use guard::rules::template::Expander;

/// The built binary, run in `dir` with HOME and config pointed at an empty
/// temp directory, so the developer's own settings never leak in.
pub fn guard(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guard"));
    let home = dir.join(".test-home");
    std::fs::create_dir_all(&home).expect("create test home");
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    cmd
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
