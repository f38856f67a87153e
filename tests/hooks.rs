//! Hooks with the real git: `guard install` in temp repositories, then real
//! commits, merges and worktrees; install/uninstall leave no trace.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn install(repo: &TempRepo) {
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

/// Every file under `dir` with its mode and bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let meta = std::fs::symlink_metadata(entry.path()).unwrap();
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
        #[cfg(not(unix))]
        let mode = 0;
        let bytes = if meta.is_file() { std::fs::read(entry.path()).unwrap() } else { Vec::new() };
        files.insert(entry.file_name().to_string_lossy().into_owned(), (mode, bytes));
    }
    files
}

/// `git commit` through the hooks; returns (exit code, stderr).
fn commit(repo: &TempRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["commit", "-q"];
    all.extend_from_slice(args);
    let out = repo.command(&all).run();
    (code(&out), stderr(&out))
}

fn head(repo: &TempRepo) -> String {
    stdout(&repo.command(&["rev-parse", "--verify", "-q", "HEAD"]).run()).trim().to_string()
}

#[cfg(unix)]
fn write_hook(repo: &TempRepo, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = repo.path().join(".git/hooks").join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_secret_blocks_the_commit_and_the_commit_does_not_exist() {
    let repo = TempRepo::new();
    install(&repo);
    let token = expand(GITHUB, 1);
    repo.write("app.env.txt", format!("TOKEN={token}\n"));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "first"]);
    assert_ne!(exit, 0, "the commit must be blocked");
    assert!(err.contains("commit blocked") && err.contains("app.env.txt:1:7: github-pat-classic"), "{err}");
    assert!(!err.contains(&token), "the secret must be redacted: {err}");
    assert!(err.contains("--no-verify"), "{err}");
    assert_eq!(head(&repo), "", "no commit was made");

    repo.write("app.env.txt", "TOKEN=${GITHUB_TOKEN}\n");
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "clean"]);
    assert_eq!(exit, 0, "{err}");
    assert_ne!(head(&repo), "");
}

#[test]
fn only_added_lines_count_and_partial_staging_is_judged_by_the_index() {
    let repo = TempRepo::new();
    repo.write("config.txt", format!("old = {}\n", expand(GITHUB, 2)));
    repo.commit(&["-q", "--allow-empty", "-m", "empty"]);
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "an old secret, committed before guard"]);
    install(&repo);
    // Editing another line of the file: the old secret is not an added line.
    repo.write("config.txt", format!("old = {}\nname = demo\n", expand(GITHUB, 2)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "edit"]);
    assert_eq!(exit, 0, "{err}");
    // A secret only in the work tree, not staged: the commit passes.
    repo.write("notes.txt", "nothing\n");
    repo.git(&["add", "notes.txt"]);
    repo.write("notes.txt", format!("{}\n", expand(GITHUB, 3)));
    let (exit, err) = commit(&repo, &["-m", "staged version is clean"]);
    assert_eq!(exit, 0, "{err}");
    // The staged version has the secret, the work tree no longer does.
    repo.write("notes.txt", format!("{}\n", expand(GITHUB, 4)));
    repo.git(&["add", "notes.txt"]);
    repo.write("notes.txt", "cleaned too late\n");
    let (exit, _) = commit(&repo, &["-m", "staged version has it"]);
    assert_ne!(exit, 0);
}

/// A key pasted between a header and footer committed earlier: only its
/// body lines are added, yet the multi-line rule sees the whole block (the
/// staged file is scanned whole; only single-line rules skip the lines the
/// commit does not add).
#[test]
fn a_multi_line_secret_around_the_added_lines_blocks_the_commit() {
    let repo = TempRepo::new();
    let (header, footer) = ("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----");
    repo.write("deploy/notes.txt", format!("{header}\n{footer}\n"));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "an empty key block"]);
    install(&repo);
    let body = expand("{{pem_body:12}}", 5);
    repo.write("deploy/notes.txt", format!("{header}\n{body}\n{footer}\n"));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "paste the key"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("private-key-rsa"), "{err}");
}

#[test]
fn commit_all_commit_path_and_amend_use_the_index_git_prepares() {
    let repo = TempRepo::new();
    repo.write("a.txt", "a\n");
    repo.write("b.txt", "b\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "init"]);
    install(&repo);
    let before = head(&repo);
    repo.write("a.txt", format!("a = {}\n", expand(GITHUB, 5)));
    let (exit, _) = commit(&repo, &["-a", "-m", "commit -a"]);
    assert_ne!(exit, 0, "git commit -a must be blocked");
    let (exit, _) = commit(&repo, &["-m", "commit PATH", "a.txt"]);
    assert_ne!(exit, 0, "git commit PATH must be blocked");
    repo.git(&["add", "a.txt"]);
    let (exit, _) = commit(&repo, &["--amend", "--no-edit"]);
    assert_ne!(exit, 0, "git commit --amend must be blocked");
    assert_eq!(head(&repo), before);
    // b.txt clean, committed by path while a.txt's secret stays unstaged.
    repo.git(&["reset", "-q"]);
    repo.write("b.txt", "b2\n");
    let (exit, err) = commit(&repo, &["-m", "only b", "b.txt"]);
    assert_eq!(exit, 0, "{err}");
}

#[test]
fn a_secret_file_name_blocks_the_commit() {
    let repo = TempRepo::new();
    install(&repo);
    repo.write(".env", "DEBUG=1\n");
    repo.git(&["add", ".env"]);
    let (exit, err) = commit(&repo, &["-m", "env"]);
    assert_ne!(exit, 0);
    assert!(err.contains(".env: file-dotenv"), "{err}");
}

#[test]
fn a_secret_in_the_commit_message_blocks_it() {
    let repo = TempRepo::new();
    install(&repo);
    repo.write("a.txt", "a\n");
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", &format!("debug with {}", expand(GITHUB, 6))]);
    assert_ne!(exit, 0);
    assert!(err.contains("commit message:1:"), "{err}");
}

/// git keeps what `-m` gives it below a cut line and in comment lines
/// (cleanup `whitespace`), and everything with `--cleanup=verbatim`: all of
/// it is the message.
#[test]
fn commit_msg_checks_comment_lines_and_text_below_a_cut_line() {
    let repo = TempRepo::new();
    install(&repo);
    let cut = "# ------------------------ >8 ------------------------";
    let notice = "# Do not modify or remove the line above.\n# Everything below it will be ignored.";
    let cases = [
        vec!["-m".to_string(), format!("Subject\n\n{cut}\ntoken {}", expand(GITHUB, 90))],
        vec!["-m".to_string(), format!("Subject\n\n{cut}\n{notice}\nnot a diff {}", expand(GITHUB, 91))],
        vec!["-m".to_string(), format!("Subject\n\n# token {}", expand(GITHUB, 92))],
        vec![
            "--cleanup=verbatim".to_string(),
            "-m".to_string(),
            format!("Subject\n# {}", expand(GITHUB, 93)),
        ],
    ];
    for (seed, args) in cases.iter().enumerate() {
        repo.write("a.txt", format!("{seed}\n"));
        repo.git(&["add", "."]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (exit, err) = commit(&repo, &args);
        assert_eq!(exit, 1, "{args:?}: {err}");
        assert!(err.contains("commit message:") && err.contains("github-pat-classic"), "{args:?}: {err}");
        assert_eq!(head(&repo), "", "{args:?}: nothing was committed");
    }
}

/// An editor script that puts `message` above what git wrote in the file.
#[cfg(unix)]
fn editor(dir: &Path, message: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("editor.sh");
    let script = format!(
        "#!/bin/sh\n{{ printf '%s\\n' '{message}'; cat \"$1\"; }} > \"$1.new\" && mv \"$1.new\" \"$1\"\n"
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// `git commit -v` shows the diff below git's cut notice; a change that
/// removes a secret passes, whatever the comment character, while a
/// secret the user writes above the notice still blocks.
#[cfg(unix)]
#[test]
fn commit_verbose_of_a_change_that_removes_a_secret_passes() {
    let scratch = crate::common::temp_dir();
    for (index, comment) in ["#", ";", "auto"].into_iter().enumerate() {
        let repo = TempRepo::new();
        repo.git(&["config", "core.commentChar", comment]);
        let token = expand(GITHUB, 94);
        repo.write("config.txt", format!("one\nTOKEN={token}\nthree\n"));
        repo.commit_all("with a secret");
        install(&repo);
        repo.write("config.txt", "one\nthree\nfour\n");
        repo.git(&["add", "."]);
        let clean = editor(scratch.path(), &format!("Remove the token {index}"));
        let out = repo.command(&["commit", "-q", "-v"]).env("GIT_EDITOR", &clean).run();
        assert_eq!(code(&out), 0, "comment {comment}: {}", stderr(&out));
        let message = repo.git(&["log", "-1", "--format=%B"]);
        assert_eq!(message, format!("Remove the token {index}"), "the diff is not in the commit");

        repo.write("config.txt", "one\n");
        repo.git(&["add", "."]);
        let leaky = editor(scratch.path(), &format!("Oops {}", expand(GITHUB, 95)));
        let out = repo.command(&["commit", "-q", "-v"]).env("GIT_EDITOR", &leaky).run();
        assert_eq!(code(&out), 1, "comment {comment}: {}", stderr(&out));
        assert!(stderr(&out).contains("commit message:1:"), "{}", stderr(&out));
    }
}

#[test]
fn a_clean_merge_that_brings_in_a_secret_is_blocked() {
    let repo = TempRepo::new();
    repo.write("a.txt", "a\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "init"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.txt", format!("key = AKIA{}\n", expand("{{base32:16}}", 7)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "feature, hooks bypassed"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.txt", "main\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "main moves on"]);
    install(&repo);
    let before = head(&repo);
    let out = repo.command(&["merge", "--no-edit", "feature"]).run();
    assert_ne!(code(&out), 0, "the merge must be blocked");
    assert!(stderr(&out).contains("merge blocked"), "{}", stderr(&out));
    assert_eq!(head(&repo), before);
}

#[cfg(unix)]
#[test]
fn install_twice_then_uninstall_restores_the_hooks_directory_byte_for_byte() {
    let repo = TempRepo::new();
    write_hook(
        &repo,
        "pre-commit",
        "#!/bin/sh\necho team hook >> \"$(git rev-parse --git-dir)/team-hook-ran\"\n",
    );
    let hooks = repo.path().join(".git/hooks");
    let before = snapshot(&hooks);
    install(&repo);
    let once = snapshot(&hooks);
    install(&repo);
    assert_eq!(snapshot(&hooks), once, "installing twice changes nothing");
    assert!(once.contains_key("pre-commit.pre-guard"));

    // The team's hook still runs, after guard, when guard passes.
    repo.write("a.txt", "a\n");
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "clean"]);
    assert_eq!(exit, 0, "{err}");
    assert!(repo.path().join(".git/team-hook-ran").exists(), "the chained hook ran");

    let out = repo.guard().arg("uninstall").run();
    assert_eq!(code(&out), 0);
    assert_eq!(snapshot(&hooks), before, "uninstall restores every file, modes included");
}

#[test]
fn status_reports_missing_then_current_hooks() {
    let repo = TempRepo::new();
    let out = repo.guard().arg("status").run();
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("missing"));
    install(&repo);
    let out = repo.guard().arg("status").run();
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("pre-commit:       guard's, current"), "{}", stdout(&out));
    repo.write("guard.toml", "[rules]\ndisable = [\"nope\"]\n");
    let out = repo.guard().arg("status").run();
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("INVALID"), "{}", stdout(&out));
}

#[test]
fn hooks_path_and_linked_worktrees() {
    let repo = TempRepo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    repo.write("a.txt", "a\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "init"]);
    install(&repo);
    assert!(repo.path().join(".githooks/pre-commit").exists(), "installed where core.hooksPath points");
    repo.git(&["config", "--unset", "core.hooksPath"]);
    install(&repo);
    let worktree = repo.path().with_extension("worktree");
    repo.git(&["worktree", "add", "-q", worktree.to_str().unwrap()]);
    std::fs::write(worktree.join("w.txt"), format!("{}\n", expand(GITHUB, 8))).unwrap();
    let add = repo.command(&["-C", worktree.to_str().unwrap(), "add", "w.txt"]).run();
    assert!(add.status.success());
    let out = repo.command(&["-C", worktree.to_str().unwrap(), "commit", "-q", "-m", "in worktree"]).run();
    assert_ne!(code(&out), 0, "the linked worktree shares the hooks: {}", stderr(&out));
    std::fs::remove_dir_all(&worktree).unwrap();
}

#[test]
fn errors_block_and_say_how_to_bypass() {
    let repo = TempRepo::new();
    install(&repo);
    repo.write("guard.toml", "[allow]\nnot_a_key = 1\n");
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "with a broken guard.toml"]);
    assert_ne!(exit, 0);
    assert!(err.contains("guard.toml:2") && err.contains("--no-verify"), "{err}");
}

/// Overwrites loose object `oid` with bytes that do not inflate.
fn corrupt_loose_object(repo: &TempRepo, oid: &str) {
    let object = repo.path().join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    let mut permissions = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&object, permissions).unwrap();
    std::fs::write(&object, b"not zlib at all").unwrap();
}

/// guard reads objects without hashing them again (as git does); an object
/// that does not even inflate still blocks, and the error names it.
#[test]
fn a_corrupt_staged_object_blocks_and_is_named() {
    let repo = TempRepo::new();
    repo.write("a.txt", "hello\n");
    repo.git(&["add", "a.txt"]);
    let oid = repo.git(&["rev-parse", ":a.txt"]).trim().to_string();
    corrupt_loose_object(&repo, &oid);
    let out = repo.guard().args(["hook", "pre-commit"]).run();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains(&oid) && stderr(&out).contains("--no-verify"), "{}", stderr(&out));
}

/// When git's own diff fails (here HEAD's tree is corrupt), the commit is
/// blocked with git's message, which names the object.
#[test]
fn a_failing_git_diff_blocks_with_gits_message() {
    let repo = TempRepo::new();
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    repo.commit(&["-q", "-m", "init"]);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    corrupt_loose_object(&repo, &tree);
    repo.write("b.txt", "b\n");
    repo.git(&["add", "b.txt"]);
    let out = repo.guard().args(["hook", "pre-commit"]).run();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("git diff --cached failed") && stderr(&out).contains(&tree),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_missing_guard_binary_blocks_with_a_clear_message() {
    let repo = TempRepo::new();
    install(&repo);
    let hook = repo.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    let start = script.find("installed=").unwrap();
    let end = start + script[start..].find('\n').unwrap();
    let moved = format!("{}installed='/nonexistent/guard'{}", &script[..start], &script[end..]);
    std::fs::write(&hook, moved).unwrap();
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "x"]);
    assert_ne!(exit, 0);
    assert!(err.contains("/nonexistent/guard is missing"), "{err}");
    let direct = std::process::Command::new(&hook)
        .current_dir(repo.path())
        .env("PATH", crate::common::path())
        .run_with_input(b"");
    assert_eq!(code(&direct), 2, "errors exit 2: {}", stderr(&direct));

    // There, but not executable: said so, not "missing".
    let binary = repo.path().join("not-executable-guard");
    std::fs::write(&binary, "#!/bin/sh\n").unwrap();
    let here = format!("{}installed='{}'{}", &script[..start], binary.display(), &script[end..]);
    std::fs::write(&hook, here).unwrap();
    let (exit, err) = commit(&repo, &["-m", "x"]);
    assert_ne!(exit, 0);
    assert!(err.contains("not-executable-guard is there but not executable"), "{err}");
}

#[test]
fn scan_staged_reports_like_scan() {
    let repo = TempRepo::new();
    repo.write("a.txt", format!("{}\n", expand(GITHUB, 9)));
    let out = repo.guard().args(["scan", "--staged"]).run();
    assert_eq!(code(&out), 0, "nothing staged yet");
    repo.git(&["add", "a.txt"]);
    let out = repo.guard().args(["scan", "--staged", "--format", "jsonl"]).run();
    assert_eq!(code(&out), 1);
    let record: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(record["source"], "staged");
}

/// A repository with guard installed and a local bare remote `origin`.
fn with_remote() -> (TempRepo, tempfile::TempDir) {
    let remote = crate::common::temp_dir();
    let repo = TempRepo::new();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.write("README.md", "hello\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "init"]);
    repo.git(&["push", "-q", "origin", "main"]);
    install(&repo);
    (repo, remote)
}

fn push(repo: &TempRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["push", "-q", "origin"];
    all.extend_from_slice(args);
    let out = repo.command(&all).run();
    (code(&out), stderr(&out))
}

fn remote_has(remote: &Path, reference: &str) -> bool {
    crate::common::git(remote)
        .args(["--git-dir", remote.to_str().unwrap(), "rev-parse", "-q", "--verify", reference])
        .run()
        .status
        .success()
}

#[test]
fn pre_push_blocks_a_secret_committed_with_no_verify_on_a_new_branch() {
    let (repo, remote) = with_remote();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("deploy.sh", format!("export TOKEN={}\n", expand(GITHUB, 20)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "bypassed pre-commit"]);
    let (exit, err) = push(&repo, &["topic"]);
    assert_ne!(exit, 0, "the push must be blocked");
    assert!(err.contains("push blocked") && err.contains("deploy.sh:1:14: github-pat-classic"), "{err}");
    assert!(err.contains("git push --no-verify") && !err.contains("git commit --no-verify"), "{err}");
    assert!(!remote_has(remote.path(), "refs/heads/topic"));
    let (exit, err) = push(&repo, &["main"]);
    assert_eq!(exit, 0, "a clean push passes: {err}");
}

#[test]
fn pre_push_reads_every_line_and_skips_deletions() {
    let (repo, remote) = with_remote();
    repo.git(&["branch", "clean"]);
    repo.git(&["push", "-q", "origin", "clean"]);
    repo.git(&["checkout", "-q", "-b", "dirty"]);
    repo.write("k.txt", format!("AKIA{}\n", expand("{{base32:16}}", 21)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "key"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("ok.txt", "fine\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "clean change"]);
    // Two refs in one push: the secret is on the second.
    let (exit, _) = push(&repo, &["main", "dirty"]);
    assert_ne!(exit, 0);
    assert!(!remote_has(remote.path(), "refs/heads/dirty"));
    // Deleting a branch sends no content.
    let (exit, err) = push(&repo, &["--delete", "clean"]);
    assert_eq!(exit, 0, "{err}");
}

#[test]
fn pre_push_checks_added_lines_only_and_tags() {
    let (repo, _remote) = with_remote();
    // A secret already on the remote (pushed before guard was installed).
    repo.write("legacy.cfg", format!("key = {}\n", expand(GITHUB, 22)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "legacy"]);
    repo.command(&["push", "-q", "--no-verify", "origin", "main"]).run();
    repo.write("legacy.cfg", format!("key = {}\nother = 1\n", expand(GITHUB, 22)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "edit another line"]);
    let (exit, err) = push(&repo, &["main"]);
    assert_eq!(exit, 0, "the old secret is not an added line: {err}");
    // An annotated tag whose message holds a secret.
    repo.git(&["tag", "-a", "v1", "-m", &format!("release with {}", expand(GITHUB, 23))]);
    let (exit, err) = push(&repo, &["v1"]);
    assert_ne!(exit, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn an_existing_git_lfs_pre_push_hook_still_runs_with_the_same_input() {
    use std::os::unix::fs::PermissionsExt;
    let (repo, _remote) = with_remote();
    // The hook git lfs installs, and a stand-in git-lfs that records what it got.
    let bin = repo.path().join(".fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = repo.path().join(".git/lfs-got");
    std::fs::write(bin.join("git-lfs"), format!("#!/bin/sh\necho \"$@\" > {0}\ncat >> {0}\n", log.display()))
        .unwrap();
    std::fs::set_permissions(bin.join("git-lfs"), std::fs::Permissions::from_mode(0o755)).unwrap();
    repo.guard().arg("uninstall").run();
    write_hook(
        &repo,
        "pre-push",
        "#!/bin/sh\ncommand -v git-lfs >/dev/null 2>&1 || { echo >&2 \"git-lfs was not found\"; exit 2; }\ngit lfs pre-push \"$@\"\n",
    );
    install(&repo);
    repo.write("b.txt", "b\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "b"]);
    let path = format!("{}:{}", bin.display(), crate::common::path().to_str().unwrap());
    let out = repo.command(&["push", "-q", "origin", "main"]).env("PATH", path).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = std::fs::read_to_string(&log).expect("git lfs pre-push ran");
    assert!(got.starts_with("pre-push origin "), "{got}");
    assert!(got.contains("refs/heads/main "), "the same stdin reached the chained hook: {got}");
}

#[test]
fn a_baseline_accepts_once_committed_on_its_own_and_a_new_secret_still_blocks() {
    let repo = TempRepo::new();
    let accepted = expand(GITHUB, 30);
    repo.write("fixtures/sample.env.txt", format!("TOKEN={accepted}\n"));
    repo.write("certs/test.pem", "not really a key\n");
    let out = repo.guard().arg("baseline").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(repo.path().join(".guard-baseline.toml")).unwrap();
    assert_eq!(text.matches("fingerprint = ").count(), 2, "{text}");
    assert!(!text.contains(&accepted), "the baseline never holds the secret");
    assert_eq!(code(&repo.guard().arg("baseline").run()), 2, "no silent overwrite without --update");
    install(&repo);
    repo.git(&["add", "."]);
    // The baseline in the same commit accepts nothing: the block says the
    // two steps.
    let (exit, err) = commit(&repo, &["-m", "accepted findings"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("2 findings"), "{err}");
    assert!(err.contains("on its own first (git commit"), "{err}");
    assert!(err.contains("-- .guard-baseline.toml"), "{err}");
    // Step one, the baseline alone; step two, the rest, accepted and said.
    let (exit, err) = commit(&repo, &["-m", "guard: accept findings", "--", ".guard-baseline.toml"]);
    assert_eq!(exit, 0, "{err}");
    let (exit, err) = commit(&repo, &["-m", "accepted findings"]);
    assert_eq!(exit, 0, "{err}");
    assert!(
        err.contains("guard: 2 findings accepted: 2 by the baseline in .guard-baseline.toml at HEAD"),
        "{err}"
    );
    // The accepted secret moved to an edited line: still accepted.
    repo.write("fixtures/sample.env.txt", format!("# moved\nOTHER=1\nTOKEN={accepted} # still the sample\n"));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "edit"]);
    assert_eq!(exit, 0, "{err}");
    // A new secret blocks.
    repo.write("fixtures/sample.env.txt", format!("TOKEN={}\n", expand(GITHUB, 31)));
    repo.git(&["add", "."]);
    let (exit, _) = commit(&repo, &["-m", "new secret"]);
    assert_ne!(exit, 0);
    // --update drops what is gone and adds what is new.
    let out = repo.guard().args(["baseline", "--update"]).run();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("1 new, 1 dropped"), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn global_install_runs_in_every_repository_and_still_runs_local_hooks() {
    let home = crate::common::temp_dir();
    let repo = TempRepo::with_home(home.path());
    write_hook(&repo, "pre-commit", "#!/bin/sh\ntouch \"$(git rev-parse --git-dir)/local-hook-ran\"\n");
    write_hook(&repo, "post-commit", "#!/bin/sh\ntouch \"$(git rev-parse --git-dir)/post-commit-ran\"\n");
    let out = repo.guard().args(["install", "--global"]).run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let global = repo.git(&["config", "--global", "core.hooksPath"]);
    assert!(global.ends_with(".config/guard/hooks"), "{global}");
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));

    repo.write("a.txt", format!("{}\n", expand(GITHUB, 40)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "secret"]);
    assert_ne!(exit, 0, "the global hook blocks: {err}");
    assert!(!repo.path().join(".git/local-hook-ran").exists(), "guard runs first and stops");
    repo.write("a.txt", "clean\n");
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "clean"]);
    assert_eq!(exit, 0, "{err}");
    assert!(repo.path().join(".git/local-hook-ran").exists(), "the repository's own hook still runs");
    assert!(
        repo.path().join(".git/post-commit-ran").exists(),
        "hooks guard does not check are passed through"
    );

    // A repository whose own core.hooksPath overrides the global one.
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1);
    assert!(stdout(&status).contains("overridden here"), "{}", stdout(&status));
    repo.git(&["config", "--unset", "core.hooksPath"]);

    let out = repo.guard().args(["uninstall", "--global"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(repo.command(&["config", "--global", "core.hooksPath"]).run().stdout.is_empty());
}

/// A hooks directory the repository tracks (`core.hooksPath = .githooks`,
/// committed with a team hook): guard's scripts there name no path of this
/// machine, find guard through this clone's `guard.path` (else PATH) and
/// fail closed without either; install says what to commit; uninstall puts
/// the team hook back byte for byte.
#[cfg(unix)]
#[test]
fn a_tracked_hooks_directory_gets_no_machine_path() {
    let repo = TempRepo::new();
    let team = "#!/bin/sh\necho team hook ran >&2\n";
    repo.write(".githooks/pre-commit", team);
    std::fs::set_permissions(
        repo.path().join(".githooks/pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    repo.commit_all("team hooks");
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("is inside the work tree") && said.contains("Commit them (git add"), "{said}");
    let binary = repo.git(&["config", "--local", "guard.path"]);
    assert!(Path::new(&binary).is_absolute(), "{binary}");
    for entry in std::fs::read_dir(repo.path().join(".githooks")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(&binary), "a tracked hook names this machine's guard:\n{text}");
    }
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(stdout(&status).contains("guard.path:      "), "{}", stdout(&status));

    repo.write("a.txt", format!("{}\n", expand(GITHUB, 41)));
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "secret"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("commit blocked"), "{err}");
    repo.write("a.txt", "clean\n");
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "clean"]);
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("team hook ran"), "the team's hook still runs: {err}");

    // A clone without guard.path, and no guard on PATH: blocked, saying how.
    repo.git(&["config", "--local", "--unset", "guard.path"]);
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    assert!(stdout(&status).contains("guard.path:      PROBLEM: not set"), "{}", stdout(&status));
    repo.write("a.txt", "again\n");
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "no guard"]);
    assert_ne!(exit, 0, "{err}");
    assert!(
        err.contains("this clone has no guard.path (run guard install), and no guard is on PATH"),
        "{err}"
    );

    repo.git(&["config", "--local", "guard.path", &binary]);
    let out = repo.guard().arg("uninstall").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(repo.path().join(".githooks/pre-commit")).unwrap(), team);
    assert!(repo.command(&["config", "--local", "guard.path"]).run().stdout.is_empty());
    assert_eq!(
        repo.git(&["status", "--porcelain", "--", ".githooks"]),
        "",
        "the tracked directory is as committed"
    );
}

/// With `install --global`: reference-transaction, which git runs on every
/// ref update, is passed through only on request, and a repository whose
/// own hook it would silence is told so at each commit and by status; the
/// hooks guard passes through start no process when the repository has no
/// hook of its own, print nothing outside a repository (`git init`), and
/// run a repository's own hook in a work tree, a linked worktree and a
/// bare repository.
#[cfg(unix)]
#[test]
fn global_pass_through_hooks_are_quiet_and_start_nothing() {
    let home = crate::common::temp_dir();
    let repo = TempRepo::with_home(home.path());
    let out = repo.guard().args(["install", "--global"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let global = std::path::PathBuf::from(repo.git(&["config", "--global", "core.hooksPath"]));
    assert!(global.join("post-checkout").exists() && !global.join("reference-transaction").exists());
    repo.write("a.txt", "a\n");
    repo.commit_all("init");
    // A repository with its own reference-transaction hook hears about it.
    write_hook(&repo, "reference-transaction", "#!/bin/sh\nexit 0\n");
    repo.write("a.txt", "b\n");
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "told"]);
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("own reference-transaction hook does not run"), "{err}");
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    assert!(stdout(&status).contains("--with-reference-transaction"), "{}", stdout(&status));
    let out = repo.guard().args(["install", "--global", "--with-reference-transaction"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(stdout(&status).contains("reference-transaction: guard's, current"), "{}", stdout(&status));
    // git by its full path, and a PATH with nothing on it for the hooks:
    // a hook that started any program would fail and say so.
    let git = std::env::split_paths(crate::common::path())
        .map(|dir| dir.join("git"))
        .find(|git| git.is_file())
        .expect("git on the tests' PATH");
    let empty = crate::common::temp_dir();
    let bare_git = |dir: &Path, args: &[&str]| {
        let mut command = std::process::Command::new(&git);
        command.current_dir(dir).args(args).env("HOME", home.path()).env("PATH", empty.path());
        command.run()
    };
    for n in 0..5 {
        let out = bare_git(repo.path(), &["update-ref", &format!("refs/heads/b{n}"), "HEAD"]);
        assert_eq!((code(&out), stderr(&out)), (0, String::new()), "update-ref {n}");
    }
    let fresh = crate::common::temp_dir();
    let out = bare_git(fresh.path(), &["init", "-q", "new"]);
    assert_eq!((code(&out), stderr(&out)), (0, String::new()), "git init prints nothing");

    // A repository's own hook still runs, wherever git runs it.
    let linked = fresh.path().join("linked");
    repo.git(&["worktree", "add", "-q", linked.to_str().unwrap(), "b0"]);
    let bare = fresh.path().join("bare.git");
    repo.git(&["clone", "-q", "--bare", repo.path().to_str().unwrap(), bare.to_str().unwrap()]);
    let ran = fresh.path().join("ran");
    let own = format!("#!/bin/sh\necho \"$1\" >> {}\n", ran.display());
    write_hook(&repo, "reference-transaction", &own);
    let hook = bare.join("hooks/reference-transaction");
    std::fs::write(&hook, &own).unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for dir in [repo.path(), linked.as_path(), bare.as_path()] {
        let _ = std::fs::remove_file(&ran);
        let out = bare_git(dir, &["update-ref", "refs/heads/own", "HEAD"]);
        assert_eq!(code(&out), 0, "{}: {}", dir.display(), stderr(&out));
        let said = std::fs::read_to_string(&ran).unwrap_or_default();
        assert!(said.contains("prepared") && said.contains("committed"), "{}: {said:?}", dir.display());
    }
}

#[cfg(unix)]
#[test]
fn global_install_keeps_an_existing_global_hooks_path() {
    use std::os::unix::fs::PermissionsExt;
    let home = crate::common::temp_dir();
    let team = home.path().join("team-hooks");
    std::fs::create_dir_all(&team).unwrap();
    std::fs::write(team.join("commit-msg"), "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(team.join("commit-msg"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let repo = TempRepo::with_home(home.path());
    repo.git(&["config", "--global", "core.hooksPath", team.to_str().unwrap()]);
    let before = snapshot(&team);
    let out = repo.guard().args(["install", "--global"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(repo.git(&["config", "--global", "core.hooksPath"]), team.to_str().unwrap());
    assert!(team.join("commit-msg.pre-guard").exists() && team.join("pre-commit").exists());
    repo.guard().args(["install", "--global"]).run();
    repo.guard().args(["uninstall", "--global"]).run();
    assert_eq!(snapshot(&team), before, "the team's hooks directory is back as it was");
    assert_eq!(
        repo.git(&["config", "--global", "core.hooksPath"]),
        team.to_str().unwrap(),
        "and still configured"
    );
}

#[test]
fn hook_exit_codes_lfs_pointers_and_other_managers() {
    let repo = TempRepo::new();
    let run = |repo: &TempRepo| code(&repo.guard().args(["hook", "pre-commit"]).run());
    assert_eq!(run(&repo), 0, "nothing staged");
    repo.write("a.txt", format!("{}\n", expand(GITHUB, 50)));
    repo.git(&["add", "a.txt"]);
    assert_eq!(run(&repo), 1, "a finding");
    repo.write("guard.toml", "not toml at all = = =\n");
    assert_eq!(run(&repo), 2, "an error");
    std::fs::remove_file(repo.path().join("guard.toml")).unwrap();
    repo.git(&["rm", "-q", "--cached", "a.txt"]);
    // A Git LFS pointer holds no content to scan; a file that only starts
    // like one is ordinary content.
    let pointer = format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 12345\n",
        expand("{{hex:64}}", 51)
    );
    repo.write("model.bin", &pointer);
    repo.git(&["add", "model.bin"]);
    assert_eq!(run(&repo), 0, "LFS pointers are skipped");
    repo.write("model.bin", format!("{pointer}# {}\n", expand(GITHUB, 52)));
    repo.git(&["add", "model.bin"]);
    assert_eq!(run(&repo), 1, "a secret below an LFS header is found");
    repo.git(&["rm", "-q", "--cached", "model.bin"]);
    // Other hook managers are named by status.
    repo.write("lefthook.yml", "pre-commit:\n");
    std::fs::create_dir_all(repo.path().join(".husky")).unwrap();
    let status = stdout(&repo.guard().arg("status").run());
    assert!(status.contains("husky") && status.contains("lefthook"), "{status}");
}

#[cfg(unix)]
#[test]
fn force_replaces_a_stale_guard_hook() {
    let repo = TempRepo::new();
    install(&repo);
    let hook = repo.path().join(".git/hooks/pre-commit");
    let stale = std::fs::read_to_string(&hook).unwrap().replace(env!("CARGO_PKG_VERSION"), "0.0.1");
    std::fs::write(&hook, &stale).unwrap();
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1);
    assert!(stdout(&status).contains("written by guard 0.0.1"), "{}", stdout(&status));
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 1, "a stale hook is reported, not replaced: {}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), stale);
    let out = repo.guard().args(["install", "--force"]).run();
    assert_eq!(code(&out), 0);
    assert_eq!(code(&repo.guard().arg("status").run()), 0);
}

#[test]
fn a_force_push_checks_only_what_the_remote_lacks() {
    let (repo, remote) = with_remote();
    repo.write("a.txt", "one\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "one"]);
    let (exit, err) = push(&repo, &["main"]);
    assert_eq!(exit, 0, "{err}");
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.write("b.txt", format!("{}\n", expand(GITHUB, 53)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "rewritten with a secret"]);
    let (exit, err) = push(&repo, &["--force", "main"]);
    assert_ne!(exit, 0, "{err}");
    let pushed = repo.git(&["rev-parse", "HEAD"]);
    assert!(
        err.contains(&format!("{} b.txt:1:1: github-pat-classic", &pushed[..12])),
        "names the commit: {err}"
    );
    assert!(!stdout(&repo.command(&["log", "--oneline", "-1", "origin/main"]).run()).contains("rewritten"));
    let _ = remote;
}

#[cfg(unix)]
#[test]
fn a_type_change_or_a_no_diff_attribute_hides_no_added_line() {
    let repo = TempRepo::new();
    repo.write("a", "plain file\n");
    repo.write("generated.lock", "v1\n");
    repo.write(".gitattributes", "*.lock -diff\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "init"]);
    install(&repo);
    // `a` becomes a symbolic link (git prints two patches for it) in the
    // same commit that adds a file sorting after it.
    std::fs::remove_file(repo.path().join("a")).unwrap();
    std::os::unix::fs::symlink("target", repo.path().join("a")).unwrap();
    repo.write("config.py", format!("DEBUG = False\n\n\n\nTOKEN = \"{}\"\n", expand(GITHUB, 60)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "type change"]);
    assert_ne!(exit, 0, "line 5 of config.py is added: {err}");
    assert!(err.contains("config.py:5:"), "{err}");
    repo.git(&["reset", "-q", "--hard"]);
    // A file git will not diff as text still gets its content checked.
    repo.write("generated.lock", format!("v1\ntoken: {}\n", expand(GITHUB, 61)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "lock"]);
    assert_ne!(exit, 0, "{err}");
    assert!(err.contains("generated.lock:2:"), "{err}");
}

#[test]
fn pushing_to_a_url_checks_only_what_the_remote_lacks() {
    let (repo, remote) = with_remote();
    repo.write("old.txt", format!("{}\n", expand(GITHUB, 62)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "old secret"]);
    repo.command(&["push", "-q", "--no-verify", "origin", "main"]).run();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("new.txt", "clean\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "clean topic"]);
    let url = format!("file://{}", remote.path().display());
    let out = repo.command(&["push", "-q", &url, "topic"]).run();
    assert_eq!(code(&out), 0, "the old secret is on the remote already: {}", stderr(&out));
}

/// A repository with guard installed whose `origin` already holds a
/// commit with a secret (pushed with `--no-verify`), and an empty bare
/// repository `mirror` beside it; returns the repository, origin's path
/// and the mirror's.
fn with_a_secret_on_origin() -> (TempRepo, tempfile::TempDir, tempfile::TempDir) {
    let (repo, origin) = with_remote();
    repo.write("old.txt", format!("{}\n", expand(GITHUB, 70)));
    repo.git(&["add", "."]);
    repo.commit(&["-q", "--no-verify", "-m", "old secret"]);
    let out = repo.command(&["push", "-q", "--no-verify", "origin", "main"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mirror = crate::common::temp_dir();
    repo.git(&["init", "-q", "--bare", mirror.path().to_str().unwrap()]);
    (repo, origin, mirror)
}

/// `git push ARGS` without `-q`'s implicit remote; (exit code, stderr).
fn push_to(repo: &TempRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["push", "-q"];
    all.extend_from_slice(args);
    let out = repo.command(&all).run();
    (code(&out), stderr(&out))
}

#[test]
fn a_push_to_another_url_checks_what_only_origin_has() {
    let (repo, origin, mirror) = with_a_secret_on_origin();
    let mirror_path = mirror.path().to_str().unwrap();
    let (exit, err) = push_to(&repo, &[mirror_path, "main"]);
    assert_eq!(exit, 1, "origin's tracking refs say nothing of the mirror: {err}");
    assert!(err.contains("push blocked") && err.contains("old.txt:1:1: github-pat-classic"), "{err}");
    assert!(!remote_has(mirror.path(), "refs/heads/main"));

    // The same URL reached through insteadOf, as a URL and as a remote.
    repo.git(&["config", &format!("url.{mirror_path}.insteadOf"), "public-mirror"]);
    let (exit, err) = push_to(&repo, &["public-mirror", "main"]);
    assert_eq!(exit, 1, "{err}");
    repo.git(&["remote", "add", "public", "public-mirror"]);
    let (exit, err) = push_to(&repo, &["public", "main"]);
    assert_eq!(exit, 1, "{err}");
    // origin itself, pushed to by name or by a URL rewritten to it, still
    // has what it had: only the new commit is checked.
    repo.write("new.txt", "clean\n");
    repo.git(&["add", "."]);
    repo.commit(&["-q", "-m", "clean"]);
    let (exit, err) = push_to(&repo, &["origin", "main"]);
    assert_eq!(exit, 0, "{err}");
    repo.git(&["config", &format!("url.{}.insteadOf", origin.path().display()), "home-repo"]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let (exit, err) = push_to(&repo, &["home-repo", "topic"]);
    assert_eq!(exit, 0, "{err}");
    let (exit, err) = push_to(&repo, &["origin", "topic:refs/heads/by-name"]);
    assert_eq!(exit, 0, "a new branch on origin: its tracking refs still count: {err}");
    assert!(!remote_has(mirror.path(), "refs/heads/main"));
}

/// `pushInsteadOf` sends a push to origin's name elsewhere: the
/// destination git passes is what counts, not the name.
#[test]
fn a_push_rewritten_by_push_instead_of_checks_the_real_destination() {
    let (repo, origin, mirror) = with_a_secret_on_origin();
    let origin_path = origin.path().to_str().unwrap();
    repo.git(&["config", &format!("url.{}.pushInsteadOf", mirror.path().display()), origin_path]);
    let (exit, err) = push_to(&repo, &["origin", "main"]);
    assert_eq!(exit, 1, "the push goes to the mirror: {err}");
    assert!(!remote_has(mirror.path(), "refs/heads/main"));
}

/// git runs pre-push once per push URL; each call is judged by its own.
#[test]
fn a_second_push_url_that_is_a_new_mirror_is_checked_on_its_call() {
    let (repo, origin, mirror) = with_a_secret_on_origin();
    for url in [origin.path(), mirror.path()] {
        repo.git(&["remote", "set-url", "--add", "--push", "origin", url.to_str().unwrap()]);
    }
    repo.write("new.txt", "clean\n");
    repo.git(&["add", "."]);
    let new = repo.commit(&["-q", "-m", "clean"]);
    let (exit, err) = push_to(&repo, &["origin", "main"]);
    assert_ne!(exit, 0, "{err}");
    assert!(err.contains("old.txt:1:1: github-pat-classic"), "{err}");
    assert_eq!(err.matches("push blocked").count(), 1, "only the mirror's call blocks: {err}");
    assert!(remote_has(origin.path(), &new), "origin's call passed");
    assert!(!remote_has(mirror.path(), "refs/heads/main"));
}

#[test]
fn a_repository_uninstall_leaves_the_global_directory_alone() {
    let home = crate::common::temp_dir();
    let repo = TempRepo::with_home(home.path());
    assert_eq!(code(&repo.guard().args(["install", "--global"]).run()), 0);
    let out = repo.guard().arg("uninstall").run();
    assert_eq!(code(&out), 2, "a repository-level uninstall must not touch the global hooks");
    assert!(stderr(&out).contains("--global"), "{}", stderr(&out));
    assert_eq!(code(&repo.guard().args(["uninstall", "--global"]).run()), 0);
}

/// install, uninstall and status in `repo`: (exit code, output) of each.
fn install_uninstall_status(repo: &TempRepo) -> [(i32, String); 3] {
    ["install", "uninstall", "status"].map(|command| {
        let out = repo.guard().arg(command).run();
        (code(&out), format!("{}{}", stdout(&out), stderr(&out)))
    })
}

/// A `core.hooksPath` through a dangling symbolic link would make install
/// create the link's target, wherever it is: an error instead, from
/// install and uninstall (exit 2) and status (a problem, exit 1).
#[cfg(unix)]
#[test]
fn a_dangling_hooks_path_link_is_an_error_and_nothing_is_created_outside() {
    let outside = crate::common::temp_dir();
    let target = outside.path().join("nowhere/hooks");
    let repo = TempRepo::new();
    std::os::unix::fs::symlink(&target, repo.path().join(".githooks")).unwrap();
    for setting in [".githooks".to_string(), repo.path().join(".githooks").display().to_string()] {
        repo.git(&["config", "core.hooksPath", &setting]);
        let [install, uninstall, status] = install_uninstall_status(&repo);
        for (exit, text) in [&install, &uninstall] {
            assert_eq!(*exit, 2, "{text}");
            assert!(
                text.contains("is a symbolic link to") && text.contains("which does not exist"),
                "{text}"
            );
            assert!(text.contains("git config --unset core.hooksPath"), "says how to fix it: {text}");
        }
        assert_eq!(status.0, 1, "{}", status.1);
        assert!(status.1.contains("PROBLEM") && status.1.contains("which does not exist"), "{}", status.1);
        assert!(!outside.path().join("nowhere").exists(), "nothing created outside the repository");
    }
}

/// A hooks directory outside the repository, through a link or plainly
/// (a shared directory every repository's hooks would run from), is an
/// error pointing at `--global`; nothing is written there.
#[cfg(unix)]
#[test]
fn a_hooks_path_outside_the_repository_is_an_error() {
    let shared = crate::common::temp_dir();
    let repo = TempRepo::new();
    std::os::unix::fs::symlink(shared.path(), repo.path().join(".githooks")).unwrap();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let [(exit, text), _, (status, listed)] = install_uninstall_status(&repo);
    assert_eq!(exit, 2, "{text}");
    assert!(text.contains("leads outside the repository through symbolic links"), "{text}");
    assert_eq!(status, 1, "{listed}");
    assert!(listed.contains("PROBLEM") && !listed.contains("pre-commit:"), "{listed}");
    // audit reads no hooks there either: it fails the check, saying why.
    let audit = repo.guard().arg("audit").run();
    let line = stdout(&audit).lines().find(|l| l.contains("git hooks")).unwrap_or_default().to_string();
    assert!(line.starts_with("FAIL") && line.contains("outside the repository"), "{}", stdout(&audit));

    repo.git(&["config", "core.hooksPath", shared.path().to_str().unwrap()]);
    let [(exit, text), (uninstall, _), _] = install_uninstall_status(&repo);
    assert_eq!((exit, uninstall), (2, 2), "{text}");
    assert!(text.contains("outside this repository") && text.contains("guard install --global"), "{text}");
    assert_eq!(
        std::fs::read_dir(shared.path()).unwrap().count(),
        0,
        "nothing written to the shared directory"
    );
}

/// Hooks directories inside the repository still work: a nested relative
/// `core.hooksPath` that does not exist yet, and a link to a directory of
/// the work tree.
#[cfg(unix)]
#[test]
fn a_hooks_path_inside_the_repository_still_works() {
    let repo = TempRepo::new();
    repo.git(&["config", "core.hooksPath", ".config/hooks/_"]);
    install(&repo);
    assert!(repo.path().join(".config/hooks/_/pre-commit").exists());
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));

    std::fs::create_dir_all(repo.path().join("tools/hooks")).unwrap();
    std::os::unix::fs::symlink("tools/hooks", repo.path().join(".githooks")).unwrap();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    install(&repo);
    assert!(repo.path().join("tools/hooks/pre-commit").exists());
    repo.write("a.txt", format!("{}\n", expand(GITHUB, 75)));
    repo.git(&["add", "a.txt"]);
    let (exit, err) = commit(&repo, &["-m", "secret"]);
    assert_eq!(exit, 1, "the hooks run: {err}");
    let out = repo.guard().arg("uninstall").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!repo.path().join("tools/hooks/pre-commit").exists());
}

/// A damaged HEAD: one line that says git sees no repository, not git's
/// 80-line usage text, and the commit check fails closed.
#[test]
fn a_garbage_head_is_a_short_clear_error() {
    let repo = TempRepo::new();
    repo.write("a.txt", "hello\n");
    repo.commit_all("one");
    std::fs::write(repo.path().join(".git/HEAD"), "garbage\n").unwrap();
    let out = repo.guard().args(["scan", "--staged"]).run();
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("not a git repository") && err.contains(".git/HEAD"), "{err}");
    assert!(err.lines().count() <= 2 && !err.contains("usage:"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_guard_toml_or_baseline_linked_from_outside_the_repository_is_never_applied() {
    let outside = crate::common::temp_dir();
    std::fs::write(outside.path().join("allow-all.toml"), "[allow]\npaths = [\"**\"]\n").unwrap();
    for name in ["guard.toml", ".guard-baseline.toml"] {
        let repo = TempRepo::new();
        install(&repo);
        let target = if name == "guard.toml" { "allow-all.toml" } else { "baseline.toml" };
        std::fs::write(outside.path().join("baseline.toml"), "accepted = []\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join(target), repo.path().join(name)).unwrap();
        repo.write("app.txt", format!("TOKEN={}\n", expand(GITHUB, 4)));
        repo.git(&["add", "app.txt"]);
        let (exit, err) = commit(&repo, &["-m", "through a link"]);
        assert_ne!(exit, 0, "{name}: {err}");
        assert!(err.contains("outside the repository") && err.contains(name), "{name}: {err}");
        assert_eq!(head(&repo), "", "{name}: no commit was made");
        // `guard scan` refuses it the same way.
        let out = repo.guard().args(["scan", "app.txt"]).run();
        assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
    }
}
