//! Every repository git can make: SHA-256 object ids, the reftable ref
//! format, split and sparse indexes, and a linked worktree of each. The
//! same history (secrets in content, in messages, in a merge, on a pushed
//! branch) is built in each, and every command must find what it finds in
//! an ordinary repository. libgit2 cannot open the first two; guard reads
//! them through the git binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// A repository format as `git init` and its settings make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Ordinary,
    Sha256,
    Reftable,
    SplitIndex,
    SparseIndex,
}

const FORMATS: [Format; 5] =
    [Format::Ordinary, Format::Sha256, Format::Reftable, Format::SplitIndex, Format::SparseIndex];

/// Where the commands run: the repository's own work tree, or a linked
/// worktree of it.
struct Place {
    repo: TempRepo,
    dir: PathBuf,
    format: Format,
    _keep: Option<tempfile::TempDir>,
}

impl Place {
    fn new(format: Format, linked: bool) -> Place {
        let init: &[&str] = match format {
            Format::Sha256 => &["--object-format=sha256"],
            Format::Reftable => &["--ref-format=reftable"],
            _ => &[],
        };
        let repo = TempRepo::with_init(init);
        match format {
            Format::SplitIndex => {
                repo.git(&["config", "core.splitIndex", "true"]);
            }
            Format::SparseIndex => {
                repo.git(&["config", "index.sparse", "true"]);
            }
            _ => {}
        }
        repo.write("README.md", "hello\n");
        repo.write("d/app.txt", "one\n");
        repo.write("other/notes.txt", "outside the sparse cone\n");
        repo.commit_all("init");
        match format {
            Format::SplitIndex => {
                repo.git(&["update-index", "--split-index"]);
                assert!(
                    repo.path()
                        .join(".git")
                        .read_dir()
                        .unwrap()
                        .flatten()
                        .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."))
                );
            }
            Format::SparseIndex => {
                repo.git(&["sparse-checkout", "set", "--cone", "d"]);
                assert!(!repo.path().join("other/notes.txt").exists(), "the cone leaves other/ out");
            }
            _ => {}
        }
        if !linked {
            let dir = repo.path().to_path_buf();
            return Place { repo, dir, format, _keep: None };
        }
        let keep = temp_dir();
        let dir = keep.path().join("linked");
        repo.git(&["worktree", "add", "-q", "-b", "linked", dir.to_str().unwrap()]);
        if format == Format::SparseIndex {
            let out =
                repo.command(&["-C", dir.to_str().unwrap(), "sparse-checkout", "set", "--cone", "d"]).run();
            assert_eq!(code(&out), 0, "{}", stderr(&out));
        }
        Place { repo, dir, format, _keep: Some(keep) }
    }

    fn git_command(&self, args: &[&str]) -> Command {
        let mut all = vec!["-C", self.dir.to_str().unwrap()];
        all.extend_from_slice(args);
        self.repo.command(&all)
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.git_command(args).run();
        assert_eq!(code(&out), 0, "{:?} git {args:?}: {}", self.format, stderr(&out));
        stdout(&out).trim().to_string()
    }

    fn guard(&self, args: &[&str]) -> std::process::Output {
        self.guard_command(args).run()
    }

    /// guard in this place, with the repository's HOME.
    fn guard_command(&self, args: &[&str]) -> Command {
        let mut command = self.repo.guard();
        command.current_dir(&self.dir).args(args);
        command
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `git commit` with the hooks; exit code and standard error.
    fn commit(&self, args: &[&str]) -> (i32, String) {
        let mut all = vec!["commit", "-q"];
        all.extend_from_slice(args);
        let out = self.git_command(&all).run();
        (code(&out), stderr(&out))
    }
}

/// What a finding is, whatever the format: rule, path, line, source.
fn findings(report: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(report).expect("a JSON report");
    let mut found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {} {}", f["rule_id"], f["path"], f["line"], f["source"]))
        .collect();
    found.sort();
    found
}

/// The git in use is one that makes every format (reftable: 2.45).
fn assert_git_makes_every_format() {
    let out = crate::common::git(Path::new(".")).arg("--version").run();
    let version = stdout(&out);
    let numbers: Vec<u32> = version
        .trim()
        .trim_start_matches("git version ")
        .split(|c: char| !c.is_ascii_digit())
        .take(2)
        .map(|n| n.parse().unwrap_or(0))
        .collect();
    assert!(numbers.as_slice() >= [2, 45].as_slice(), "these tests need git 2.45 or later, found {version}");
}

/// Builds the history in `place`, checking the hooks as it goes; returns
/// `scan-history`'s findings.
fn exercise(place: &Place) -> Vec<String> {
    let format = place.format;
    let install = place.guard(&["install"]);
    assert_eq!(code(&install), 0, "{format:?}: {}", stderr(&install));
    let status = place.guard(&["status"]);
    assert_eq!(code(&status), 0, "{format:?}: {}{}", stdout(&status), stderr(&status));
    assert!(stdout(&status).contains("pre-commit:       guard's, current"), "{}", stdout(&status));

    // A clean change passes; a staged secret blocks, and `scan --staged`
    // sees it.
    place.write("d/app.txt", "one\ntwo\n");
    place.git(&["add", "d/app.txt"]);
    let (exit, err) = place.commit(&["-m", "clean"]);
    assert_eq!(exit, 0, "{format:?}: a clean commit passes: {err}");
    place.write("d/config.txt", &format!("TOKEN={}\n", expand(GITHUB, 80)));
    place.git(&["add", "d/config.txt"]);
    let staged = place.guard(&["scan", "--staged", "--format", "json"]);
    assert_eq!(code(&staged), 1, "{format:?}: {}", stderr(&staged));
    assert_eq!(findings(&stdout(&staged)), [r#""github-pat-classic" "d/config.txt" 1 "staged""#]);
    let (exit, err) = place.commit(&["-m", "a secret"]);
    assert_eq!(exit, 1, "{format:?}: {err}");
    assert!(err.contains("d/config.txt:1:7: github-pat-classic"), "{format:?}: {err}");
    place.git(&["commit", "-q", "--no-verify", "-m", "a secret"]);
    // A message that holds a secret blocks at commit-msg.
    place.write("d/app.txt", "one\ntwo\nthree\n");
    place.git(&["add", "d/app.txt"]);
    let message = format!("deploy with {}", expand(GITHUB, 81));
    let (exit, err) = place.commit(&["-m", &message]);
    assert_eq!(exit, 1, "{format:?}: {err}");
    place.git(&["commit", "-q", "--no-verify", "-m", &message]);
    // A branch merged with a secret in the merge's own resolution.
    let base = place.git(&["rev-parse", "--abbrev-ref", "HEAD"]);
    place.git(&["switch", "-q", "-c", "topic"]);
    place.write("d/topic.txt", "topic\n");
    place.git(&["add", "d/topic.txt"]);
    place.git(&["commit", "-q", "-m", "topic"]);
    place.git(&["switch", "-q", &base]);
    place.git(&["merge", "-q", "--no-ff", "--no-commit", "topic"]);
    place.write("d/merged.txt", &format!("KEY={}\n", expand(GITHUB, 82)));
    place.git(&["add", "d/merged.txt"]);
    let (exit, err) = place.commit(&["-m", "merge topic"]);
    assert_eq!(exit, 1, "{format:?}: the merge's own secret blocks: {err}");
    place.git(&["commit", "-q", "--no-verify", "-m", "merge topic"]);

    // A push of all that to a bare remote of the same format blocks, and
    // deleting a branch there (a zero local id of the format's length)
    // passes.
    let remote = temp_dir();
    let init: &[&str] = match format {
        Format::Sha256 => &["--object-format=sha256"],
        Format::Reftable => &["--ref-format=reftable"],
        _ => &[],
    };
    let remote_dir = remote.path().join("remote.git");
    place.git(&[&["init", "-q", "--bare"][..], init, &[remote_dir.to_str().unwrap()]].concat());
    place.git(&["remote", "add", "mirror", remote_dir.to_str().unwrap()]);
    let out = place.git_command(&["push", "-q", "mirror", &base]).run();
    assert_eq!(code(&out), 1, "{format:?}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("push blocked: 3 findings"), "{format:?}: {err}");
    place.git(&["push", "-q", "--no-verify", "mirror", "topic"]);
    let out = place.git_command(&["push", "-q", "mirror", "--delete", "topic"]).run();
    assert_eq!(code(&out), 0, "{format:?}: a deletion passes: {}", stderr(&out));

    let audit = place.guard(&["audit"]);
    assert!(matches!(code(&audit), 0 | 1), "{format:?}: audit runs: {}{}", stdout(&audit), stderr(&audit));
    assert!(stdout(&audit).contains("PASS  git hooks"), "{format:?}: {}", stdout(&audit));
    let baseline = place.guard(&["baseline"]);
    assert_eq!(code(&baseline), 0, "{format:?}: {}", stderr(&baseline));
    std::fs::remove_file(place.dir.join(".guard-baseline.toml")).unwrap();

    let history = place.guard(&["scan-history", "--format", "json", &base]);
    assert_eq!(code(&history), 1, "{format:?}: {}", stderr(&history));
    findings(&stdout(&history))
}

#[test]
fn every_command_finds_the_same_in_every_repository_format() {
    assert_git_makes_every_format();
    let expected = exercise(&Place::new(Format::Ordinary, false));
    assert_eq!(
        expected,
        [
            r#""github-pat-classic" "d/config.txt" 1 "commit""#,
            r#""github-pat-classic" "d/merged.txt" 1 "commit""#,
            r#""github-pat-classic" null 1 "message""#,
        ]
    );
    for format in FORMATS {
        for linked in [false, true] {
            if format == Format::Ordinary && !linked {
                continue;
            }
            let place = Place::new(format, linked);
            assert_eq!(exercise(&place), expected, "{format:?}, linked worktree: {linked}");
        }
    }
}

#[test]
fn zero_ids_are_as_long_as_the_repository_names_objects() {
    assert_git_makes_every_format();
    let place = Place::new(Format::Sha256, false);
    let head = place.git(&["rev-parse", "HEAD"]);
    assert_eq!(head.len(), 64);
    let install = place.guard(&["install"]);
    assert_eq!(code(&install), 0, "{}", stderr(&install));
    // What git sends pre-push for a new branch: a zero remote id of 64 digits.
    let zero = "0".repeat(64);
    let line = format!("refs/heads/main {head} refs/heads/main {zero}\n");
    let out =
        place.guard_command(&["hook", "pre-push", "origin", "/nowhere"]).run_with_input(line.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    place.write("d/config.txt", &format!("TOKEN={}\n", expand(GITHUB, 83)));
    place.git(&["add", "d/config.txt"]);
    place.git(&["commit", "-q", "--no-verify", "-m", "a secret"]);
    let tip = place.git(&["rev-parse", "HEAD"]);
    let line = format!(
        "refs/heads/main {tip} refs/heads/main {head}\nrefs/heads/gone {zero} refs/heads/gone {tip}\n"
    );
    let out =
        place.guard_command(&["hook", "pre-push", "origin", "/nowhere"]).run_with_input(line.as_bytes());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("push blocked: 1 finding"), "{}", stderr(&out));
}

#[test]
fn status_and_audit_run_the_check_the_hooks_run() {
    assert_git_makes_every_format();
    let place = Place::new(Format::Sha256, false);
    assert_eq!(code(&place.guard(&["install"])), 0);
    let status = place.guard(&["status"]);
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(
        stdout(&status).contains(
            "repository:      read through the git binary (SHA-256 object ids; libgit2 cannot open it"
        ),
        "{}",
        stdout(&status)
    );
    // HEAD names a commit the repository lacks: the hooks cannot run, and
    // status and audit say so instead of calling them current.
    let missing = "1".repeat(64);
    std::fs::write(place.dir.join(".git/refs/heads/main"), format!("{missing}\n")).unwrap();
    place.write("d/app.txt", "changed\n");
    place.git(&["add", "d/app.txt"]);
    let (exit, err) = place.commit(&["-m", "blocked"]);
    assert_ne!(exit, 0, "{err}");
    let status = place.guard(&["status"]);
    assert_eq!(code(&status), 1, "{}", stdout(&status));
    assert!(
        stdout(&status).contains("repository:      PROBLEM: the hooks cannot read it"),
        "{}",
        stdout(&status)
    );
    // audit fails, naming the missing commit.
    let audit = place.guard(&["audit"]);
    let said = format!("{}{}", stdout(&audit), stderr(&audit));
    assert_ne!(code(&audit), 0, "{said}");
    assert!(said.contains(&format!("object {missing} is missing from the repository")), "{said}");
}

#[test]
fn the_first_commit_of_a_new_repository_is_checked_in_every_format() {
    assert_git_makes_every_format();
    for init in [&["--object-format=sha256"][..], &["--ref-format=reftable"]] {
        let repo = TempRepo::with_init(init);
        let out = repo.guard().arg("install").run();
        assert_eq!(code(&out), 0, "{init:?}: {}", stderr(&out));
        repo.write("a.txt", format!("TOKEN={}\n", expand(GITHUB, 84)));
        repo.git(&["add", "a.txt"]);
        let out = repo.command(&["commit", "-q", "-m", "first"]).run();
        assert_eq!(code(&out), 1, "{init:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("a.txt:1:7: github-pat-classic"), "{init:?}: {}", stderr(&out));
        repo.write("a.txt", "clean\n");
        repo.git(&["add", "a.txt"]);
        let out = repo.command(&["commit", "-q", "-m", "first"]).run();
        assert_eq!(code(&out), 0, "{init:?}: {}", stderr(&out));
    }
}
