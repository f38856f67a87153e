//! Nothing guard writes leaks what it guards. A generated secret, a
//! different one per channel, is planted in every channel guard reads (file
//! content, file name, branch and tag names, commit and tag messages,
//! notes, each config field, the baseline, standard input, pre-push input,
//! assistant-hook payloads), and every byte guard writes (standard output,
//! standard error, the report and baseline files it creates) across every
//! command and format is searched for every one of them. Only `--no-redact`
//! output and the `--replace-file` file may hold a secret; neither is run
//! here. Later issues add their channels and formats as rows.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout, temp_dir};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// Secrets by channel: each is told apart by its seed.
struct Planted {
    secrets: Vec<(String, String)>,
}

impl Planted {
    fn new() -> Planted {
        Planted { secrets: Vec::new() }
    }

    /// A fresh secret for `channel`.
    fn plant(&mut self, channel: &str) -> String {
        let secret = expand(GITHUB, 9000 + self.secrets.len() as u64);
        self.secrets.push((channel.to_owned(), secret.clone()));
        secret
    }

    /// The channels whose secret `bytes` hold: whole, or any run of 12 of
    /// its characters past what a redaction may show (prefix and four).
    fn leaked_in(&self, bytes: &[u8]) -> Vec<&str> {
        let text = String::from_utf8_lossy(bytes);
        self.secrets
            .iter()
            .filter(|(_, secret)| (8..secret.len() - 12).any(|at| text.contains(&secret[at..at + 12])))
            .map(|(channel, _)| channel.as_str())
            .collect()
    }
}

/// Everything guard wrote, by where it went, for one command.
struct Written {
    what: String,
    parts: Vec<(&'static str, Vec<u8>)>,
}

/// Collects what each command wrote and reports every leak at the end.
struct Audit<'a> {
    planted: &'a Planted,
    leaks: Vec<String>,
    runs: usize,
}

impl Audit<'_> {
    fn check(&mut self, written: Written) {
        self.runs += 1;
        for (place, bytes) in &written.parts {
            for channel in self.planted.leaked_in(bytes) {
                self.leaks.push(format!(
                    "{}: the {channel} secret is in {place}:\n{}",
                    written.what,
                    String::from_utf8_lossy(bytes)
                ));
            }
        }
    }

    /// Runs `command` with `input`, checks both streams, and returns them.
    fn run(&mut self, what: &str, command: &mut Command, input: &[u8]) -> Output {
        let out = command.run_with_input(input);
        self.check(Written {
            what: what.to_owned(),
            parts: vec![("stdout", out.stdout.clone()), ("stderr", out.stderr.clone())],
        });
        out
    }

    /// Checks a file guard wrote.
    fn file(&mut self, what: &str, path: &Path) {
        let bytes =
            std::fs::read(path).unwrap_or_else(|e| panic!("{what}: {} was not written: {e}", path.display()));
        self.check(Written { what: what.to_owned(), parts: vec![("the file it wrote", bytes)] });
    }

    fn finish(self) {
        assert!(
            self.leaks.is_empty(),
            "{} leaks in {} runs:\n\n{}",
            self.leaks.len(),
            self.runs,
            self.leaks.join("\n\n")
        );
    }
}

fn event(dir: &Path, name: &str, fields: serde_json::Value) -> Vec<u8> {
    let mut event = json!({
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": dir,
        "hook_event_name": name,
    });
    for (key, value) in fields.as_object().expect("an object") {
        event[key] = value.clone();
    }
    event.to_string().into_bytes()
}

/// A repository with a secret in every git channel, hooks installed and a
/// bare remote.
fn world(planted: &mut Planted) -> (TempRepo, tempfile::TempDir) {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    repo.write("deploy.sh", format!("export GITHUB_TOKEN={}\n", planted.plant("file content")));
    repo.write(&format!("keys/{}.txt", planted.plant("file name")), "nothing here\n");
    repo.git(&["add", "."]);
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        &format!("deploy with {}", planted.plant("commit message")),
    ]);
    repo.git(&["branch", &format!("fix-{}", planted.plant("branch name"))]);
    repo.git(&["tag", &format!("t-{}", planted.plant("tag name"))]);
    repo.git(&["tag", "-a", "v1", "-m", &format!("release {}", planted.plant("tag message"))]);
    repo.git(&["notes", "add", "-m", &format!("note {}", planted.plant("note")), "HEAD"]);
    let remote = temp_dir();
    let bare = remote.path().join("remote.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    (repo, remote)
}

#[test]
fn no_command_and_no_format_prints_a_planted_secret() {
    let mut planted = Planted::new();
    let (repo, _remote) = world(&mut planted);
    let stdin_secret = format!("paste {}\n", planted.plant("standard input"));
    let prompt = planted.plant("assistant prompt");
    let command = planted.plant("assistant command");
    let content = planted.plant("file read by an assistant");
    let pre_push = planted.plant("pre-push input");
    let staged = planted.plant("staged content");
    let staged_name = planted.plant("staged file name");
    let mut audit = Audit { planted: &planted, leaks: Vec::new(), runs: 0 };
    let reports = temp_dir();

    for format in ["human", "json", "jsonl"] {
        let out = audit.run(
            &format!("scan . --format {format}"),
            repo.guard().args(["scan", ".", "--format", format]),
            b"",
        );
        assert_eq!(code(&out), 1, "the scan found the planted secrets: {}", stderr(&out));
        let out = audit.run(
            &format!("scan - --format {format}"),
            repo.guard().args(["scan", "-", "--format", format]),
            stdin_secret.as_bytes(),
        );
        assert_eq!(code(&out), 1);
        let out = audit.run(
            &format!("scan-history --format {format}"),
            repo.guard().args(["scan-history", "--format", format]),
            b"",
        );
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let names = stdout(&out);
        if format == "json" {
            for source in ["file-name", "ref-name", "message", "commit"] {
                assert!(
                    names.contains(&format!("\"source\": \"{source}\"")),
                    "no {source} finding:\n{names}"
                );
            }
        }
        let file = reports.path().join(format!("history.{format}"));
        audit.run(
            &format!("scan-history --format {format} --output"),
            repo.guard().args(["scan-history", "--format", format, "--output"]).arg(&file),
            b"",
        );
        audit.file(&format!("scan-history --format {format} --output"), &file);
        let file = reports.path().join(format!("scan.{format}"));
        audit.run(
            &format!("scan --format {format} --output"),
            repo.guard().args(["scan", ".", "--format", format, "--output"]).arg(&file),
            b"",
        );
        audit.file(&format!("scan --format {format} --output"), &file);
    }
    let out = audit.run("redact", repo.guard().arg("redact"), stdin_secret.as_bytes());
    assert!(stdout(&out).starts_with("paste ghp_"), "{}", stdout(&out));
    for args in [&["status"][..], &["audit"], &["rules", "list"], &["rules", "check"]] {
        audit.run(&args.join(" "), repo.guard().args(args), b"");
    }

    // The hooks: a staged secret in content and in a name, a message, a push.
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo.write(&format!("more/{staged_name}.txt"), format!("token: {staged}\n"));
    repo.git(&["add", "more"]);
    audit.run("scan --staged", repo.guard().args(["scan", "--staged"]), b"");
    let out = audit.run("git commit (pre-commit)", &mut repo.command(&["commit", "-q", "-m", "more"]), b"");
    assert_ne!(code(&out), 0, "pre-commit blocked");
    repo.git(&["rm", "-r", "-q", "--cached", "more"]);
    repo.write("clean.txt", "clean\n");
    repo.git(&["add", "clean.txt"]);
    let out = audit.run(
        "git commit (commit-msg)",
        &mut repo.command(&["commit", "-q", "-m", &format!("message {}", planted.secrets[2].1)]),
        b"",
    );
    assert_ne!(code(&out), 0, "commit-msg blocked");
    let branch = repo.git(&["branch", "--format=%(refname:short)", "--list", "fix-*"]);
    let out = audit.run(
        "git push (pre-push)",
        &mut repo.command(&["push", "-q", "origin", branch.trim(), "--tags"]),
        b"",
    );
    assert_ne!(code(&out), 0, "pre-push blocked");
    let malformed = format!("refs/heads/main {pre_push} refs/heads/main 0000\n");
    let out = audit.run(
        "guard hook pre-push, malformed input",
        repo.guard().args(["hook", "pre-push", "origin", "/nowhere"]),
        malformed.as_bytes(),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    // Claude Code's hook, one payload per channel.
    let dir = repo.path();
    std::fs::write(dir.join("notes.md"), format!("key {content}\n")).unwrap();
    let name = &planted.secrets[1].1;
    let payloads = [
        ("prompt", event(dir, "UserPromptSubmit", json!({"prompt": format!("use {prompt}")}))),
        (
            "Bash",
            event(
                dir,
                "PreToolUse",
                json!({"tool_name": "Bash", "tool_input": {"command": format!("curl -H 'x: {command}' x")}}),
            ),
        ),
        (
            "Read of a file holding one",
            event(dir, "PreToolUse", json!({"tool_name": "Read", "tool_input": {"file_path": "notes.md"}})),
        ),
        (
            "Read of a named file",
            event(
                dir,
                "PreToolUse",
                json!({"tool_name": "Read", "tool_input": {"file_path": format!("keys/{name}.txt")}}),
            ),
        ),
    ];
    for (what, payload) in payloads {
        let out = audit.run(&format!("hook claude: {what}"), repo.guard().args(["hook", "claude"]), &payload);
        assert_eq!(code(&out), 2, "hook claude blocked {what}: {}", stderr(&out));
    }

    // The baseline file guard writes is committed: it must hold no secret.
    let out = audit.run("baseline", repo.guard().arg("baseline"), b"");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    audit.file("baseline", &repo.path().join(".guard-baseline.toml"));
    audit.finish();
}

/// Each config field, made invalid with a secret in it, and a baseline
/// entry made invalid the same way: every command that reads them fails
/// closed and names the file and line, and none prints the secret.
#[test]
fn a_secret_in_a_bad_config_field_or_baseline_is_never_printed() {
    let mut planted = Planted::new();
    let mut fields = Vec::new();
    let rule =
        |field: &str| format!("[[rule]]\nid = \"r\"\ndescription = \"d\"\nregex = \"x[0-9]\"\n{field}\n");
    for (channel, body) in [
        ("allow regex", "[allow]\nregexes = [\"(S\"]\n".to_owned()),
        ("allow path", "[allow]\npaths = [\"{S\"]\n".to_owned()),
        ("stop word", "[allow]\nstopwords = \"S\"\n".to_owned()),
        ("path-policy deny", "[path_policy]\ndeny = [\"[S\"]\n".to_owned()),
        ("path-policy allow", "[path_policy]\nallow = [\"S[\"]\n".to_owned()),
        ("audit pattern", "[audit]\nsensitive = [\"S{\"]\n".to_owned()),
        ("disabled rule", "[rules]\ndisable = [\"S\"]\n".to_owned()),
        ("size", "[scan]\nmax_file_size = \"S\"\n".to_owned()),
        ("key", "[scan]\nS = 1\n".to_owned()),
        ("rule regex", "[[rule]]\nid = \"r\"\ndescription = \"d\"\nregex = \"(S\"\n".to_owned()),
        ("rule id", "[[rule]]\nid = \"S\"\ndescription = \"d\"\nregex = \"(x\"\n".to_owned()),
        ("rule allow", rule("allow = [\"(S\"]")),
        ("rule paths", rule("paths = [\"{S\"]")),
        ("rule checksum", rule("checksum = \"S\"")),
        ("rule example", rule("examples = [\"{{S\"]")),
        ("rule keyword", rule("keywords = [\"S\", \"\"]")),
        ("rule field", rule("S = true")),
    ] {
        let secret = planted.plant(channel);
        fields.push((channel, body.replace('S', &secret)));
    }
    let baseline_secret = planted.plant("baseline");
    let mut audit = Audit { planted: &planted, leaks: Vec::new(), runs: 0 };
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    let commands: [&[&str]; 5] =
        [&["scan", "."], &["scan-history"], &["status"], &["audit"], &["rules", "check"]];
    let check_all = |audit: &mut Audit<'_>, what: &str| {
        for args in commands {
            let out = audit.run(&format!("{what}: guard {}", args.join(" ")), repo.guard().args(args), b"");
            if args[0].starts_with("scan") {
                assert_eq!(code(&out), 2, "{what}: guard {args:?} failed closed: {}", stdout(&out));
            }
        }
        repo.write("a.txt", what);
        repo.git(&["add", "a.txt"]);
        let out =
            audit.run(&format!("{what}: git commit"), &mut repo.command(&["commit", "-q", "-m", "a"]), b"");
        assert_ne!(code(&out), 0, "{what}: the commit was blocked");
        let prompt = event(repo.path(), "UserPromptSubmit", json!({"prompt": "hello"}));
        let out = audit.run(&format!("{what}: hook claude"), repo.guard().args(["hook", "claude"]), &prompt);
        assert_eq!(code(&out), 2, "{what}: hook claude failed closed");
    };
    for (channel, body) in &fields {
        repo.write("guard.toml", body);
        check_all(&mut audit, channel);
    }
    std::fs::remove_file(repo.path().join("guard.toml")).unwrap();
    repo.write(
        ".guard-baseline.toml",
        format!("accepted = [\n  {{ fingerprint = 7, rule = \"{baseline_secret}\" }},\n]\n"),
    );
    check_all(&mut audit, "baseline");
    audit.finish();
}
