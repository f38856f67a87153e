//! The binary end to end: exit codes, formats, redaction, report files,
//! closed pipes, ignore files, configuration and its errors.

use std::io::Read;

use crate::common::{Run, code, expand, guard, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

#[test]
fn exit_0_when_clean_1_on_findings_2_on_error() {
    let dir = temp_dir();
    write(dir.path(), "clean.txt", "nothing to see here\n");
    let clean = guard(dir.path()).args(["scan", "clean.txt"]).run();
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    assert!(stdout(&clean).contains("no secrets found"));

    let token = expand(GITHUB, 1);
    write(dir.path(), "app.cfg", format!("x = 1\ntoken = {token}\n"));
    let found = guard(dir.path()).args(["scan", "app.cfg"]).run();
    assert_eq!(code(&found), 1);
    let text = stdout(&found);
    assert!(text.contains("app.cfg:2:9: github-pat-classic"), "{text}");
    assert!(!text.contains(&token), "the secret must be redacted: {text}");
    assert!(text.contains(&format!("{}…(40 chars)", &token[..8])), "{text}");
    assert!(text.contains("guard:allow"), "the report says how to allow: {text}");

    let missing = guard(dir.path()).args(["scan", "does-not-exist"]).run();
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("does-not-exist"), "{}", stderr(&missing));

    let usage = guard(dir.path()).args(["scan", "--format", "xml"]).run();
    assert_eq!(code(&usage), 2);
}

#[test]
fn no_redact_shows_the_secret() {
    let dir = temp_dir();
    let token = expand(GITHUB, 2);
    write(dir.path(), "a.txt", format!("{token}\n"));
    let out = guard(dir.path()).args(["scan", "--no-redact", "a.txt"]).run();
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains(&token));
}

#[test]
fn json_and_jsonl_follow_the_finding_contract() {
    let dir = temp_dir();
    let token = expand(GITHUB, 3);
    let key = expand("AKIA{{base32:16}}", 3);
    write(dir.path(), "a.env.txt", format!("A={token}\nB={key}\n"));
    let out = guard(dir.path()).args(["scan", "--format", "json", "a.env.txt"]).run();
    assert_eq!(code(&out), 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["schema_version"], 1);
    let findings = doc["findings"].as_array().expect("findings array");
    assert_eq!(findings.len(), 2);
    let first = &findings[0];
    for field in [
        "rule_id",
        "description",
        "path",
        "line",
        "column",
        "end_line",
        "secret",
        "fingerprint",
        "entropy",
        "source",
    ] {
        assert!(first.get(field).is_some(), "missing {field} in {first}");
    }
    assert_eq!(first["rule_id"], "github-pat-classic");
    assert_eq!(first["path"], "a.env.txt");
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 3);
    assert_eq!(first["source"], "file");
    assert!(!stdout(&out).contains(&token) && !stdout(&out).contains(&key), "JSON must be redacted");

    let lines = guard(dir.path()).args(["scan", "--format", "jsonl", "a.env.txt"]).run();
    assert_eq!(code(&lines), 1);
    let text = stdout(&lines);
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(record["fingerprint"].as_str().is_some_and(|f| f.len() == 32));
    }
}

#[test]
fn fingerprint_survives_moving_the_secret() {
    let dir = temp_dir();
    let token = expand(GITHUB, 4);
    write(dir.path(), "one.txt", format!("{token}\n"));
    write(dir.path(), "two.txt", format!("\n\n  moved: {token}\n"));
    let print = |file: &str| {
        let out = guard(dir.path()).args(["scan", "--format", "jsonl", file]).run();
        let record: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        record["fingerprint"].as_str().unwrap().to_string()
    };
    assert_eq!(print("one.txt"), print("two.txt"));
}

#[cfg(unix)]
#[test]
fn report_file_is_private_and_stdout_stays_empty() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    write(dir.path(), "a.txt", format!("{}\n", expand(GITHUB, 5)));
    let report = dir.path().join("report.json");
    std::fs::write(&report, "old").unwrap();
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = guard(dir.path()).args(["scan", "--format", "json", "--output", "report.json", "a.txt"]).run();
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn standard_input_is_scanned() {
    let dir = temp_dir();
    let text = format!("please debug: OPENAI_API_KEY=sk-proj-{}\n", expand("{{base64url:80}}", 6));
    let out = guard(dir.path()).args(["scan", "-"]).run_with_input(text.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("<stdin>:1:"), "{}", stdout(&out));
    let clean = guard(dir.path()).args(["scan", "-", "--quiet"]).run_with_input(b"just a question\n");
    assert_eq!(code(&clean), 0);
    assert!(clean.stdout.is_empty());
}

#[test]
fn closed_stdout_pipe_is_not_an_error() {
    let dir = temp_dir();
    let lines: String = (0..3000).map(|i| format!("k{i} = {}\n", expand(GITHUB, i))).collect();
    write(dir.path(), "many.txt", lines);
    let mut child = guard(dir.path()).args(["scan", "many.txt"]).start();
    let mut stdout = child.stdout();
    // Read in a thread, so that a guard that never writes times out in
    // `finish` (which kills it, ending this read) instead of hanging here.
    let reader = std::thread::spawn(move || stdout.read_exact(&mut [0u8; 16]));
    let out = child.finish();
    reader.join().unwrap().expect("guard wrote the start of its report");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = crate::common::git(dir).args(args).run();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn gitignore_is_honoured_unless_no_ignore_and_dotfiles_are_scanned() {
    let dir = temp_dir();
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), ".gitignore", ".env\nbuild/\n");
    write(dir.path(), ".env", "DEBUG=1\n");
    write(dir.path(), "build/out.txt", format!("{}\n", expand(GITHUB, 7)));
    write(dir.path(), ".hidden/settings.yml", format!("token: {}\n", expand(GITHUB, 8)));
    let out = guard(dir.path()).args(["scan", "--format", "jsonl"]).run();
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains(".hidden/settings.yml"), "{text}");
    assert!(!text.contains("build/out.txt") && !text.contains("file-dotenv"), "{text}");

    let all = guard(dir.path()).args(["scan", "--no-ignore", "--format", "jsonl"]).run();
    let text = stdout(&all);
    assert!(text.contains("build/out.txt") && text.contains("file-dotenv"), "{text}");
    assert!(!text.contains(".git/"), "{text}");
}

#[test]
fn path_policy_names_secret_files_but_not_source_code() {
    let dir = temp_dir();
    for name in [
        "certs/server.pem",
        "id_ed25519",
        "config/credentials.json",
        ".aws/credentials",
        "infra/terraform.tfstate",
    ] {
        write(dir.path(), name, "placeholder content\n");
    }
    for name in ["src/credentials.rs", "src/CredentialsProvider.java", ".env.example", "id_ed25519.pub"] {
        write(dir.path(), name, "fine\n");
    }
    let out = guard(dir.path()).args(["scan", "--format", "jsonl", "."]).run();
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 5, "{text}");
    for rule in ["file-private-key", "file-ssh-key", "file-credentials", "file-terraform-state"] {
        assert!(text.contains(rule), "{rule} missing in {text}");
    }
}

#[test]
fn guard_toml_allowlists_disables_and_custom_rules() {
    let dir = temp_dir();
    let custom_token = expand("acme_{{hex:32}}", 9);
    write(
        dir.path(),
        "guard.toml",
        r#"
[rules]
disable = ["aws-access-key-id"]

[allow]
paths = ["tests/fixtures/**"]
stopwords = ["notreal"]

[path_policy]
deny = ["*.secret.yaml"]
allow = ["dev.pem"]

[[rule]]
id = "acme-token"
description = "ACME internal token"
keywords = ["acme_"]
regex = '''\b(acme_[0-9a-f]{32})\b'''
examples = ["key = acme_{{hex:32}}"]
negative_examples = ["key = acme_{{hex:8}}"]
"#,
    );
    write(dir.path(), "src/a.txt", format!("{}\n{}\n", expand("AKIA{{base32:16}}", 9), custom_token));
    write(dir.path(), "tests/fixtures/b.txt", format!("{}\n", expand(GITHUB, 9)));
    write(dir.path(), "src/c.txt", format!("x = ghp_notreal{}\n", expand("{{alnum:29}}", 9)));
    write(dir.path(), "k8s/db.secret.yaml", "kind: Secret\n");
    write(dir.path(), "dev.pem", "not a key\n");
    git(dir.path(), &["init", "-q"]);
    let rules_found = |out: &std::process::Output| -> Vec<String> {
        stdout(out)
            .lines()
            .filter_map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["rule_id"].as_str().map(str::to_string)
            })
            .collect()
    };
    // Detection applies at once; acceptance only once committed.
    let out = guard(dir.path()).args(["scan", "--format", "jsonl"]).run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let all = ["file-private-key", "file-custom", "aws-access-key-id", "acme-token", "github-pat-classic"];
    assert_eq!(rules_found(&out), all);
    assert!(!stderr(&out).contains("accepted"), "{}", stderr(&out));
    git(dir.path(), &["add", "guard.toml"]);
    git(
        dir.path(),
        &["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "guard: policy", "--no-verify"],
    );
    let out = guard(dir.path()).args(["scan", "--format", "jsonl"]).run();
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    assert_eq!(rules_found(&out), ["file-custom", "acme-token"], "{text}");
    let said = stderr(&out);
    assert!(said.contains("guard: 3 findings accepted: "), "{said}");
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["accepted"].as_object().map(|by| by.values().count()), Some(3), "{text}");
    for by in
        ["1 by [allow] paths in guard.toml at HEAD", "1 by [path_policy] allow in", "1 by [rules] disable in"]
    {
        assert!(said.contains(by), "{by}: {said}");
    }

    let check = guard(dir.path()).args(["rules", "check"]).run();
    assert_eq!(code(&check), 0, "{}", stdout(&check));
    assert!(stdout(&check).contains(" passed, 0 failed"));
    let list = guard(dir.path()).args(["rules", "list"]).run();
    let listed = stdout(&list);
    let aws = listed.lines().find(|l| l.starts_with("aws-access-key-id ")).unwrap_or_default();
    assert!(listed.contains("acme-token") && aws.contains("[disabled by guard.toml at HEAD ("), "{listed}");
}

#[test]
fn rules_check_fails_a_rule_whose_example_does_not_match() {
    let dir = temp_dir();
    write(
        dir.path(),
        "rules.toml",
        "[[rule]]\nid = \"broken\"\ndescription = \"d\"\nkeywords = [\"zz_\"]\nregex = 'zz_[0-9]{40}'\nexamples = [\"zz_{{digits:10}}\"]\n",
    );
    let out = guard(dir.path()).args(["rules", "check", "--config", "rules.toml"]).run();
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("FAIL broken: example not found"), "{}", stdout(&out));
}

#[test]
fn config_errors_name_file_line_and_rule_and_exit_2() {
    let dir = temp_dir();
    let cases = [
        ("[allow]\npaths = [\"a\"]\nunknown_key = 1\n", "guard.toml:3"),
        (
            "[[rule]]\nid = \"mine\"\ndescription = \"d\"\nregex = \"([a-z\"\n",
            "guard.toml:1: rule \"mine\": invalid regex",
        ),
        ("[rules]\ndisable = [\"no-such-rule\"]\n", "no-such-rule"),
        ("[scan]\nmax_file_size = \"huge\"\n", "guard.toml:2"),
        ("this is = = not toml\n", "guard.toml:1"),
        (
            "[[rule]]\nid = \"globbed\"\ndescription = \"d\"\nregex = \"k=[0-9]+\"\nkeywords = [\"k=\"]\npaths = [\"{bad\"]\n",
            "guard.toml:1: rule \"globbed\": paths: invalid glob",
        ),
        (
            "[[rule]]\nid = \"excluded\"\ndescription = \"d\"\nregex = \"k=[0-9]+\"\nkeywords = [\"k=\"]\npaths = [\"!{bad\"]\n",
            "guard.toml:1: rule \"excluded\": paths: invalid glob",
        ),
        (
            "[[rule]]\nid = \"templated\"\ndescription = \"d\"\nregex = \"k=[0-9]+\"\nkeywords = [\"k=\"]\nexamples = [\"{{nope}}\"]\n",
            "guard.toml:1: rule \"templated\": example 1",
        ),
    ];
    for (text, expected) in cases {
        write(dir.path(), "guard.toml", text);
        let out = guard(dir.path()).args(["scan", "--config", "guard.toml", "guard.toml"]).run();
        assert_eq!(code(&out), 2, "{text}");
        assert!(stderr(&out).contains(expected), "expected {expected:?} in {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

#[test]
fn a_config_error_never_echoes_a_secret() {
    let dir = temp_dir();
    let token = expand(GITHUB, 10);
    write(dir.path(), "guard.toml", format!("[allow]\nstopwords = [\"a\"]\ntypo = \"{token}\"\n"));
    let out = guard(dir.path()).args(["scan", "--config", "guard.toml", "."]).run();
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains(&token), "{}", stderr(&out));
}

#[test]
fn the_project_passes_its_own_scan() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = guard(root).args(["scan", "--format", "jsonl", "."]).env("HOME", std::env::temp_dir()).run();
    assert_eq!(code(&out), 0, "guard finds secrets in its own tree:\n{}{}", stdout(&out), stderr(&out));
}

/// Commands that tell their user what they did: with standard output
/// closed before they write (`guard status | head -0`), none panics and
/// none fails for it.
#[test]
fn a_closed_stdout_never_makes_a_command_panic() {
    let repo = crate::common::TempRepo::new();
    repo.write("a.txt", format!("k = {}\n", expand(GITHUB, 3)));
    repo.commit_all("one");
    let commands: &[&[&str]] = &[
        &["status"],
        &["install"],
        &["status"],
        &["uninstall"],
        &["install", "--claude"],
        &["uninstall", "--claude"],
        &["baseline"],
        &["rules", "list"],
    ];
    for args in commands {
        let mut child = repo.guard().args(*args).start();
        drop(child.stdout());
        let out = child.finish();
        assert!(!stderr(&out).contains("panicked"), "guard {args:?}: {}", stderr(&out));
        assert!(matches!(code(&out), 0 | 1), "guard {args:?} exited {}: {}", code(&out), stderr(&out));
    }
}
