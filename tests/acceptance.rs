//! Acceptance is a separate, reviewable change: a repository's `guard.toml`
//! and baseline accept a finding only as committed in the first parent of
//! the commit that introduces it (HEAD for a commit being made); the
//! user's file is exempt but named; inline marks stay accepted; every
//! acceptance is said in one line; a baseline entry for a forbidden file is
//! bound to its content.

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn install(repo: &TempRepo) {
    let out = repo.guard().arg("install").run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

fn commit(repo: &TempRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["commit", "-q"];
    all.extend_from_slice(args);
    let out = repo.command(&all).run();
    (code(&out), stderr(&out))
}

/// A repository with guard installed, one commit, and a bare `origin` that
/// has it.
fn with_remote() -> (TempRepo, tempfile::TempDir) {
    let remote = temp_dir();
    let repo = TempRepo::new();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    repo.git(&["push", "-q", "origin", "main"]);
    install(&repo);
    (repo, remote)
}

fn push(repo: &TempRepo, branch: &str) -> (i32, String) {
    let out = repo.command(&["push", "-q", "origin", branch]).run();
    (code(&out), stderr(&out))
}

const ALLOW_EVERYTHING: &str = "[allow]\npaths = [\"**\"]\n\n[path_policy]\nallow = [\"**\"]\n";
const ALLOW_FIXTURES: &str = "[allow]\npaths = [\"fixtures/**\"]\n";

#[test]
fn a_guard_toml_staged_with_the_secret_accepts_nothing_and_status_and_audit_fail_it() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    install(&repo);
    repo.write("guard.toml", ALLOW_EVERYTHING);
    repo.write(".env", "DEBUG=1\n");
    repo.write("app.txt", format!("TOKEN={}\n", expand(GITHUB, 70)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "turn the gate off"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("commit blocked: 2 findings"), "{err}");
    assert!(err.contains(".env: file-dotenv") && err.contains("app.txt:1:7: github-pat-classic"), "{err}");
    assert!(err.contains("guard.toml in the work tree differs from HEAD's"), "{err}");
    assert!(err.contains("-- guard.toml"), "{err}");
    // The same file, committed, would switch the gate off: status and audit say so.
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    let said = stdout(&status);
    assert!(said.contains("config:          PROBLEM:"), "{said}");
    assert!(said.contains("[allow] paths accepts every path"), "{said}");
    assert!(said.contains("[path_policy] allow accepts every file that must not be committed"), "{said}");
    let audit = repo.guard().arg("audit").run();
    assert_eq!(code(&audit), 1);
    let line = stdout(&audit).lines().find(|l| l.contains("configuration")).unwrap_or_default().to_string();
    assert!(
        line.starts_with("FAIL") && line.contains("[allow] paths accepts every path"),
        "{}",
        stdout(&audit)
    );
    // Every rule off, or a regex that matches every secret, fails the same way.
    for text in ["[allow]\nregexes = ['.']\n", "[allow]\nstopwords = ['']\n"] {
        repo.write("guard.toml", text);
        let status = repo.guard().arg("status").run();
        assert_eq!(code(&status), 1, "{text}: {}", stdout(&status));
        assert!(stdout(&status).contains("accepts every secret"), "{text}: {}", stdout(&status));
    }
    let ids = stdout(&repo.guard().args(["rules", "list"]).run())
        .lines()
        .filter(|l| !l.contains("(path policy"))
        .map(|l| format!("{:?}", l.split_whitespace().next().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ");
    repo.write("guard.toml", format!("[rules]\ndisable = [{ids}]\n"));
    let status = repo.guard().arg("status").run();
    assert_eq!(code(&status), 1);
    assert!(stdout(&status).contains("turns off every built-in rule"), "{}", stdout(&status));
    repo.write("guard.toml", ALLOW_FIXTURES);
    let status = repo.guard().arg("status").run();
    assert!(stdout(&status).contains("config:          valid"), "{}", stdout(&status));
}

#[test]
fn an_allow_entry_counts_once_committed_and_every_acceptance_is_said() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    install(&repo);
    repo.write("guard.toml", ALLOW_FIXTURES);
    repo.git(&["add", "guard.toml"]);
    let (exit, err) = commit(&repo, &["-m", "guard: accept the fixtures"]);
    assert_eq!(exit, 0, "{err}");
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 71)));
    repo.write("src/app.txt", format!("TOKEN={} # guard:allow\n", expand(GITHUB, 72)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "fixture"]);
    assert_eq!(exit, 0, "{err}");
    assert!(
        err.contains("guard: 2 findings accepted: 1 by [allow] paths in guard.toml at HEAD (")
            && err.contains("1 by guard:allow on its line"),
        "{err}"
    );
    // A scan says the same on standard error, and its JSON stays clean.
    let out = repo.guard().args(["scan", "--format", "json", "."]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("2 findings accepted"), "{}", stderr(&out));
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&out)).expect("JSON on standard output only");
    assert_eq!(report["accepted"]["guard:allow on its line"], 1, "{report}");
    let by_path =
        report["accepted"].as_object().unwrap().iter().find(|(by, _)| by.starts_with("[allow] paths"));
    assert_eq!(by_path.map(|(_, n)| n.clone()), Some(serde_json::json!(1)), "{report}");
}

#[test]
fn the_users_own_file_applies_at_once_and_is_named() {
    let home = temp_dir();
    let user = home.path().join(".config/guard/guard.toml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, ALLOW_FIXTURES).unwrap();
    let repo = TempRepo::with_home(home.path());
    install(&repo);
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 73)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "fixture"]);
    assert_eq!(exit, 0, "{err}");
    assert!(
        err.contains(&format!("1 finding accepted: 1 by [allow] paths in your {}", user.display())),
        "{err}"
    );
}

#[test]
fn a_fixture_and_its_allow_entry_in_one_pushed_commit_block_in_two_they_pass() {
    let (repo, _remote) = with_remote();
    // One commit: made past pre-commit, stopped by pre-push.
    repo.git(&["switch", "-q", "-c", "together"]);
    repo.write("guard.toml", ALLOW_FIXTURES);
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 74)));
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "fixture and its allow entry"]);
    assert_eq!(exit, 1, "pre-commit judges by HEAD: {err}");
    repo.commit(&["-q", "--no-verify", "-m", "fixture and its allow entry"]);
    let (exit, err) = push(&repo, "together");
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("push blocked: 1 finding") && err.contains("fixtures/token.txt"), "{err}");
    // Two commits: the allow entry first, then the fixture; both hooks pass.
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["switch", "-q", "-c", "apart"]);
    repo.write("guard.toml", ALLOW_FIXTURES);
    repo.git(&["add", "guard.toml"]);
    assert_eq!(commit(&repo, &["-m", "guard: accept the fixtures"]).0, 0);
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 74)));
    repo.git(&["add", "."]);
    assert_eq!(commit(&repo, &["-m", "fixture"]).0, 0);
    let (exit, err) = push(&repo, "apart");
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("guard: 1 finding accepted: 1 by [allow] paths in guard.toml at "), "{err}");
}

#[test]
fn a_squash_merge_of_an_allow_entry_and_its_fixture_is_judged_by_the_target() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    install(&repo);
    repo.git(&["switch", "-q", "-c", "topic"]);
    repo.write("guard.toml", ALLOW_FIXTURES);
    repo.git(&["add", "guard.toml"]);
    assert_eq!(commit(&repo, &["-m", "guard: accept the fixtures"]).0, 0);
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 75)));
    repo.git(&["add", "."]);
    assert_eq!(commit(&repo, &["-m", "fixture"]).0, 0);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--squash", "topic"]);
    // The squash adds both to main at once: main's HEAD has no allow entry.
    let (exit, err) = commit(&repo, &["-m", "topic, squashed"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("fixtures/token.txt") && err.contains("guard.toml in the work tree"), "{err}");
    // The documented way: the allow entry reaches main first, then the rest.
    let (exit, err) = commit(&repo, &["-m", "guard: accept the fixtures", "--", "guard.toml"]);
    assert_eq!(exit, 0, "{err}");
    let (exit, err) = commit(&repo, &["-m", "topic, squashed"]);
    assert_eq!(exit, 0, "{err}");
}

#[test]
fn a_chosen_history_is_judged_commit_by_commit_the_whole_history_by_head() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    let base = repo.commit_all("init");
    repo.write("fixtures/token.txt", format!("TOKEN={}\n", expand(GITHUB, 76)));
    repo.commit_all("fixture before its allow entry");
    repo.write("guard.toml", ALLOW_FIXTURES);
    repo.commit_all("guard: accept the fixtures");
    let whole = repo.guard().args(["scan-history", "--format", "json"]).run();
    assert_eq!(code(&whole), 0, "{}", stderr(&whole));
    assert!(
        stderr(&whole).contains("1 finding accepted: 1 by [allow] paths in guard.toml at HEAD"),
        "{}",
        stderr(&whole)
    );
    let range = format!("{base}..HEAD");
    let chosen = repo.guard().args(["scan-history", "--format", "json", &range]).run();
    assert_eq!(code(&chosen), 1, "{}", stderr(&chosen));
    let report: serde_json::Value = serde_json::from_str(&stdout(&chosen)).unwrap();
    assert_eq!(report["findings"][0]["path"], "fixtures/token.txt", "{report}");
}

#[test]
fn a_baseline_entry_for_a_forbidden_file_accepts_that_content_only() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    install(&repo);
    repo.write("config/.env", "DEBUG=1\n");
    let out = repo.guard().arg("baseline").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let baseline = std::fs::read_to_string(repo.path().join(".guard-baseline.toml")).unwrap();
    assert!(baseline.contains("version = 2") && baseline.contains("file-dotenv"), "{baseline}");
    repo.git(&["add", ".guard-baseline.toml"]);
    assert_eq!(commit(&repo, &["-m", "guard: accept config/.env"]).0, 0);
    // The accepted content passes, and says so.
    repo.git(&["add", "config/.env"]);
    let (exit, err) = commit(&repo, &["-m", "the accepted .env"]);
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("1 finding accepted: 1 by the baseline in .guard-baseline.toml at HEAD"), "{err}");
    // Other content at the same path, or the same content elsewhere, does not.
    repo.write("config/.env", "DEBUG=0\n");
    repo.write("other/.env", "DEBUG=1\n");
    repo.git(&["add", "."]);
    let (exit, err) = commit(&repo, &["-m", "another .env"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("commit blocked: 2 findings"), "{err}");
    assert!(err.contains("config/.env: file-dotenv") && err.contains("other/.env: file-dotenv"), "{err}");
}

#[test]
fn version_one_path_entries_are_stale_and_update_rewrites_them() {
    let repo = TempRepo::new();
    repo.write(".env", "DEBUG=1\n");
    // A version-1 entry: rule and path alone, which anyone could write.
    let forged = guard::scan::finding::fingerprint("file-dotenv", b".env");
    repo.write(
        ".guard-baseline.toml",
        format!(
            "accepted = [\n  {{ fingerprint = \"{forged}\", rule = \"file-dotenv\", path = \".env\" }},\n]\n"
        ),
    );
    repo.git(&["add", ".guard-baseline.toml"]);
    repo.commit(&["-q", "-m", "an old baseline"]);
    install(&repo);
    repo.git(&["add", ".env"]);
    let (exit, err) = commit(&repo, &["-m", "the .env"]);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains(".env: file-dotenv"), "{err}");
    assert!(
        err.contains("1 version-1 entry for files that must not be committed, which accept nothing now"),
        "{err}"
    );
    let out = repo.guard().args(["baseline", "--update"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rewritten = std::fs::read_to_string(repo.path().join(".guard-baseline.toml")).unwrap();
    assert!(rewritten.contains("version = 2") && !rewritten.contains(&forged), "{rewritten}");
    assert!(stdout(&out).contains("1 new, 1 dropped"), "{}", stdout(&out));
}
