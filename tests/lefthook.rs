//! Beside the real lefthook (PyPI `lefthook`, installed by
//! `tests/tools.sh`): guard never writes a hook lefthook would rename, says
//! the exact lines to add, is run by lefthook once they are there (after a
//! re-sync), and `guard status` fails when lefthook moved guard's hook to
//! `NAME.old`.

use std::path::Path;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// lefthook, where `tests/tools.sh` puts it; the tests fail without it.
const LEFTHOOK: &str = "/usr/local/bin/lefthook";

/// PATH with the guard under test on it, for lefthook's `run:` lines.
fn path_with_guard(dir: &Path) -> String {
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guard"), dir.join("guard")).unwrap();
    format!("{}:{}", dir.display(), crate::common::path().to_string_lossy())
}

fn lefthook(repo: &TempRepo, path: &str, args: &[&str]) -> std::process::Output {
    assert!(Path::new(LEFTHOOK).exists(), "the tests need lefthook: run tests/tools.sh");
    std::process::Command::new(LEFTHOOK).current_dir(repo.path()).args(args).env("PATH", path).run()
}

#[test]
fn in_a_lefthook_repository_guard_says_the_lines_and_lefthook_runs_it() {
    let bin = temp_dir();
    let path = path_with_guard(bin.path());
    let repo = TempRepo::new();
    let remote = temp_dir();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.write("lefthook.yml", "post-commit:\n  commands:\n    hello:\n      run: echo hello\n");
    repo.commit_all("lefthook");
    repo.git(&["push", "-q", "origin", "main"]);
    let out = lefthook(&repo, &path, &["install"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Add these lines to lefthook.yml"), "{said}");
    assert!(!repo.path().join(".git/hooks/pre-commit").exists(), "guard wrote no hook lefthook would rename");
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    assert!(stdout(&status).contains("lefthook.yml does not run guard"), "{}", stdout(&status));

    // The printed lines, added as printed; lefthook re-synced.
    let lines = said.split_once("run `lefthook install`:\n\n").unwrap().1;
    let config = std::fs::read_to_string(repo.path().join("lefthook.yml")).unwrap();
    repo.write("lefthook.yml", format!("{config}{lines}"));
    let out = lefthook(&repo, &path, &["install"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(stdout(&status).contains("lefthook:        lefthook.yml runs guard"), "{}", stdout(&status));

    let git = |args: &[&str]| repo.command(args).env("PATH", &path).run();
    repo.write("a.txt", format!("AWS={}\n", expand(GITHUB, 95)));
    repo.git(&["add", "."]);
    let out = git(&["commit", "-q", "-m", "a staged secret"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_ne!(code(&out), 0, "{text}");
    assert!(text.contains("a.txt:1:5: github-pat-classic"), "{text}");
    repo.write("a.txt", "clean\n");
    repo.git(&["add", "."]);
    let message = format!("deploy {}", expand(GITHUB, 96));
    let out = git(&["commit", "-q", "-m", &message]);
    assert_ne!(code(&out), 0, "a message secret: {}{}", stdout(&out), stderr(&out));
    let out = git(&["commit", "-q", "-m", "clean"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    repo.write("b.txt", format!("KEY={}\n", expand(GITHUB, 97)));
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "past the commit hooks"]);
    let out = git(&["push", "-q", "origin", "main"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_ne!(code(&out), 0, "the pushed secret: {text}");
    assert!(text.contains("b.txt:1:5: github-pat-classic"), "{text}");
}

#[test]
fn status_fails_when_lefthook_moved_guards_hook_away() {
    let bin = temp_dir();
    let path = path_with_guard(bin.path());
    let repo = TempRepo::new();
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    repo.write("lefthook.yml", "pre-commit:\n  commands:\n    hello:\n      run: echo hello\n");
    let out = lefthook(&repo, &path, &["install"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(repo.path().join(".git/hooks/pre-commit.old").exists(), "lefthook renamed guard's hook");
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    assert!(stdout(&status).contains("lefthook moved guard's pre-commit hook to"), "{}", stdout(&status));
}
