//! Every source treats Git LFS pointers and content over the size limit
//! alike, through the one pipeline: a pointer as its specification writes
//! it is skipped (said with `--verbose`), a file that only starts like one
//! is ordinary content, and content over `--max-file-size` is listed and
//! not scanned by `scan` and `scan-history`, while the hooks (git's and
//! Claude Code's) check a change whole whatever the limit says.

use serde_json::json;

use crate::common::{Run, TempRepo, code, expand, guard, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// A Git LFS pointer as git-lfs writes it.
fn pointer(seed: u64) -> String {
    format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 12345\n",
        expand("{{hex:64}}", seed)
    )
}

/// A pointer with a secret pasted below it.
fn fake_pointer(seed: u64) -> String {
    format!("{}token = {}\n", pointer(seed), expand(GITHUB, seed))
}

/// Over 100 bytes, with a secret at the end.
fn large(seed: u64) -> String {
    format!("{}\nk = {}\n", "# padding line\n".repeat(20), expand(GITHUB, seed))
}

const SMALL_LIMIT: &str = "[scan]\nmax_file_size = \"100B\"\n";

#[test]
fn files() {
    let dir = temp_dir();
    write(dir.path(), "model.bin", pointer(1));
    let out = guard(dir.path()).args(["scan", "--verbose", "."]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("model.bin: a Git LFS pointer"), "{}", stderr(&out));
    write(dir.path(), "model.bin", fake_pointer(2));
    assert_eq!(code(&guard(dir.path()).args(["scan", "."]).run()), 1);
    write(dir.path(), "model.bin", large(3));
    let out = guard(dir.path()).args(["scan", "--max-file-size", "100B", "."]).run();
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("not read: model.bin:") && stdout(&out).contains("size limit"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_input() {
    let dir = temp_dir();
    let scan = |input: &str, args: &[&str]| {
        let out = guard(dir.path()).args(["scan", "-"]).args(args).run_with_input(input.as_bytes());
        (code(&out), stdout(&out))
    };
    assert_eq!(scan(&pointer(4), &[]).0, 0);
    assert_eq!(scan(&fake_pointer(5), &[]).0, 1);
    let (status, err) = scan(&large(6), &["--max-file-size", "100B"]);
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("not read: <stdin>") && err.contains("size limit"), "{err}");
    assert_eq!(scan(&large(6), &[]).0, 1, "under the default limit it is scanned");
}

fn installed_repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo
}

fn try_commit(repo: &TempRepo, file: &str, content: &str) -> i32 {
    repo.write(file, content);
    repo.git(&["add", file]);
    let out = repo.command(&["commit", "-q", "-m", "change"]).run();
    if code(&out) != 0 {
        repo.git(&["reset", "-q", "--hard"]);
    }
    code(&out)
}

#[test]
fn staged() {
    let repo = installed_repo();
    repo.write("guard.toml", SMALL_LIMIT);
    repo.commit_all("limit");
    assert_eq!(try_commit(&repo, "model.bin", &pointer(7)), 0, "a pointer commits");
    assert_ne!(try_commit(&repo, "model.bin", &fake_pointer(8)), 0, "a fake pointer is checked");
    assert_ne!(try_commit(&repo, "big.txt", &large(9)), 0, "the hook checks a large file whole");
}

#[test]
fn commit_messages() {
    let repo = installed_repo();
    repo.write("guard.toml", SMALL_LIMIT);
    repo.commit_all("limit");
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    let out = repo.command(&["commit", "-q", "-m", &large(10)]).run();
    assert_ne!(code(&out), 0, "a long message is checked whole");
    let out = repo.command(&["commit", "-q", "-m", &pointer(11)]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn pushed() {
    let remote = temp_dir();
    let repo = installed_repo();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.write("guard.toml", SMALL_LIMIT);
    repo.commit_all("limit");
    repo.git(&["push", "-q", "origin", "main"]);
    let push_with = |file: &str, content: &str| {
        repo.write(file, content);
        repo.git(&["add", file]);
        repo.commit(&["-q", "--no-verify", "-m", "change"]);
        let status = code(&repo.command(&["push", "-q", "origin", "main"]).run());
        if status != 0 {
            repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
        }
        status
    };
    assert_eq!(push_with("model.bin", &pointer(12)), 0, "a pointer is pushed");
    assert_ne!(push_with("model.bin", &fake_pointer(13)), 0, "a fake pointer is checked");
    assert_ne!(push_with("big.txt", &large(14)), 0, "pre-push checks a large file whole");
}

#[test]
fn history() {
    let repo = TempRepo::new();
    repo.write("model.bin", pointer(15));
    repo.commit_all("pointer");
    let out = repo.guard().arg("scan-history").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    repo.write("fake.bin", fake_pointer(16));
    repo.commit_all("fake pointer");
    assert_eq!(code(&repo.guard().arg("scan-history").run()), 1);
    let repo = TempRepo::new();
    repo.write("big.txt", large(17));
    repo.commit_all("big");
    let out = repo.guard().args(["scan-history", "--max-file-size", "100B"]).run();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("at big.txt:") && stdout(&out).contains("size limit"), "{}", stdout(&out));
}

#[test]
fn assistant_payloads() {
    let dir = temp_dir();
    write(dir.path(), "guard.toml", SMALL_LIMIT);
    let read = |file: &str| {
        let event = json!({
            "session_id": "s1",
            "transcript_path": "/tmp/t.jsonl",
            "cwd": dir.path(),
            "hook_event_name": "PreToolUse",
            "tool_name": "Read",
            "tool_input": { "file_path": file },
        });
        code(&guard(dir.path()).args(["hook", "claude"]).run_with_input(event.to_string().as_bytes()))
    };
    write(dir.path(), "model.bin", pointer(18));
    assert_eq!(read("model.bin"), 0);
    write(dir.path(), "fake.bin", fake_pointer(19));
    assert_eq!(read("fake.bin"), 2);
    write(dir.path(), "big.txt", large(20));
    assert_eq!(read("big.txt"), 2, "a Read is judged whole whatever the limit");
}
