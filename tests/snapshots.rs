//! Snapshots of what people and programs read from guard, driving only the
//! binary and the real git in temp directories: the human, JSON and JSON
//! Lines reports of `scan` (files and standard input), the messages of a
//! blocked commit, commit message and push, the `scan-history` incident
//! report and its JSON forms, `audit` as a table and as JSON, `status`,
//! and the block message of `hook claude`.
//!
//! Each snapshot is one run's exit code, standard output and standard
//! error, with secrets generated from fixed seeds, so fingerprints,
//! redacted secrets and (with git's dates and identities pinned) commit
//! ids are the same on every run. Commits the test made are named
//! `[commit: SUBJECT]`; then filters replace temp directories (`[TMP]`),
//! cargo's scratch directory (`[TARGET_TMP]`), the guard binary's path
//! (`[GUARD]`), any other object id (`[OID]`, `[OID12]` abbreviated),
//! durations (`in [DURATION]`), guard's version (`[VERSION]`) and the
//! number of rules (`[N] content rules`, which grows with each rule). No
//! snapshot shows a secret in clear: none runs with `--no-redact`, and
//! guard's own scan of `tests/snapshots` must find nothing.
//!
//! After an intended change of output, `INSTA_UPDATE=always cargo test
//! snapshots` rewrites the files in `tests/snapshots/`; review the diff
//! before committing it. With `CI` set, insta writes nothing and a
//! difference fails.

use std::process::Output;

use serde_json::json;

use crate::common::{Run, TempRepo, code, expand, guard, stderr, stdout, temp_dir, write};

/// Exit code, standard output and standard error of one run.
fn transcript(out: &Output) -> String {
    format!("exit: {}\n--- stdout\n{}--- stderr\n{}", code(out), stdout(out), stderr(out))
}

/// Replaces each commit id (and its 12-character abbreviation) with the
/// commit's name.
fn name_commits(text: &str, commits: &[(&str, &str)]) -> String {
    let mut text = text.to_string();
    for (oid, name) in commits {
        text = text.replace(oid, &format!("[commit: {name}]"));
        text = text.replace(&oid[..12], &format!("[commit: {name}]"));
    }
    text
}

/// Snapshot settings: files named after the test's snapshot name alone,
/// and the filters of the module comment.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let temp = std::env::temp_dir();
    let mut roots = vec![temp.clone()];
    roots.extend(temp.canonicalize().ok().filter(|c| *c != temp));
    for root in roots {
        let root = regex::escape(root.to_str().expect("a UTF-8 temp directory").trim_end_matches('/'));
        settings.add_filter(&format!(r"{root}/guard-test-[0-9A-Za-z_]+"), "[TMP]");
    }
    settings.add_filter(&regex::escape(env!("CARGO_BIN_EXE_guard")), "[GUARD]");
    settings.add_filter(&regex::escape(env!("CARGO_TARGET_TMPDIR")), "[TARGET_TMP]");
    settings.add_filter(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{40}\b", "[OID]");
    settings.add_filter(r"\b[0-9a-f]{12}\b", "[OID12]");
    settings.add_filter(r"\bin [0-9]+\.[0-9]+ s\b", "in [DURATION]");
    settings.add_filter(&format!(r"\b{}\b", regex::escape(env!("CARGO_PKG_VERSION"))), "[VERSION]");
    settings.add_filter(r"\b[0-9]+ content rules\b", "[N] content rules");
    settings
}

/// Asserts `text` against the snapshot `name` with [`settings`].
fn check(name: &str, text: &str) {
    settings().bind(|| insta::assert_snapshot!(name, text));
}

/// A tree with a finding of each kind: a provider token, a password in a
/// config file, a private key, and a file the path policy names.
fn findings_tree(seed: u64) -> tempfile::TempDir {
    let dir = temp_dir();
    write(
        dir.path(),
        "deploy/app.cfg",
        format!("region = eu-west-1\ntoken = {}\n", expand("{{base62_crc:ghp_}}", seed)),
    );
    write(
        dir.path(),
        "config/database.yaml",
        format!(
            "database:\n  host: db.internal\n  password: {}\n",
            expand("{{lower:7}}{{word}}{{lower:7}}", seed)
        ),
    );
    write(
        dir.path(),
        "keys/deploy.txt",
        expand("-----BEGIN RSA PRIVATE KEY-----\n{{pem_body:6}}\n-----END RSA PRIVATE KEY-----\n", seed),
    );
    write(dir.path(), ".env", "DEBUG=1\n");
    write(dir.path(), "README.md", "Nothing secret here.\n");
    dir
}

#[test]
fn scan_reports() {
    let dir = findings_tree(101);
    check("scan_human", &transcript(&guard(dir.path()).args(["scan", "."]).run()));
    check("scan_json", &transcript(&guard(dir.path()).args(["scan", ".", "--format", "json"]).run()));
    check("scan_jsonl", &transcript(&guard(dir.path()).args(["scan", ".", "--format", "jsonl"]).run()));
    let clean = temp_dir();
    write(clean.path(), "notes.txt", "token = ${GITHUB_TOKEN}\n");
    check("scan_human_clean", &transcript(&guard(clean.path()).args(["scan", "."]).run()));
}

#[test]
fn scan_of_standard_input_as_json() {
    let dir = temp_dir();
    let text = format!(
        "please debug this:\nOPENAI_API_KEY=sk-proj-{}\naws_access_key_id = {}\n",
        expand("{{base64url:80}}", 102),
        expand("AKIA{{base32:16}}", 102)
    );
    let out = guard(dir.path()).args(["scan", "-", "--format", "json"]).run_with_input(text.as_bytes());
    check("scan_stdin_json", &transcript(&out));
}

#[test]
fn blocked_commit_and_commit_message() {
    let repo = TempRepo::new();
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo.write("app.env.txt", format!("TOKEN={}\n", expand("{{base62_crc:ghp_}}", 103)));
    repo.write(".env", "DEBUG=1\n");
    repo.git(&["add", "."]);
    check("commit_blocked", &transcript(&repo.command(&["commit", "-m", "first"]).run()));

    repo.git(&["rm", "-q", "--cached", "app.env.txt", ".env"]);
    repo.write("README.md", "hello\n");
    repo.git(&["add", "README.md"]);
    let message = format!("debug login\n\nworks with {}", expand("{{base62_crc:ghp_}}", 104));
    check("commit_msg_blocked", &transcript(&repo.command(&["commit", "-m", &message]).run()));
}

#[test]
fn blocked_push() {
    let remote = temp_dir();
    let repo = TempRepo::new();
    let url = remote.path().to_str().unwrap();
    repo.git(&["init", "-q", "--bare", url]);
    repo.git(&["remote", "add", "origin", url]);
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    repo.git(&["push", "-q", "origin", "main"]);
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("deploy.sh", format!("#!/bin/sh\nexport TOKEN={}\n", expand("{{base62_crc:ghp_}}", 105)));
    repo.git(&["add", "."]);
    let bypassed = repo.commit(&["-q", "--no-verify", "-m", "deploy script"]);
    let out = repo.command(&["push", "origin", "topic"]).run();
    check("push_blocked", &name_commits(&transcript(&out), &[(&bypassed, "deploy script")]));
}

/// A small history: a secret added, moved, then deleted; another still in
/// HEAD; one only on a branch; one in a commit message.
#[test]
fn scan_history_reports() {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    let init = repo.commit_all("init");
    repo.write("config/app.env", format!("GITHUB_TOKEN={}\n", expand("{{base62_crc:ghp_}}", 106)));
    let added = repo.commit_all("add config");
    repo.git(&["mv", "config", "deploy"]);
    let moved = repo.commit_all("move config");
    repo.git(&["rm", "-q", "deploy/app.env"]);
    let deleted = repo.commit_all("remove config");
    repo.write(
        "settings.py",
        format!("DEBUG = False\nSTRIPE = \"sk_live_{}\"\n", expand("{{alnum:32}}", 106)),
    );
    let stripe = repo.commit_all("add settings");
    repo.git(&["checkout", "-q", "-b", "wip/experiment"]);
    repo.write("notes.md", format!("key: {}\n", expand("AKIA{{base32:16}}", 106)));
    let branch = repo.commit_all("wip notes");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "hello again\n");
    let message =
        repo.commit_all(&format!("fix login\n\nused {} to test", expand("{{base62_crc:ghp_}}", 107)));
    let commits = [
        (init.as_str(), "init"),
        (&added, "add config"),
        (&moved, "move config"),
        (&deleted, "remove config"),
        (&stripe, "add settings"),
        (&branch, "wip notes"),
        (&message, "fix login"),
    ];
    for (name, args) in [
        ("history_human", &[][..]),
        ("history_json", &["--format", "json"][..]),
        ("history_jsonl", &["--format", "jsonl"][..]),
    ] {
        let out = repo.guard().arg("scan-history").args(args).run();
        check(name, &name_commits(&transcript(&out), &commits));
    }
}

/// Assistant controls that hold, fail, or are not enforced.
#[test]
fn audit_reports() {
    let repo = TempRepo::new();
    repo.write("CLAUDE.md", "# notes\n");
    repo.write(".cursorignore", "/.env\n.env.*\n*.pem\n*.key\n");
    repo.write(".claudeignore", ".env\n");
    repo.write(
        ".claude/settings.json",
        "{\n  \"permissions\": {\n    \"deny\": [\"Read(./.env)\", \"Read(./secrets/**)\"]\n  }\n}\n",
    );
    repo.write(".env", "DEBUG=1\n");
    repo.write("src/lib.rs", "\n");
    repo.commit_all("init");
    check("audit_human", &transcript(&repo.guard().arg("audit").run()));
    check("audit_json", &transcript(&repo.guard().args(["audit", "--format", "json"]).run()));
}

#[test]
fn status_after_install() {
    let repo = TempRepo::new();
    check("status_missing", &transcript(&repo.guard().arg("status").run()));
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    check("status_installed", &transcript(&repo.guard().arg("status").run()));
}

#[test]
fn hook_claude_blocks_a_prompt() {
    let dir = temp_dir();
    let event = |prompt: String| {
        json!({
            "session_id": "s1",
            "transcript_path": "/tmp/t.jsonl",
            "cwd": dir.path(),
            "hook_event_name": "UserPromptSubmit",
            "prompt": prompt,
        })
        .to_string()
    };
    let token = expand("{{base62_crc:ghp_}}", 108);
    let blocked = event(format!("why does {token} get a 401 from the API?"));
    let out = guard(dir.path()).args(["hook", "claude"]).run_with_input(blocked.as_bytes());
    check("hook_claude_prompt_blocked", &transcript(&out));
}
