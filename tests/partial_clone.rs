//! A blobless partial clone stays offline: no command and no hook makes
//! git fetch a missing blob (a canary upload-pack would record it) or
//! write to the object database. What was not read is named, with how to
//! fetch it, and fails `--fail-on-skip`; the hooks still check locally
//! made commits whole where an old blob is missing.

use std::path::Path;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// Every file under `.git/objects` with its size, one a line.
fn objects(repo: &TempRepo) -> String {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read objects").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(format!("{} {}", path.display(), entry.metadata().map_or(0, |m| m.len())));
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo.path().join(".git/objects"), &mut files);
    files.sort();
    files.join("\n")
}

/// A history whose first version of `a.txt` holds a secret, served by a
/// bare repository that allows filters; its blobless clone without a
/// checkout (so even HEAD's blobs are missing), whose upload-pack is a
/// canary that records each run; and a full copy of the history to push
/// to. Returns the clone, the canary's record, and the directories kept.
fn partial_clone() -> (TempRepo, std::path::PathBuf, Vec<tempfile::TempDir>) {
    let source = TempRepo::new();
    source.write("a.txt", format!("token = {}\n", expand(GITHUB, 101)));
    source.write("b.txt", "bee\n");
    source.commit_all("first");
    source.write("a.txt", "second version\n");
    source.commit_all("second");
    source.write("a.txt", "third version\n");
    source.commit_all("third");
    let (served, mirror, scripts) = (temp_dir(), temp_dir(), temp_dir());
    for bare in [&served, &mirror] {
        source.git(&["clone", "-q", "--bare", ".", bare.path().to_str().unwrap()]);
    }
    crate::common::git(served.path()).args(["config", "uploadpack.allowFilter", "true"]).run();
    let record = scripts.path().join("fetched");
    let canary = write(
        scripts.path(),
        "upload-pack",
        format!("#!/bin/sh\ntouch '{}'\nexec git upload-pack \"$@\"\n", record.display()),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&canary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let clone = temp_dir();
    let url = format!("file://{}", served.path().display());
    source.git(&["clone", "-q", "--filter=blob:none", "--no-checkout", &url, clone.path().to_str().unwrap()]);
    let clone = TempRepo::at(clone);
    clone.git(&["config", "remote.origin.uploadpack", canary.to_str().unwrap()]);
    clone.git(&["remote", "add", "mirror", mirror.path().to_str().unwrap()]);
    // The index from HEAD's trees; the work tree stays empty.
    clone.git(&["reset", "-q"]);
    assert_eq!(code(&clone.guard().arg("install").run()), 0);
    (clone, record, vec![served, mirror, scripts])
}

/// Runs guard with `args` in `clone`: neither the canary nor a change to
/// the object database may follow.
fn offline(clone: &TempRepo, record: &Path, args: &[&str]) -> std::process::Output {
    let before = objects(clone);
    let out = clone.guard().args(args).run();
    assert!(!record.exists(), "guard {args:?} made git fetch: {}", stderr(&out));
    assert_eq!(objects(clone), before, "guard {args:?} wrote to the object database");
    out
}

#[test]
fn a_partial_clone_is_never_fetched_from_and_says_what_was_not_read() {
    let (clone, record, _dirs) = partial_clone();
    let missing = clone.git(&["rev-list", "--objects", "--all", "--missing=print"]);
    let missing: Vec<&str> = missing.lines().filter_map(|l| l.strip_prefix('?')).collect();
    assert_eq!(missing.len(), 4, "every blob is missing: {missing:?}");

    for args in [&["scan-history"][..], &["scan-history", "main"], &["scan-history", "--since", "2000-01-01"]]
    {
        let out = offline(&clone, &record, args);
        assert_eq!(code(&out), 0, "{args:?}: nothing found, and the missing blobs listed: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("not in this partial clone") && text.contains("git fetch --refetch origin"),
            "{text}"
        );
        assert!(text.contains("at a.txt") && missing.iter().all(|blob| text.contains(blob)), "{text}");
        assert!(!text.contains("no secrets found in the history\n"), "{text}");

        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json", "--fail-on-skip"]);
        let out = offline(&clone, &record, &json_args);
        assert_eq!(code(&out), 2, "--fail-on-skip: the scan is incomplete");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let skipped = report["skipped"].as_array().expect("skipped");
        assert_eq!(skipped.len(), 4, "{report}");
        assert!(
            skipped.iter().all(|s| s["reason"] == "not-local" && s["hint"].as_str().is_some()),
            "{report}"
        );
        assert!(skipped.iter().any(|s| s["path"] == "a.txt" && s["blob"].as_str().is_some()), "{report}");
    }
    for args in [&["status"][..], &["audit"], &["baseline"]] {
        let out = offline(&clone, &record, args);
        assert_ne!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    std::fs::remove_file(clone.path().join(".guard-baseline.toml")).ok();

    // A local change to a file whose old blob was never fetched is
    // checked whole.
    let token = expand(GITHUB, 102);
    clone.write("a.txt", format!("fourth version\ntoken = {token}\n"));
    clone.git(&["add", "a.txt"]);
    let out = offline(&clone, &record, &["scan", "--staged", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("\"line\": 2") && !stdout(&out).contains(&token), "{}", stdout(&out));
    let out = offline(&clone, &record, &["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("a.txt:2:9: github-pat-classic"), "{}", stderr(&out));
    let message = write(clone.path(), ".git/MSG", "a clean message\n");
    let out = offline(&clone, &record, &["hook", "commit-msg", message.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = clone.command(&["commit", "-q", "-m", "fourth"]).run();
    assert_ne!(code(&out), 0, "the commit is blocked");
    assert!(stderr(&out).contains("a.txt:2:9: github-pat-classic"), "{}", stderr(&out));
    // git's own commit may fetch (it reads the blob of an index entry it
    // cannot trust by its time stamp); the hooks were checked offline above.
    std::fs::remove_file(&record).ok();

    // Committed past the hook, the secret stops the push to another
    // repository that has the history; cleaned, the commit is pushed.
    clone.commit(&["-q", "--no-verify", "-m", "fourth"]);
    let head = clone.git(&["rev-parse", "HEAD"]);
    let parent = clone.git(&["rev-parse", "HEAD~"]);
    let line = format!("refs/heads/main {head} refs/heads/main {parent}\n");
    let before = objects(&clone);
    let out = clone.guard().args(["hook", "pre-push", "mirror", "unused"]).run_with_input(line.as_bytes());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("a.txt:2:9: github-pat-classic"), "{}", stderr(&out));
    assert!(!record.exists() && objects(&clone) == before, "pre-push stays offline");
    clone.write("a.txt", "fourth version\n");
    clone.git(&["add", "a.txt"]);
    clone.commit(&["-q", "--amend", "-m", "fourth"]);
    // Without a thin pack, git's own push needs no missing blob either.
    let out = clone.command(&["push", "-q", "--no-thin", "mirror", "main"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!record.exists(), "the push made git fetch");

    // The canary does record a fetch: git reading a missing blob fetches it.
    clone.git(&["cat-file", "-e", missing[0]]);
    assert!(record.exists(), "the canary works");
}

#[test]
fn a_pushed_blob_the_partial_clone_lacks_blocks_the_push_and_says_how_to_fetch_it() {
    let (clone, record, _dirs) = partial_clone();
    let empty = temp_dir();
    clone.git(&["init", "-q", "--bare", empty.path().to_str().unwrap()]);
    // A remote without remote-tracking refs: the whole history is pushed.
    clone.git(&["remote", "add", "empty", empty.path().to_str().unwrap()]);
    let head = clone.git(&["rev-parse", "HEAD"]);
    let line = format!("refs/heads/main {head} refs/heads/main {}\n", "0".repeat(40));
    let before = objects(&clone);
    let out = clone
        .guard()
        .args(["hook", "pre-push", "empty", empty.path().to_str().unwrap()])
        .run_with_input(line.as_bytes());
    assert_eq!(code(&out), 2, "fails closed: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is not in this repository") && err.contains("git fetch --refetch origin"), "{err}");
    assert!(err.contains("git push --no-verify"), "{err}");
    assert!(!record.exists() && objects(&clone) == before, "pre-push stays offline");
}
