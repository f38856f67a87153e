//! Beside the real pre-commit framework (PyPI `pre-commit`, installed by
//! `tests/tools.sh`): guard listed in `.pre-commit-config.yaml` through
//! this repository's `.pre-commit-hooks.yaml`, and guard's own hooks
//! installed before or after `pre-commit install`. Commits and pushes work
//! in every order, a staged, a message and a pushed secret are blocked,
//! and each tool's checks run once.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// The framework, where `tests/tools.sh` puts it; the tests fail without it.
const PRE_COMMIT: &str = "/usr/local/bin/pre-commit";

/// A directory holding only `guard` (the binary under test), for the
/// framework's `language: system` hooks to find on PATH.
fn guard_on_path() -> (tempfile::TempDir, String) {
    let dir = temp_dir();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guard"), dir.path().join("guard")).unwrap();
    let path = format!("{}:{}", dir.path().display(), crate::common::path().to_string_lossy());
    (dir, path)
}

/// A repository holding this checkout's `.pre-commit-hooks.yaml`, as the
/// framework clones it, and its commit.
fn hooks_repo() -> (TempRepo, String) {
    let repo = TempRepo::new();
    let hooks = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    std::fs::copy(hooks, repo.path().join(".pre-commit-hooks.yaml")).unwrap();
    let rev = repo.commit_all("guard's hooks for the framework");
    (repo, rev)
}

struct Setup {
    repo: TempRepo,
    path: String,
    _guard: tempfile::TempDir,
    _remote: tempfile::TempDir,
    _hooks: Option<TempRepo>,
}

impl Setup {
    /// A repository with a bare `origin`, whose `.pre-commit-config.yaml`
    /// lists guard's hooks (`with_guard`) or only a hook that counts its
    /// runs.
    fn new(with_guard: bool) -> Setup {
        assert!(
            Path::new(PRE_COMMIT).exists(),
            "the tests need the pre-commit framework: run tests/tools.sh"
        );
        let (guard, path) = guard_on_path();
        let repo = TempRepo::new();
        let marker = "  - repo: local\n    hooks:\n      - id: marker\n        name: marker\n        entry: sh -c 'echo ran >> \"$(git rev-parse --git-dir)/marker-ran\"'\n        language: system\n        pass_filenames: false\n        always_run: true\n        stages: [pre-commit]\n";
        let mut config = String::from(
            "default_install_hook_types: [pre-commit, pre-merge-commit, commit-msg, pre-push]\nrepos:\n",
        );
        let hooks = with_guard.then(hooks_repo).map(|(hooks, rev)| {
            config.push_str(&format!(
                "  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: guard\n      - id: guard-commit-msg\n",
                hooks.path().display()
            ));
            hooks
        });
        config.push_str(marker);
        repo.write(".pre-commit-config.yaml", config);
        repo.write("README.md", "hello\n");
        repo.commit_all("init");
        let remote = temp_dir();
        repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
        repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
        repo.git(&["push", "-q", "origin", "main"]);
        Setup { repo, path, _guard: guard, _remote: remote, _hooks: hooks }
    }

    /// git (or the framework) with guard on PATH.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let mut command = if program == "git" {
            self.repo.command(args)
        } else {
            // HOME as the repository's commands have it: the framework's
            // cache is the one its hooks find.
            let mut command = Command::new(program);
            command.current_dir(self.repo.path()).args(args);
            command
        };
        command.env("PATH", &self.path).run()
    }

    fn pre_commit_install(&self) {
        self.framework_install(PRE_COMMIT);
    }

    /// `pre-commit install`, or prek's.
    fn framework_install(&self, program: &str) {
        let out = self.run(program, &["install"]);
        assert_eq!(code(&out), 0, "{program} install: {}{}", stdout(&out), stderr(&out));
    }

    fn guard_install(&self) -> String {
        let out = self.repo.guard().arg("install").run();
        assert_eq!(code(&out), 0, "guard install: {}{}", stdout(&out), stderr(&out));
        stdout(&out)
    }

    fn marker_runs(&self) -> usize {
        std::fs::read_to_string(self.repo.path().join(".git/marker-ran")).unwrap_or_default().lines().count()
    }

    /// A staged secret, a message secret and a pushed secret are each
    /// blocked once; a clean commit and push pass; the marker hook runs
    /// once per commit.
    fn check_blocks(&self, label: &str) {
        let before = self.marker_runs();
        self.repo.write("a.txt", format!("TOKEN={}\n", expand(GITHUB, 90)));
        self.repo.git(&["add", "a.txt"]);
        let out = self.run("git", &["commit", "-q", "-m", "a staged secret"]);
        let err = format!("{}{}", stdout(&out), stderr(&out));
        assert_ne!(code(&out), 0, "{label}: {err}");
        assert_eq!(
            err.matches("a.txt:1:7: github-pat-classic").count(),
            1,
            "{label}: guard runs once: {err}"
        );
        assert!(!err.contains("migration mode"), "{label}: {err}");
        assert_eq!(self.marker_runs(), before + 1, "{label}: the framework's hooks run once");

        self.repo.write("a.txt", format!("clean, {label}\n"));
        self.repo.git(&["add", "a.txt"]);
        let message = format!("deploy with {}", expand(GITHUB, 91));
        let out = self.run("git", &["commit", "-q", "-m", &message]);
        assert_ne!(code(&out), 0, "{label}: a message secret: {}{}", stdout(&out), stderr(&out));
        let out = self.run("git", &["commit", "-q", "-m", "clean"]);
        assert_eq!(code(&out), 0, "{label}: a clean commit: {}{}", stdout(&out), stderr(&out));
        let out = self.run("git", &["push", "-q", "origin", "main"]);
        assert_eq!(code(&out), 0, "{label}: a clean push: {}{}", stdout(&out), stderr(&out));

        self.repo.write("b.txt", format!("KEY={}\n", expand(GITHUB, 92)));
        self.repo.git(&["add", "b.txt"]);
        self.repo.git(&["commit", "-q", "--no-verify", "-m", "a secret past the commit hooks"]);
        let out = self.run("git", &["push", "-q", "origin", "main"]);
        let err = format!("{}{}", stdout(&out), stderr(&out));
        assert_ne!(code(&out), 0, "{label}: the pushed secret: {err}");
        assert!(err.contains("b.txt:1:5: github-pat-classic"), "{label}: {err}");
        self.repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    }
}

#[test]
fn guard_listed_in_the_framework_blocks_in_every_stage_and_guard_install_adds_nothing() {
    let setup = Setup::new(true);
    setup.pre_commit_install();
    setup.check_blocks("through the framework");
    let said = setup.guard_install();
    assert!(said.contains("lists guard: it runs guard there, so guard adds nothing"), "{said}");
    assert!(!setup.repo.path().join(".git/hooks/pre-commit.legacy").exists());
    setup.check_blocks("through the framework, after guard install");
    let status = setup.repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    assert!(
        stdout(&status).contains(".pre-commit-config.yaml lists guard, so it runs guard"),
        "{}",
        stdout(&status)
    );
    // A new branch (the framework passes no range): every commit checked.
    setup.repo.git(&["switch", "-q", "-c", "topic"]);
    setup.repo.write("c.txt", format!("KEY={}\n", expand(GITHUB, 93)));
    setup.repo.git(&["add", "c.txt"]);
    setup.repo.git(&["commit", "-q", "--no-verify", "-m", "on a new branch"]);
    let out = setup.run("git", &["push", "-q", "origin", "topic"]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert_ne!(code(&out), 0, "{said}");
    assert!(said.contains("c.txt:1:5: github-pat-classic"), "{said}");
}

#[test]
fn guard_and_the_framework_installed_in_either_order_each_run_once() {
    for guard_first in [true, false] {
        let setup = Setup::new(false);
        let label = if guard_first {
            "guard install; pre-commit install"
        } else {
            "pre-commit install; guard install"
        };
        if guard_first {
            setup.guard_install();
            setup.pre_commit_install();
        } else {
            setup.pre_commit_install();
            let said = setup.guard_install();
            assert!(said.contains("installed guard's there, so each runs once"), "{said}");
        }
        setup.check_blocks(label);
        // And again, the other way round: still one of each.
        setup.guard_install();
        setup.pre_commit_install();
        setup.guard_install();
        setup.check_blocks(&format!("{label}, installed again"));
        let status = setup.repo.guard().arg("status").run();
        assert_eq!(code(&status), 0, "{label}: {}", stdout(&status));
        assert!(
            stdout(&status).contains(
                "the pre-commit framework's hook, which runs guard's current hook (pre-commit.legacy) first"
            ),
            "{label}: {}",
            stdout(&status)
        );
        // Uninstall leaves the framework's hooks working alone.
        let out = setup.repo.guard().arg("uninstall").run();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(!setup.repo.path().join(".git/hooks/pre-commit.legacy").exists(), "{label}");
        let out = setup.run("git", &["commit", "-q", "--allow-empty", "-m", "framework alone"]);
        assert_eq!(code(&out), 0, "{label}: {}{}", stdout(&out), stderr(&out));
    }
}

#[test]
fn with_core_hooks_path_set_status_says_the_framework_cannot_install() {
    let setup = Setup::new(false);
    setup.repo.git(&["config", "core.hooksPath", ".githooks"]);
    setup.guard_install();
    let out = setup.run(PRE_COMMIT, &["install"]);
    assert_ne!(code(&out), 0, "the framework refuses: {}{}", stdout(&out), stderr(&out));
    let status = setup.repo.guard().arg("status").run();
    assert_eq!(code(&status), 0, "guard's own hooks are fine: {}", stdout(&status));
    assert!(
        stdout(&status).contains("`pre-commit install` refuses while core.hooksPath is set"),
        "{}",
        stdout(&status)
    );
}

/// prek, the framework rewritten in Rust, writes its own scripts and also
/// runs `NAME.legacy` first: guard goes there too, in either order.
#[test]
fn beside_prek_guard_and_prek_each_run_once() {
    const PREK: &str = "/usr/local/bin/prek";
    assert!(Path::new(PREK).exists(), "the tests need prek: run tests/tools.sh");
    for guard_first in [true, false] {
        let setup = Setup::new(false);
        if guard_first {
            setup.guard_install();
            setup.framework_install(PREK);
        } else {
            setup.framework_install(PREK);
            setup.guard_install();
        }
        let label = if guard_first { "guard install; prek install" } else { "prek install; guard install" };
        setup.check_blocks(label);
        let status = setup.repo.guard().arg("status").run();
        assert_eq!(code(&status), 0, "{label}: {}", stdout(&status));
    }
}
