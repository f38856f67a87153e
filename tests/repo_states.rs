//! The rows of docs/RELIABILITY.md's bad-input table that are states of a
//! repository or shapes of a tree, each with the real git: a long single
//! line, symlinks, a submodule, detached HEAD, mid-merge and mid-rebase
//! commits, a locked index, a read-only hooks directory, a directory tree
//! deeper than the system's path limit, and a repository whose path is not
//! UTF-8.

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn installed() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo
}

fn stage_secret(repo: &TempRepo, path: &str, seed: u64) {
    repo.write(path, format!("token = {}\n", expand(GITHUB, seed)));
    repo.git(&["add", path]);
}

#[test]
fn a_secret_at_the_end_of_a_ten_megabyte_line_is_found_and_blocks() {
    let repo = installed();
    let mut line = "a".repeat(10 << 20);
    line.push(' ');
    line.push_str(&expand(GITHUB, 11));
    line.push('\n');
    repo.write("long.txt", &line);
    repo.git(&["add", "long.txt"]);
    let out = repo.command(&["commit", "-q", "-m", "long"]).run();
    assert_ne!(code(&out), 0, "blocked");
    assert!(stderr(&out).contains("long.txt:1:"), "{}", stderr(&out));
}

#[test]
fn a_staged_symlink_is_judged_by_its_target_text_not_followed() {
    let repo = installed();
    let outside = temp_dir();
    write(outside.path(), "secret.txt", format!("token = {}\n", expand(GITHUB, 12)));
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), repo.path().join("link.txt")).unwrap();
    repo.git(&["add", "link.txt"]);
    let out = repo.command(&["commit", "-q", "-m", "link"]).run();
    assert_eq!(code(&out), 0, "a link's blob is its target's path, which holds no secret: {}", stderr(&out));
    let scan = repo.guard().args(["scan", "."]).run();
    assert_eq!(code(&scan), 0, "scan does not follow a link out of the tree: {}", stdout(&scan));
}

#[test]
fn a_submodule_is_skipped_and_the_rest_of_the_commit_checked() {
    let inner = TempRepo::new();
    inner.write("x.txt", "inner\n");
    inner.commit_all("inner");
    let repo = installed();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        inner.path().to_str().unwrap(),
        "sub",
    ]);
    let clean = repo.command(&["commit", "-q", "-m", "sub"]).run();
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    stage_secret(&repo, "app.env.sh", 13);
    let blocked = repo.command(&["commit", "-q", "-m", "leak"]).run();
    assert_ne!(code(&blocked), 0);
}

#[test]
fn detached_head_mid_merge_and_mid_rebase_commits_are_checked() {
    let repo = installed();
    // Detached HEAD.
    repo.git(&["checkout", "-q", "--detach"]);
    stage_secret(&repo, "a.txt", 14);
    assert_ne!(code(&repo.command(&["commit", "-q", "-m", "a"]).run()), 0, "detached HEAD");
    repo.git(&["reset", "-q", "--hard"]);
    repo.git(&["checkout", "-q", "-"]);
    let main = repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]);
    let main = main.trim();

    // A merge stopped by a conflict, resolved with a secret.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("README.md", "side\n");
    repo.commit_all("side");
    repo.git(&["checkout", "-q", main]);
    repo.write("README.md", "main\n");
    repo.commit_all("main");
    let merge = repo.command(&["merge", "-q", "side"]).run();
    assert_ne!(code(&merge), 0, "a conflict stops the merge");
    repo.write("README.md", format!("resolved {}\n", expand(GITHUB, 15)));
    repo.git(&["add", "README.md"]);
    let out = repo.command(&["commit", "-q", "--no-edit"]).run();
    assert_ne!(code(&out), 0, "the resolution is checked: {}", stderr(&out));
    assert!(repo.path().join(".git/MERGE_HEAD").exists(), "the merge is still in progress");
    repo.git(&["merge", "--abort"]);

    // A rebase stopped by a conflict, continued with a secret: git runs no
    // pre-commit hook for the commits a rebase makes, so pre-push is the
    // gate that sees it.
    repo.git(&["checkout", "-q", "side"]);
    let rebase = repo.command(&["rebase", "-q", main]).run();
    assert_ne!(code(&rebase), 0, "a conflict stops the rebase");
    repo.write("README.md", format!("rebased {}\n", expand(GITHUB, 16)));
    repo.git(&["add", "README.md"]);
    let out = repo.command(&["-c", "core.editor=true", "rebase", "--continue"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let remote = temp_dir();
    let bare = remote.path().join("r.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    let push = repo.command(&["push", "-q", bare.to_str().unwrap(), "side"]).run();
    assert_ne!(code(&push), 0, "pre-push blocks the rebased commit: {}", stderr(&push));
    assert!(stderr(&push).contains("README.md:1:"), "{}", stderr(&push));
}

#[test]
fn a_locked_index_is_read_not_written() {
    let repo = installed();
    stage_secret(&repo, "a.txt", 17);
    let lock = repo.path().join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let out = repo.guard().args(["scan", "--staged"]).run();
    assert_eq!(code(&out), 1, "the staged secret is found while the index is locked: {}", stderr(&out));
    assert_eq!(std::fs::read(&lock).unwrap(), b"", "guard never touches git's lock");
}

#[cfg(unix)]
#[test]
fn a_read_only_hooks_directory_is_a_clear_error_and_nothing_is_half_written() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TempRepo::new();
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let before: Vec<_> = std::fs::read_dir(&hooks).unwrap().flatten().map(|e| e.file_name()).collect();
    std::fs::set_permissions(&hooks, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = std::fs::write(hooks.join("probe"), "").is_ok();
    let out = repo.guard().arg("install").run();
    std::fs::set_permissions(&hooks, std::fs::Permissions::from_mode(0o755)).unwrap();
    if writable {
        // Running as root: permissions do not bind, so nothing to check.
        let _ = std::fs::remove_file(hooks.join("probe"));
        return;
    }
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stderr(&out).contains(hooks.to_str().unwrap()), "names the directory: {}", stderr(&out));
    let after: Vec<_> = std::fs::read_dir(&hooks).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(before, after);
}

#[cfg(unix)]
#[test]
fn a_tree_deeper_than_the_path_limit_is_an_error_never_nothing_found() {
    let dir = temp_dir();
    // Made with relative steps: the whole path is over PATH_MAX.
    let deep = "import os\nfor _ in range(3000):\n    os.mkdir('d'); os.chdir('d')\nopen('x.txt', 'w').write('hi')\n";
    let made = std::process::Command::new("python3").arg("-c").arg(deep).current_dir(dir.path()).run();
    assert_eq!(code(&made), 0, "{}", stderr(&made));
    write(dir.path(), "top.txt", format!("token = {}\n", expand(GITHUB, 18)));
    let out = crate::common::guard(dir.path()).args(["scan", "."]).run();
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(code(&out), 2, "an unreadable part is an error");
    assert!(text.contains("top.txt:1:"), "what was read is still reported");
    assert!(!text.contains("no secrets found"), "{}", &text[text.len().saturating_sub(400)..]);
    assert!(text.contains("incomplete"), "{}", &text[text.len().saturating_sub(400)..]);
}

#[cfg(unix)]
#[test]
fn install_works_in_a_repository_whose_path_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = temp_dir();
    let root = dir.path().join(std::ffi::OsStr::from_bytes(b"na\xffme"));
    std::fs::create_dir(&root).unwrap();
    crate::common::git(&root).args(["init", "-q"]).run();
    let out = crate::common::guard(&root).arg("install").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(root.join(".git/hooks/pre-commit").is_file());
}

#[cfg(unix)]
#[test]
fn a_baseline_or_config_that_is_a_fifo_or_an_endless_file_is_an_error_not_a_hang() {
    let repo = installed();
    for (file, kind) in
        [(".guard-baseline.toml", "fifo"), (".guard-baseline.toml", "zero"), ("guard.toml", "fifo")]
    {
        let path = repo.path().join(file);
        match kind {
            "fifo" => assert_eq!(code(&std::process::Command::new("mkfifo").arg(&path).run()), 0),
            _ => std::os::unix::fs::symlink("/dev/zero", &path).unwrap(),
        }
        let out = repo.guard().args(["scan", "."]).run();
        assert_eq!(code(&out), 2, "{file} as {kind}: {}", stderr(&out));
        // A link to /dev/zero leads out of the repository, which is said first.
        let said = if kind == "zero" { "outside the repository" } else { "not a regular file" };
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
        repo.write("a.txt", kind);
        repo.git(&["add", "a.txt"]);
        assert_ne!(code(&repo.command(&["commit", "-q", "-m", "a"]).run()), 0, "{file} as {kind} blocks");
        std::fs::remove_file(&path).unwrap();
    }
}
