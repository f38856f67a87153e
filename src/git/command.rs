//! The one place guard starts git. The program is the git that runs the
//! hook (`$GIT_EXEC_PATH/git`), else the first `git` on PATH, resolved once
//! and run by absolute path (which saves the child's own PATH search: 2–3 ms
//! with a long PATH, docs/PERFORMANCE.md). Every child is told never to
//! fetch and never to prompt; its standard error is drained meanwhile, so
//! git never waits on it, and included in the error when git fails.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use anyhow::{Context, Result, bail};

/// The git binary guard runs, resolved on first use.
pub fn program() -> &'static Path {
    static GIT: OnceLock<PathBuf> = OnceLock::new();
    GIT.get_or_init(|| {
        let from_hook = std::env::var_os("GIT_EXEC_PATH")
            .filter(|dir| !dir.is_empty())
            .map(|dir| PathBuf::from(dir).join("git"))
            .filter(|candidate| is_executable(candidate));
        from_hook
            .or_else(|| {
                std::env::var_os("PATH").and_then(|path| {
                    std::env::split_paths(&path)
                        .map(|dir| dir.join("git"))
                        .find(|candidate| is_executable(candidate))
                })
            })
            .unwrap_or_else(|| PathBuf::from("git"))
    })
}

/// Whether `path` is a file git would run (a program, a hook).
pub fn is_executable(path: &Path) -> bool {
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

/// `git ARGS…` with guard's environment: no lazy fetch in a partial
/// clone, no credential prompt, standard input closed.
pub fn command<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut command = Command::new(program());
    command.args(args).env("GIT_NO_LAZY_FETCH", "1").env("GIT_TERMINAL_PROMPT", "0").stdin(Stdio::null());
    command
}

/// A running git whose standard output the caller reads.
pub struct Running {
    child: std::process::Child,
    what: String,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

impl Running {
    /// Starts `command`, which `what` names in errors (`git log`), with its
    /// standard output piped and its standard error drained.
    ///
    /// # Errors
    /// git cannot be started.
    pub fn spawn(mut command: Command, what: &str) -> Result<(Running, ChildStdout)> {
        let mut child =
            command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().with_context(|| {
                format!("starting `{what}` (guard needs the git binary; is git installed?)")
            })?;
        let stdout = child.stdout.take().with_context(|| format!("{what}'s output"))?;
        let stderr = child.stderr.take().map(|mut errors| {
            std::thread::spawn(move || {
                let mut text = Vec::new();
                // Whatever was read is shown; a read error leaves it short.
                // What is past the first 64 KiB is drained unread.
                let _ = (&mut errors).take(64 << 10).read_to_end(&mut text);
                let _ = std::io::copy(&mut errors, &mut std::io::sink());
                text
            })
        });
        Ok((Running { child, what: what.to_string(), stderr }, stdout))
    }

    /// The child's standard input, when the command was given a piped one.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin.take()
    }

    /// Stops git (after an error), so that a writer blocked on its full
    /// input pipe gets an error instead of waiting for ever.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }

    /// Waits for git to exit.
    ///
    /// # Errors
    /// git failed; its message is included.
    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait().with_context(|| format!("waiting for {}", self.what))?;
        let errors = self.stderr.take().and_then(|t| t.join().ok()).unwrap_or_default();
        if !status.success() {
            let errors = message(&errors);
            if errors.is_empty() {
                bail!("{} failed ({status})", self.what);
            }
            bail!("{} failed: {errors}", self.what);
        }
        Ok(())
    }
}

/// `git ARGS` run in `dir`: its standard output, with trailing line breaks
/// removed.
///
/// # Errors
/// git cannot be run or fails; its message is included.
pub fn output(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let what = format!("git {}", args.join(" "));
    let output = command(args).current_dir(dir).output().with_context(|| format!("running {what}"))?;
    if !output.status.success() {
        bail!("{what} failed: {}", message(&output.stderr));
    }
    let mut stdout = output.stdout;
    while matches!(stdout.last(), Some(b'\n' | b'\r')) {
        stdout.pop();
    }
    Ok(stdout)
}

/// What git said on failure, as an error quotes it: its `fatal:`, `error:`
/// and `warning:` lines if it wrote any (else its first lines), at most
/// three lines of at most 300 bytes, control characters escaped. A usage
/// text of 80 lines is not an explanation.
fn message(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let said = |l: &&str| ["fatal:", "error:", "warning:"].iter().any(|p| l.starts_with(p));
    let chosen: Vec<&str> =
        if lines.iter().any(said) { lines.iter().copied().filter(said).collect() } else { lines };
    let mut shown: Vec<String> = chosen
        .iter()
        .take(3)
        .map(|line| {
            let end = line.char_indices().nth(300).map_or(line.len(), |(at, _)| at);
            crate::safe_text::name(&line[..end])
        })
        .collect();
    if chosen.len() > 3 {
        shown.push(format!("({} more lines)", chosen.len() - 3));
    }
    shown.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usage_text_becomes_its_error_line() {
        let usage =
            format!("error: unknown option `cached'\nusage: git diff\n{}", "    -p  patch\n".repeat(80));
        assert_eq!(message(usage.as_bytes()), "error: unknown option `cached'");
        let many = "line\n".repeat(10);
        assert_eq!(message(many.as_bytes()), "line\nline\nline\n(7 more lines)");
        assert_eq!(message(b"fatal: \x1b[31mred"), "fatal: \\u{1b}[31mred");
    }
}
