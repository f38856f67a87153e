//! guard is provably local: every command and every git hook, run under
//! `strace -f`, opens no AF_INET or AF_INET6 socket and connects to no
//! network address (a local AF_UNIX socket, which glibc may use, is not
//! network); and every git that guard starts is told never to fetch and
//! never to prompt.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// `command` run under `strace -f` with `filter` (and `-v`, which prints
/// each `execve`'s environment, when `verbose`); its output and the trace.
fn traced(command: &Command, filter: &str, verbose: bool, input: &[u8]) -> (Output, String) {
    let dir = temp_dir();
    let log = dir.path().join("trace");
    let mut strace = Command::new("strace");
    strace.args(["-f", "-qq", "-s", "4096", "-e", filter]);
    if verbose {
        strace.arg("-v");
    }
    strace.arg("-o").arg(&log);
    let out = crate::common::wrapping(strace, command).run_with_input(input);
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    (out, trace)
}

/// The network system calls in a trace of `socket` and `connect`.
fn network_calls(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .filter(|line| {
            (line.contains("socket(") || line.contains("connect("))
                && (line.contains("AF_INET") || line.contains("AF_INET6"))
        })
        .collect()
}

fn assert_local(what: &str, command: &Command, input: &[u8]) -> Output {
    let (out, trace) = traced(command, "trace=socket,connect", false, input);
    let calls = network_calls(&trace);
    assert!(calls.is_empty(), "{what} opened a network socket:\n{}", calls.join("\n"));
    out
}

/// strace itself must work here, or every assertion below proves nothing.
fn strace_works() {
    let out = Command::new("strace").args(["-f", "-o", "/dev/null", "true"]).run();
    assert_eq!(
        code(&out),
        0,
        "strace -f true failed, so no-network cannot be checked (install strace; in a container, allow ptrace): {}",
        stderr(&out)
    );
}

fn repo_with_secret_staged() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    repo.write("deploy.env.sh", format!("export GITHUB_TOKEN={}\n", expand(GITHUB, 71)));
    repo.git(&["add", "deploy.env.sh"]);
    repo
}

#[test]
fn no_command_and_no_hook_opens_a_network_socket() {
    strace_works();
    let repo = repo_with_secret_staged();
    let scan = assert_local("guard scan", repo.guard().args(["scan", "."]), b"");
    assert_eq!(code(&scan), 1, "the scan did real work: {}", stdout(&scan));
    let staged = assert_local("guard scan --staged", repo.guard().args(["scan", "--staged"]), b"");
    assert_eq!(code(&staged), 1);
    repo.git(&["commit", "-q", "--no-verify", "-m", "leak"]);
    let history = assert_local("guard scan-history", repo.guard().arg("scan-history"), b"");
    assert_eq!(code(&history), 1);
    let audit = assert_local("guard audit", repo.guard().arg("audit"), b"");
    assert!(matches!(code(&audit), 0 | 1), "{}", stderr(&audit));

    // Every git hook, run by git itself.
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo.write("b.txt", format!("token = {}\n", expand(GITHUB, 72)));
    repo.git(&["add", "b.txt"]);
    let blocked = assert_local("pre-commit", &repo.command(&["commit", "-q", "-m", "b"]), b"");
    assert_ne!(code(&blocked), 0, "pre-commit blocked the secret");
    repo.write("b.txt", "clean\n");
    repo.git(&["add", "b.txt"]);
    let clean = assert_local("pre-commit and commit-msg", &repo.command(&["commit", "-q", "-m", "b"]), b"");
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.write("c.txt", "side\n");
    repo.commit_all("side");
    repo.git(&["checkout", "-q", "-"]);
    let merge =
        assert_local("pre-merge-commit", &repo.command(&["merge", "-q", "--no-ff", "-m", "m", "side"]), b"");
    assert_eq!(code(&merge), 0, "{}", stderr(&merge));
    let remote = temp_dir();
    let bare = remote.path().join("remote.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    let push =
        assert_local("pre-push", &repo.command(&["push", "-q", "origin", "HEAD:refs/heads/main"]), b"");
    assert_ne!(code(&push), 0, "pre-push blocked the history's secret: {}", stderr(&push));

    let event = json!({
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": repo.path(),
        "hook_event_name": "UserPromptSubmit",
        "prompt": format!("use {}", expand(GITHUB, 73)),
    });
    let claude = assert_local(
        "guard hook claude",
        repo.guard().args(["hook", "claude"]),
        event.to_string().as_bytes(),
    );
    assert_eq!(code(&claude), 2, "the prompt was blocked");
}

/// Every git guard starts carries `GIT_NO_LAZY_FETCH=1` and
/// `GIT_TERMINAL_PROMPT=0`.
#[test]
fn every_git_guard_starts_is_told_never_to_fetch_or_prompt() {
    strace_works();
    let repo = repo_with_secret_staged();
    repo.git(&["commit", "-q", "--no-verify", "-m", "leak"]);
    for args in [&["scan-history"][..], &["scan", "--staged"], &["status"], &["audit"]] {
        let (_, trace) = traced(repo.guard().args(args), "trace=execve", true, b"");
        let gits: Vec<&str> = trace
            .lines()
            .filter(|line| {
                line.contains("execve(\"")
                    && line.split('"').nth(1).is_some_and(|p| Path::new(p).ends_with("git"))
            })
            .collect();
        assert!(!gits.is_empty() || args == ["status"], "guard {args:?} started no git?\n{trace}");
        for line in gits {
            assert!(
                line.contains("\"GIT_NO_LAZY_FETCH=1\"") && line.contains("\"GIT_TERMINAL_PROMPT=0\""),
                "guard {args:?} started git without the no-fetch, no-prompt environment:\n{line}"
            );
        }
    }
}
