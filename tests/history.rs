//! `guard scan-history` on repositories built with the real git: every shape
//! a secret takes in a history, each asserted with its introducing commit.

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn token(seed: u64) -> String {
    expand(GITHUB, seed)
}

/// Runs `guard scan-history --format jsonl ARGS` and parses the records.
fn history(repo: &TempRepo, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let out = repo.guard().args(["scan-history", "--format", "jsonl"]).args(args).run();
    let records = stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    (code(&out), records, stderr(&out))
}

fn one<'a>(records: &'a [serde_json::Value], path: &str) -> &'a serde_json::Value {
    let matching: Vec<_> = records.iter().filter(|r| r["path"] == path).collect();
    assert_eq!(matching.len(), 1, "expected one finding at {path}: {records:#?}");
    matching[0]
}

#[test]
fn secret_added_then_deleted_is_found_at_its_commit_and_not_in_head() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    repo.write("config/app.env", format!("GITHUB_TOKEN={}\n", token(1)));
    let added = repo.commit_all("add config");
    repo.git(&["rm", "-q", "config/app.env"]);
    repo.commit_all("remove config");
    let (exit, records, err) = history(&repo, &[]);
    assert_eq!(exit, 1, "{err}");
    assert_eq!(records.len(), 1, "{records:#?}");
    let finding = one(&records, "config/app.env");
    assert_eq!(finding["rule_id"], "github-pat-classic");
    assert_eq!(finding["commit"], added.as_str());
    assert_eq!(finding["author"], "Ada Author");
    assert_eq!(finding["email"], "ada@example.org");
    assert_eq!(finding["date"], "2024-01-01T00:02:00Z");
    assert_eq!(finding["line"], 1);
    assert_eq!(finding["in_head"], false);
    assert_eq!(finding["refs"], serde_json::json!(["main"]));
    assert!(finding["rotate"].as_str().unwrap().contains("github.com/settings/tokens"));
    assert!(!stdout(&repo.guard().args(["scan-history"]).run()).contains(&token(1)), "redacted");
}

/// Blobs are scanned before their paths are known; rules for some files
/// only must still count where, and only where, the blob had such a path.
#[test]
fn rules_for_some_files_apply_by_the_paths_a_blob_had() {
    let repo = TempRepo::new();
    let passphrase = expand("{{lower:7}}{{word}}{{lower:7}}", 3);
    let bare = expand("{{alnum:20}}7", 4);
    repo.write("config/app.yaml", format!("database:\n  password: {passphrase}\n"));
    repo.write("src/consts.rs", format!("const AUTH_TOKEN: u32 = {bare};\n"));
    repo.write("deploy/app.env", format!("AUTH_TOKEN={bare}\n"));
    repo.commit_all("config");
    let (exit, records, err) = history(&repo, &[]);
    assert_eq!(exit, 1, "{err}");
    assert_eq!(one(&records, "config/app.yaml")["rule_id"], "generic-password-config");
    assert_eq!(one(&records, "deploy/app.env")["rule_id"], "generic-unquoted");
    assert!(records.iter().all(|r| r["path"] != "src/consts.rs"), "{records:#?}");
}

#[test]
fn edits_keep_the_first_commit_and_head_is_known() {
    let repo = TempRepo::new();
    repo.write("app.cfg", format!("token = {}\n", token(2)));
    let first = repo.commit_all("add");
    repo.write("app.cfg", format!("# a comment\ntoken = {}\n", token(2)));
    repo.commit_all("edit around the secret");
    let (_, records, _) = history(&repo, &[]);
    let finding = one(&records, "app.cfg");
    assert_eq!(finding["commit"], first.as_str());
    assert_eq!(finding["line"], 1, "line in the introducing version");
    assert_eq!(finding["in_head"], true);
    let human = stdout(&repo.guard().args(["scan-history"]).run());
    assert!(human.contains("occurrences: 2 (in app.cfg)"), "{human}");
    assert!(human.contains("in HEAD:     yes"), "{human}");
}

#[test]
fn a_secret_only_in_a_merge_resolution() {
    let repo = TempRepo::new();
    repo.write("settings.py", "DEBUG = False\n");
    repo.commit_all("init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("settings.py", "DEBUG = True\n");
    repo.commit_all("feature side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("settings.py", "DEBUG = None\n");
    repo.commit_all("main side");
    let merge = repo.command(&["merge", "-q", "feature"]).run();
    assert!(!merge.status.success(), "the merge must conflict");
    repo.write("settings.py", format!("DEBUG = False\nSTRIPE = \"sk_live_{}\"\n", expand("{{alnum:32}}", 3)));
    repo.git(&["add", "settings.py"]);
    let merge = repo.commit(&["-q", "--no-edit"]);
    let (exit, records, _) = history(&repo, &[]);
    assert_eq!(exit, 1);
    let finding = one(&records, "settings.py");
    assert_eq!(finding["rule_id"], "stripe-secret-key");
    assert_eq!(finding["commit"], merge.as_str());
    assert_eq!(finding["line"], 2);
}

#[test]
fn a_secret_only_on_an_unmerged_branch() {
    let repo = TempRepo::new();
    repo.write("a.txt", "a\n");
    repo.commit_all("init");
    repo.git(&["checkout", "-q", "-b", "wip/experiment"]);
    repo.write("notes.md", format!("key: AKIA{}\n", expand("{{base32:16}}", 4)));
    let introduced = repo.commit_all("wip");
    repo.git(&["checkout", "-q", "main"]);
    let (_, records, _) = history(&repo, &[]);
    let finding = one(&records, "notes.md");
    assert_eq!(finding["commit"], introduced.as_str());
    assert_eq!(finding["refs"], serde_json::json!(["wip/experiment"]));
    assert_eq!(finding["in_head"], false);
    let (exit, only_main, _) = history(&repo, &["main"]);
    assert_eq!((exit, only_main.len()), (0, 0), "revisions restrict the walk");
}

#[test]
fn secrets_in_commit_and_tag_messages() {
    let repo = TempRepo::new();
    repo.write("a.txt", "a\n");
    let commit_token = token(5);
    let commit = repo.commit_all(&format!("fix login\n\nused {commit_token} to test"));
    let tag_token = token(6);
    repo.git(&["tag", "-a", "v1.0", "-m", &format!("release, deploy key {tag_token}")]);
    let (exit, records, _) = history(&repo, &[]);
    assert_eq!(exit, 1);
    assert_eq!(records.len(), 2, "{records:#?}");
    for record in &records {
        assert_eq!(record["source"], "message");
        assert_eq!(record["commit"], commit.as_str());
        assert!(record["path"].is_null());
    }
    assert_eq!(records[0]["line"], 3);
}

#[test]
fn a_renamed_file_is_one_secret_in_two_places() {
    let repo = TempRepo::new();
    repo.write(
        "old/name.yml",
        format!(
            "slack: xoxb-{}-{}-{}\n",
            expand("{{digits:12}}", 7),
            expand("{{digits:13}}", 7),
            expand("{{alnum:24}}", 7)
        ),
    );
    let first = repo.commit_all("add");
    repo.git(&["mv", "old", "new"]);
    let renamed = repo.commit_all("rename");
    let (_, records, _) = history(&repo, &[]);
    assert_eq!(records.len(), 2, "{records:#?}");
    assert_eq!(one(&records, "old/name.yml")["commit"], first.as_str());
    assert_eq!(one(&records, "new/name.yml")["commit"], renamed.as_str());
    assert_eq!(records[0]["fingerprint"], records[1]["fingerprint"]);
    let human = stdout(&repo.guard().args(["scan-history"]).run());
    assert!(human.starts_with("[1/1] slack-bot-token"), "grouped by secret: {human}");
}

#[test]
fn path_policy_applies_to_every_path_that_ever_existed() {
    let repo = TempRepo::new();
    repo.write(".env", "DEBUG=1\n");
    let added = repo.commit_all("oops");
    repo.git(&["rm", "-q", "--cached", ".env"]);
    repo.write(".gitignore", ".env\n");
    repo.commit_all("untrack .env");
    let (_, records, _) = history(&repo, &[]);
    let finding = one(&records, ".env");
    assert_eq!(finding["rule_id"], "file-dotenv");
    assert_eq!(finding["commit"], added.as_str());
    assert_eq!(finding["in_head"], false);
}

#[test]
fn a_shallow_clone_attributes_to_the_boundary_commit() {
    let origin = TempRepo::new();
    origin.write("keys.txt", format!("{}\n", token(8)));
    origin.commit_all("old secret");
    origin.write("more.txt", "more\n");
    origin.commit_all("later");
    let dir = temp_dir();
    let url = format!("file://{}", origin.path().display());
    let clone = origin.command(&["clone", "-q", "--depth", "1", &url, dir.path().to_str().unwrap()]).run();
    assert!(clone.status.success(), "{}", String::from_utf8_lossy(&clone.stderr));
    let shallow = TempRepo::at(dir);
    let boundary = shallow.git(&["rev-parse", "HEAD"]);
    let (exit, records, err) = history(&shallow, &[]);
    assert_eq!(exit, 1, "{err}");
    assert_eq!(one(&records, "keys.txt")["commit"], boundary.as_str());
}

#[test]
fn an_empty_repository_is_clean() {
    let repo = TempRepo::new();
    let (exit, records, err) = history(&repo, &[]);
    assert_eq!((exit, records.len()), (0, 0), "{err}");
}

#[test]
fn binary_blobs_and_blobs_over_the_size_limit() {
    let repo = TempRepo::new();
    let mut binary = b"\x89PNG\0\0".to_vec();
    binary.extend_from_slice(token(9).as_bytes());
    repo.write("logo.png", &binary);
    let mut big = vec![b'x'; 50 << 20];
    big.extend_from_slice(format!("\ntoken={}\n", token(10)).as_bytes());
    repo.write("dump.sql", &big);
    repo.commit_all("assets");
    let (exit, records, err) = history(&repo, &["--verbose"]);
    assert_eq!(exit, 0, "{records:#?}");
    assert_eq!(records.len(), 1, "only the skip is listed: {records:#?}");
    let skipped = &records[0]["skipped"];
    assert_eq!((skipped["path"].as_str(), skipped["reason"].as_str()), (Some("dump.sql"), Some("too-large")));
    assert_eq!(skipped["size"].as_u64(), Some(big.len() as u64));
    assert!(err.contains("1 binary blobs"), "{err}");
    let (exit, _, _) = history(&repo, &["--fail-on-skip"]);
    assert_eq!(exit, 2, "--fail-on-skip");
    let human = repo.guard().arg("scan-history").run();
    let shown = stdout(&human);
    assert!(shown.contains("not read: blob ") && shown.contains("dump.sql"), "{shown}");
    assert!(!shown.contains("no secrets found in the history\n"), "{shown}");
    assert!(shown.contains("but 1 item was over the size limit not read"), "{shown}");
    let (exit, records, _) = history(&repo, &["--max-file-size", "100MB"]);
    assert_eq!(exit, 1);
    assert_eq!(one(&records, "dump.sql")["line"], 2);
}

#[test]
fn ranges_and_since() {
    let repo = TempRepo::new();
    repo.write("a.txt", format!("{}\n", token(11)));
    repo.commit_all("first");
    repo.write("b.txt", format!("{}\n", token(12)));
    repo.commit_all("second");
    let (_, range, _) = history(&repo, &["main~1..main"]);
    assert_eq!(range.len(), 1, "{range:#?}");
    assert_eq!(range[0]["path"], "b.txt");
    let (_, since, _) = history(&repo, &["--since", "2024-01-01T00:02:00Z"]);
    assert_eq!(since.len(), 1, "{since:#?}");
    assert_eq!(since[0]["path"], "b.txt");
    let bad = repo.guard().args(["scan-history", "--since", "last tuesday"]).run();
    assert_eq!(code(&bad), 2);
    let bad = repo.guard().args(["scan-history", "no-such-branch"]).run();
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("no-such-branch"), "{}", stderr(&bad));
}

#[test]
fn a_mirror_clone_uses_guard_toml_from_head() {
    let origin = TempRepo::new();
    origin.write("guard.toml", "[allow]\npaths = [\"fixtures/**\"]\n");
    origin.write("fixtures/sample.txt", format!("{}\n", token(13)));
    origin.write("src/real.txt", format!("{}\n", token(14)));
    origin.commit_all("init");
    let dir = temp_dir();
    let mirror = dir.path().join("mirror.git");
    let url = format!("file://{}", origin.path().display());
    let clone = origin.command(&["clone", "-q", "--mirror", &url, mirror.to_str().unwrap()]).run();
    assert!(clone.status.success());
    let out = crate::common::guard(&mirror).args(["scan-history", "--format", "jsonl"]).run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("src/real.txt") && !text.contains("fixtures/sample.txt"), "{text}");
}

#[cfg(unix)]
#[test]
fn replace_file_scrubs_exactly_the_secrets_and_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TempRepo::new();
    let secret = token(15);
    repo.write("a.txt", format!("{secret}\n"));
    repo.write(
        "key.txt",
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            expand("{{pem_body:3}}", 15)
        ),
    );
    repo.commit_all("leak");
    let replace = repo.path().join("../replace.txt");
    let out = repo.guard().args(["scan-history", "--quiet", "--replace-file"]).arg(&replace).run();
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("rotating it does"), "{}", stderr(&out));
    let mode = std::fs::metadata(&replace).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&replace).unwrap();
    assert!(text.contains(&format!("literal:{secret}==>***REMOVED***\n")), "{text}");
    assert_eq!(text.lines().count(), 1 + 4, "the token and the four PEM lines of 16 or more: {text}");
    std::fs::remove_file(&replace).unwrap();
}

#[test]
fn the_project_passes_its_own_scan_history() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join(".git").exists() {
        return; // a source tarball has no history to scan
    }
    let out = crate::common::guard(root).args(["scan-history", "--format", "jsonl"]).run();
    assert_eq!(code(&out), 0, "guard's own history holds secrets:\n{}{}", stdout(&out), stderr(&out));
}

/// A corrupt object is an error that names it, once, and the report never
/// says "no secrets found" about a history it could not read whole.
#[test]
fn a_corrupt_object_is_exit_2_and_never_no_secrets_found() {
    let repo = TempRepo::new();
    repo.write("a.txt", "hello\n");
    repo.write("b.txt", "world\n");
    repo.commit_all("two files");
    let oid = repo.git(&["rev-parse", "HEAD:b.txt"]);
    let loose = repo.path().join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    std::fs::remove_file(&loose).unwrap();
    std::fs::write(&loose, b"garbage").unwrap();
    let out = repo.guard().arg("scan-history").run();
    assert_eq!(code(&out), 2);
    let (shown, err) = (stdout(&out), stderr(&out));
    assert!(!shown.contains("no secrets found"), "{shown}");
    assert!(shown.contains("the scan is incomplete: 1 error"), "{shown}");
    assert_eq!(err.matches(&oid).count(), 1, "{err}");
    assert!(err.contains("is corrupt") && err.contains("git fsck"), "{err}");
}
