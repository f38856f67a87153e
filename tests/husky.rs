//! Beside the real husky (npm `husky` 9, installed by `tests/tools.sh`):
//! `guard install` adds its line to each of husky's scripts (pre-push's
//! first) and the stub husky lacks, every hook then blocks, `guard status`
//! checks the wiring, and `guard uninstall` takes the lines out again.

use std::path::Path;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// husky's command line, where `tests/tools.sh` puts it.
const HUSKY: &str = "/opt/guard-test-tools/husky/node_modules/husky/bin.js";

#[test]
fn guard_wired_through_husky_blocks_every_hook_and_comes_out_cleanly() {
    assert!(Path::new(HUSKY).exists(), "the tests need husky: run tests/tools.sh");
    let bin = temp_dir();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guard"), bin.path().join("guard")).unwrap();
    let path = format!("{}:{}", bin.path().display(), crate::common::path().to_string_lossy());
    let repo = TempRepo::new();
    let remote = temp_dir();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    let out = std::process::Command::new("node").arg(HUSKY).current_dir(repo.path()).run();
    assert_eq!(code(&out), 0, "husky: {}{}", stdout(&out), stderr(&out));
    assert_eq!(repo.git(&["config", "core.hooksPath"]), ".husky/_");
    let team = "echo team-lint ran >&2\n";
    repo.write(".husky/pre-commit", team);
    // As in husky releases that write no pre-merge-commit stub.
    std::fs::remove_file(repo.path().join(".husky/_/pre-merge-commit")).unwrap();
    repo.write("README.md", "hello\n");
    repo.git(&["add", "README.md", ".husky/pre-commit"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "init"]);
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]);

    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("wrote husky's missing stub"), "{}", stdout(&out));
    let push = std::fs::read_to_string(repo.path().join(".husky/pre-push")).unwrap();
    assert!(push.starts_with("guard hook pre-push \"$@\""), "{push}");
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(stdout(&status).contains("guard's line in"), "{}", stdout(&status));
    assert_eq!(code(&repo.guard().arg("install").run()), 0, "installing twice");

    let git = |args: &[&str]| repo.command(args).env("PATH", &path).run();
    let said = |out: &std::process::Output| format!("{}{}", stdout(out), stderr(out));
    repo.write("a.txt", format!("TOKEN={}\n", expand(GITHUB, 100)));
    repo.git(&["add", "a.txt"]);
    let out = git(&["commit", "-q", "-m", "a staged secret"]);
    assert_ne!(code(&out), 0, "{}", said(&out));
    assert!(said(&out).contains("a.txt:1:7: github-pat-classic"), "{}", said(&out));
    repo.write("a.txt", "clean\n");
    repo.git(&["add", "a.txt"]);
    let out = git(&["commit", "-q", "-m", &format!("deploy {}", expand(GITHUB, 101))]);
    assert_ne!(code(&out), 0, "a message secret: {}", said(&out));
    let out = git(&["commit", "-q", "-m", "clean"]);
    assert_eq!(code(&out), 0, "{}", said(&out));
    assert!(said(&out).contains("team-lint ran"), "the team's line still runs: {}", said(&out));

    // A merge whose topic brought a secret in past the commit hooks.
    repo.git(&["switch", "-q", "-c", "topic"]);
    repo.write("t.txt", format!("KEY={}\n", expand(GITHUB, 102)));
    repo.git(&["add", "t.txt"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "topic"]);
    repo.git(&["switch", "-q", "main"]);
    let out = git(&["merge", "-q", "--no-ff", "-m", "merge topic", "topic"]);
    assert_ne!(code(&out), 0, "pre-merge-commit runs through the new stub: {}", said(&out));
    assert!(said(&out).contains("t.txt:1:5: github-pat-classic"), "{}", said(&out));
    repo.git(&["merge", "--abort"]);
    let out = git(&["push", "-q", "origin", "topic"]);
    assert_ne!(code(&out), 0, "the pushed secret: {}", said(&out));
    assert!(said(&out).contains("t.txt:1:5: github-pat-classic"), "{}", said(&out));

    let out = repo.guard().arg("uninstall").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(repo.path().join(".husky/pre-commit")).unwrap(), team);
    assert!(!repo.path().join(".husky/pre-push").exists());
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
}
