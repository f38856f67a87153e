//! `guard audit`: the pass/fail table and its exit code, the JSON form,
//! each control judged in its own pattern language, and `--fix` keeping
//! every byte already there, idempotent, after which the audit passes.

use serde_json::Value;

use crate::common::{Run, TempRepo, code, expand, stderr, stdout};

/// Runs `guard audit ARGS --format json`; returns (exit, status by check).
fn audit(repo: &TempRepo, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let out = repo.guard().arg("audit").args(args).args(["--format", "json"]).run();
    let document: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}{}", stdout(&out), stderr(&out)));
    let rows = document["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap().to_string();
            (field("check"), field("status"), field("detail"))
        })
        .collect();
    (code(&out), rows)
}

fn status<'a>(rows: &'a [(String, String, String)], check: &str) -> (&'a str, &'a str) {
    rows.iter()
        .find(|(c, _, _)| c == check)
        .map(|(_, s, d)| (s.as_str(), d.as_str()))
        .unwrap_or_else(|| panic!("no row {check}: {rows:?}"))
}

#[test]
fn a_bare_repository_fails_on_hooks_and_tracked_secret_files() {
    let repo = TempRepo::new();
    repo.write(".env", "DEBUG=1\n");
    repo.write("src/lib.rs", "\n");
    repo.commit_all("init");
    let (exit, rows) = audit(&repo, &[]);
    assert_eq!(exit, 1);
    assert_eq!(status(&rows, "git hooks").0, "fail");
    assert_eq!(
        status(&rows, "tracked secret files"),
        ("fail", ".env (git rm --cached each, add it to .gitignore, and rotate what it held)")
    );
    assert_eq!(status(&rows, "assistants").0, "warn");
    let out = repo.guard().args(["install"]).run();
    assert_eq!(code(&out), 0);
    repo.git(&["rm", "-q", "--cached", ".env"]);
    let (exit, rows) = audit(&repo, &[]);
    assert_eq!(exit, 0, "{rows:?}");
    assert_eq!(status(&rows, "git hooks").0, "pass");
    let (_, rows) = audit(&repo, &["--ci"]);
    assert_eq!(status(&rows, "git hooks").0, "skip");
    let human = repo.guard().args(["audit", "--ci"]).run();
    assert!(stdout(&human).contains("SKIP  git hooks"), "{}", stdout(&human));
}

#[test]
fn each_control_is_judged_in_its_own_language_and_unenforced_ones_say_so() {
    let repo = TempRepo::new();
    repo.write(".cursorignore", "/.env\n.env.*\n*.pem\n*.key\n");
    repo.write(".cursorindexingignore", ".env\n");
    repo.write(".claudeignore", ".env\n");
    repo.write(
        ".claude/settings.json",
        "{\n  \"permissions\": {\n    \"deny\": [\"Read(/.env)\", \"Read(./secrets/**)\"]\n  }\n}\n",
    );
    repo.write(".zed/settings.json", "{\n  // ours\n  \"private_files\": [\"**/.env*\", \"*.pem\",],\n}\n");
    repo.write(
        "opencode.json",
        "{\"permission\": {\"read\": {\"*.env\": \"deny\", \"*.env.*\": \"deny\"}}}\n",
    );
    let (exit, rows) = audit(&repo, &["--ci"]);
    assert_eq!(exit, 1);
    let (cursor, detail) = status(&rows, "Cursor");
    assert_eq!(cursor, "fail");
    assert!(detail.starts_with("can still read .env, ") && !detail.contains(".env.*"), "{detail}");
    let (indexing, detail) = status(&rows, ".cursorindexingignore");
    assert!(indexing == "warn" && detail.contains("only leaves what it names out of indexing"), "{detail}");
    let (claude_ignore, detail) = status(&rows, ".claudeignore");
    assert_eq!(claude_ignore, "warn");
    assert!(detail.contains("does not enforce this file") && detail.contains("permissions.deny"), "{detail}");
    let (deny, detail) = status(&rows, "Claude Code");
    assert_eq!(deny, "fail");
    assert!(detail.contains("can still read .env, .env.*"), "nested .env is readable: {detail}");
    assert!(detail.contains("Read(./…) rules cover the root only when Claude Code starts there"), "{detail}");
    assert_eq!(status(&rows, "Claude Code hooks").0, "warn");
    let (zed, detail) = status(&rows, "Zed");
    assert!(
        zed == "fail" && detail.contains("*.pem, *.key") && !detail.contains(".env"),
        "Zed's *.pem is the root's: {detail}"
    );
    let (opencode, detail) = status(&rows, "opencode");
    assert!(opencode == "fail" && !detail.contains(".env,") && detail.contains("*.pem"), "{detail}");
    assert_eq!(status(&rows, ".claude/settings.json").0, "pass");
}

#[test]
fn fix_appends_keeps_every_byte_is_idempotent_and_then_the_audit_passes() {
    let repo = TempRepo::new();
    let cursor = "# mine\nnode_modules/\n/.env"; // no final newline
    let settings = "{\n    \"model\": \"opus\",\n    \"permissions\": {\"deny\": [\"Read(./.env)\"], \"allow\": []}\n}\n";
    repo.write(".cursorignore", cursor);
    repo.write(".aiexclude", "");
    repo.write(".claudeignore", "*.key\n");
    repo.write(".claude/settings.json", settings);
    repo.write("guard.toml", "[audit]\nsensitive = [\"*.secret.yaml\"]\n");
    let out = repo.guard().args(["audit", "--ci", "--fix"]).run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let read = |f: &str| std::fs::read_to_string(repo.path().join(f)).unwrap();
    let fixed_cursor = read(".cursorignore");
    assert!(fixed_cursor.starts_with(&format!("{cursor}\n# Files that hold secrets")), "{fixed_cursor}");
    assert!(fixed_cursor.ends_with("secrets/\n*.secret.yaml\n"), "{fixed_cursor}");
    let fixed_settings = read(".claude/settings.json");
    assert!(
        fixed_settings.starts_with("{\n    \"model\": \"opus\",\n    \"permissions\": {\"deny\": [\"Read(./.env)\", \"Read(/**/.env)\""),
        "{fixed_settings}"
    );
    assert!(
        fixed_settings.ends_with("\"Read(/**/*.secret.yaml)\"], \"allow\": []}\n}\n"),
        "{fixed_settings}"
    );
    let fixed_claudeignore = read(".claudeignore");
    assert!(
        fixed_claudeignore.starts_with("*.key\n# Files that hold secrets")
            && fixed_claudeignore.contains("\n.env\n")
    );
    let fixed_aiexclude = read(".aiexclude");
    let again = repo.guard().args(["audit", "--ci", "--fix"]).run();
    assert_eq!(code(&again), 0);
    assert_eq!(
        (read(".cursorignore"), read(".aiexclude"), read(".claude/settings.json"), read(".claudeignore")),
        (fixed_cursor, fixed_aiexclude, fixed_settings, fixed_claudeignore),
        "a second fix changes nothing"
    );
    let (exit, rows) = audit(&repo, &["--ci"]);
    assert_eq!(exit, 0, "{rows:?}");
    let (claude_ignore, detail) = status(&rows, ".claudeignore");
    assert!(claude_ignore == "warn" && !detail.contains("leaves out"), "{detail}");
}

#[test]
fn fix_creates_the_control_of_each_assistant_present() {
    let repo = TempRepo::new();
    repo.write("CLAUDE.md", "# notes\n");
    repo.write(".cursor/rules/style.mdc", "be nice\n");
    repo.write(".github/copilot-instructions.md", "be nice\n");
    let (exit, rows) = audit(&repo, &["--ci"]);
    assert_eq!((exit, status(&rows, "Claude Code").0, status(&rows, "Cursor").0), (1, "fail", "fail"));
    let (copilot, detail) = status(&rows, "GitHub Copilot");
    assert!(
        copilot == "warn" && detail.contains("content exclusion does not apply in agent mode"),
        "{detail}"
    );
    let out = repo.guard().args(["audit", "--ci", "--fix"]).run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let created = std::fs::read_to_string(repo.path().join(".claude/settings.json")).unwrap();
    assert!(
        created.starts_with("{\n  \"permissions\": {\n    \"deny\": [\n      \"Read(/**/.env)\",\n"),
        "{created}"
    );
    assert!(std::fs::read_to_string(repo.path().join(".cursorignore")).unwrap().contains("\n.env\n"));
}

#[test]
fn the_users_claude_settings_count_and_guards_hooks_are_checked() {
    let home = crate::common::temp_dir();
    let repo = TempRepo::with_home(home.path());
    let out = repo.guard().args(["install", "--claude", "--global"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("no \"onFailure\": \"block\" written"), "{}", stderr(&out));
    crate::common::write(
        home.path(),
        ".claude/settings.json",
        std::fs::read_to_string(home.path().join(".claude/settings.json")).unwrap().replacen(
            '{',
            "{\"permissions\": {\"deny\": [\"Read(//**/.env)\", \"Read(//**/.env.*)\"]},",
            1,
        ),
    );
    let (_, rows) = audit(&repo, &["--ci"]);
    let (hooks, detail) = status(&rows, "Claude Code hooks");
    assert!(hooks == "warn" && detail.contains("onFailure") && detail.contains("not on PATH"), "{detail}");
    let (claude, detail) = status(&rows, "Claude Code");
    assert!(
        claude == "fail" && !detail.contains(".env,") && detail.contains("~/.claude/settings.json checked"),
        "{detail}"
    );
    // An older guard's entry is outdated.
    let settings = home.path().join(".claude/settings.json");
    let old = std::fs::read_to_string(&settings).unwrap().replace(
        "Read|Write|Edit|MultiEdit|NotebookEdit|Grep|Glob|Bash|PowerShell|WebFetch|WebSearch|mcp__.*",
        "Read|Grep|Bash",
    );
    std::fs::write(&settings, old).unwrap();
    let (_, rows) = audit(&repo, &["--ci"]);
    let (hooks, detail) = status(&rows, "Claude Code hooks");
    assert!(hooks == "fail" && detail.contains("outdated"), "{detail}");
}

#[test]
fn settings_keys_claude_code_never_reads_are_named_and_fixed_with_the_real_ones() {
    let repo = TempRepo::new();
    let article = "{\n  \"allowedDirectories\": [\"./src\", \"../shared\"],\n  \"blockedPatterns\": [\"*.key\", \"credentials/\"],\n  \"allowedExtensions\": [\".ts\"],\n  \"encryptionRequired\": true,\n  \"auditLogging\": true\n}\n";
    repo.write(".claude/settings.json", article);
    let (_, rows) = audit(&repo, &["--ci"]);
    let (keys, detail) = status(&rows, "Claude Code settings");
    assert_eq!(keys, "warn");
    assert!(detail.contains("does not read allowedDirectories, blockedPatterns, allowedExtensions, encryptionRequired, auditLogging"), "{detail}");
    assert!(
        detail.contains("permissions.additionalDirectories") && detail.contains("permissions.deny"),
        "{detail}"
    );
    let out = repo.guard().args(["audit", "--ci", "--fix"]).run();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let fixed = std::fs::read_to_string(repo.path().join(".claude/settings.json")).unwrap();
    assert!(fixed.starts_with(article.trim_end_matches("}\n").trim_end()), "the user's keys stay: {fixed}");
    let value: Value = serde_json::from_str(&fixed).unwrap();
    let deny: Vec<&str> =
        value["permissions"]["deny"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(deny.contains(&"Read(/**/credentials/**)") && deny.contains(&"Read(/**/.env)"), "{deny:?}");
    assert_eq!(value["permissions"]["additionalDirectories"], serde_json::json!(["../shared"]));
}

#[test]
fn settings_files_must_parse_and_hold_no_secret() {
    let repo = TempRepo::new();
    let token = expand("{{base62_crc:ghp_}}", 31);
    repo.write(
        ".mcp.json",
        format!("{{\"servers\": {{\"gh\": {{\"env\": {{\"GITHUB_TOKEN\": \"{token}\"}}}}}}}}\n"),
    );
    repo.write(".cursor/mcp.json", "{ not json");
    let out = repo.guard().args(["audit", "--ci"]).run();
    assert!(!stdout(&out).contains(&token), "{}", stdout(&out));
    let (exit, rows) = audit(&repo, &["--ci"]);
    assert_eq!(exit, 1);
    let (mcp, detail) = status(&rows, ".mcp.json");
    assert!(mcp == "fail" && detail.contains("github-pat-classic") && !detail.contains(&token), "{detail}");
    assert!(status(&rows, ".cursor/mcp.json").1.starts_with("not valid JSON"));
}

#[test]
fn audit_outside_a_repository_is_an_error() {
    let dir = crate::common::temp_dir();
    let out = crate::common::guard(dir.path()).arg("audit").run();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("inside a git work tree"), "{}", stderr(&out));
}

#[test]
fn each_hosts_hooks_are_reported_installed_current_and_how_they_fail() {
    let repo = TempRepo::new();
    repo.write(".cursor/rules/style.mdc", "use tabs\n");
    repo.write(".codex/config.toml", "model = \"gpt-5\"\n");
    repo.write(".windsurf/rules/a.md", "be brief\n");
    let (_, rows) = audit(&repo, &["--ci"]);
    for check in ["Cursor hooks", "Codex hooks", "Windsurf hooks"] {
        let (state, detail) = status(&rows, check);
        assert_eq!(state, "warn", "{check}: {detail}");
        assert!(detail.contains("not installed"), "{detail}");
    }
    let out = repo.guard().args(["install", "--assistant", "cursor", "codex", "windsurf"]).run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (_, rows) = audit(&repo, &["--ci"]);
    assert_eq!(status(&rows, "Cursor hooks").0, "pass", "Cursor's failClosed makes a failed hook block");
    let (state, detail) = status(&rows, "Codex hooks");
    assert_eq!(state, "warn");
    assert!(detail.contains("cannot be made to block") && detail.contains("timeout"), "{detail}");
    // An entry edited by hand is not guard's any more.
    let file = repo.path().join(".cursor/hooks.json");
    let edited =
        std::fs::read_to_string(&file).unwrap().replace("\"failClosed\": true", "\"failClosed\": false");
    std::fs::write(&file, edited).unwrap();
    // Devin Desktop reads .devin/hooks.json instead once it has hooks.
    repo.write(".devin/hooks.json", "{\"hooks\": {\"pre_run_command\": [{\"command\": \"./log.sh\"}]}}\n");
    let (exit, rows) = audit(&repo, &["--ci"]);
    assert_eq!(exit, 1);
    assert_eq!(status(&rows, "Cursor hooks").0, "fail");
    let (state, detail) = status(&rows, "Windsurf hooks");
    assert_eq!(state, "fail");
    assert!(detail.contains(".devin/hooks.json"), "{detail}");
}
