//! Bounded memory on large input: the pre-commit hook checks a ~100 MB
//! staged file, pre-push the commit that adds it, and `guard scan -`
//! standard input of the same size,
//! each under a peak-RSS cap proportional to RELIABILITY.md's figure
//! (under 300 MB for a 600 MB change: here 60 MB, with the process's own
//! start-up included), and the secrets placed across the scan windows'
//! cuts and at the very end are still found.

use std::process::Command;

use crate::common::{Run, TempRepo, code, expand, stderr};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// Peak RSS allowed, in KiB, for a change of [`SIZE`] bytes.
const CAP_KIB: u64 = 60 * 1024;

/// How large the change is.
const SIZE: usize = 100 << 20;

/// The peak RSS (KiB) of `command` and everything it starts, measured by
/// a Python that runs it and reads its children's rusage; and its output
/// (with its exit code).
fn peak_rss(command: &Command, input: &[u8]) -> (u64, std::process::Output) {
    let script = "import resource, subprocess, sys\n\
                  done = subprocess.run(sys.argv[1:], stdin=sys.stdin)\n\
                  print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n\
                  sys.exit(done.returncode)\n";
    let mut python = Command::new("python3");
    python.arg("-c").arg(script);
    let out = crate::common::wrapping(python, command).run_with_input(input);
    let text = stderr(&out);
    let last = text.lines().last().unwrap_or_default();
    let rss =
        last.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no rusage: {text}"));
    (rss, out)
}

/// ~100 MB of ordinary text with a token on each side of every 32 MiB
/// cut and one on the last line; the tokens.
fn big_text() -> (Vec<u8>, Vec<String>) {
    let line = b"the quick brown fox jumps over the lazy dog, again and again and again\n";
    let mut text = Vec::with_capacity(SIZE + 4096);
    let mut tokens = Vec::new();
    let cuts = [32usize << 20, 64 << 20, 96 << 20];
    while text.len() < SIZE {
        if cuts.iter().any(|&cut| text.len() < cut && cut <= text.len() + line.len()) {
            let token = expand(GITHUB, 500 + tokens.len() as u64);
            text.extend_from_slice(format!("token = {token}\n").as_bytes());
            tokens.push(token);
        }
        text.extend_from_slice(line);
    }
    let token = expand(GITHUB, 600);
    text.extend_from_slice(format!("last = {token}\n").as_bytes());
    tokens.push(token);
    (text, tokens)
}

#[test]
fn a_hundred_megabyte_commit_and_stdin_are_checked_in_bounded_memory() {
    let (text, tokens) = big_text();
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    repo.write("big.txt", &text);
    repo.git(&["add", "big.txt"]);
    // The hook as git runs it, with the gits it starts; git's own memory
    // (it may hash the whole file again to check the index) is git's.
    let (rss, out) = peak_rss(repo.guard().args(["hook", "pre-commit"]), b"");
    assert_eq!(code(&out), 1, "the hook blocked: {}", stderr(&out));
    let blocked = stderr(&out);
    assert!(blocked.contains(&format!("guard: commit blocked: {} findings", tokens.len())), "{blocked}");
    eprintln!("pre-commit on {SIZE} bytes: peak RSS {rss} KiB");
    assert!(rss < CAP_KIB, "pre-commit on {SIZE} bytes peaked at {rss} KiB (cap {CAP_KIB} KiB)");

    // The same file pushed: pre-push reads the commit's changes.
    repo.git(&["commit", "-q", "--no-verify", "-m", "big"]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let line = format!("refs/heads/main {} refs/heads/main {}\n", head.trim(), "0".repeat(head.trim().len()));
    let (rss, out) = peak_rss(repo.guard().args(["hook", "pre-push", "origin", "/nowhere"]), line.as_bytes());
    assert_eq!(code(&out), 1, "pre-push blocked: {}", stderr(&out));
    assert!(stderr(&out).contains(&format!("{} findings", tokens.len())), "{}", stderr(&out));
    eprintln!("pre-push of {SIZE} bytes: peak RSS {rss} KiB");
    assert!(rss < CAP_KIB, "pre-push of {SIZE} bytes peaked at {rss} KiB (cap {CAP_KIB} KiB)");

    let (rss, out) = peak_rss(repo.guard().args(["scan", "-"]), &text);
    assert_eq!(code(&out), 1, "guard scan - found the tokens: {}", stderr(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains(&format!("guard: {} findings", tokens.len())), "{report}");
    eprintln!("guard scan - of {SIZE} bytes: peak RSS {rss} KiB");
    assert!(rss < CAP_KIB, "guard scan - of {SIZE} bytes peaked at {rss} KiB (cap {CAP_KIB} KiB)");
}
