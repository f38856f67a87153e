//! `guard scan-transcripts` on generated transcripts in a temporary home,
//! in the shapes Claude Code, Codex and Gemini CLI write: each secret once
//! per session, redacted, with assistant, project, session and date; the
//! files left as they were.

use serde_json::{Value, json};

use crate::common::{Run, code, expand, guard_with_home, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

#[test]
fn secrets_in_each_assistants_transcripts_are_listed_for_rotation() {
    let home = temp_dir();
    let project = temp_dir();
    let claude_token = expand(GITHUB, 41);
    let codex_token = expand(GITHUB, 42);
    let gemini_token = expand(GITHUB, 43);
    let claude = [
        json!({"type": "summary", "summary": "debugging"}),
        json!({"type": "user", "sessionId": "5b1c", "cwd": "/home/ada/shop", "timestamp": "2026-11-30T10:02:11.000Z",
               "message": {"role": "user", "content": format!("why is {claude_token} rejected?")}}),
        json!({"type": "assistant", "sessionId": "5b1c", "cwd": "/home/ada/shop", "timestamp": "2026-11-30T10:02:15.000Z",
               "message": {"role": "assistant", "content": [{"type": "text", "text": format!("The token {claude_token} is expired.")}]}}),
    ];
    let claude_text: String = claude.iter().map(|r| format!("{r}\n")).collect();
    let claude_file = write(home.path(), ".claude/projects/-home-ada-shop/5b1c.jsonl", &claude_text);
    let codex = [
        json!({"timestamp": "2026-11-29T08:00:00Z", "type": "session_meta", "payload": {"id": "c0d3", "cwd": "/home/ada/api"}}),
        json!({"timestamp": "2026-11-29T08:01:00Z", "type": "response_item",
               "payload": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": format!("export GH={codex_token}")}]}}),
    ];
    let codex_text: String = codex.iter().map(|r| format!("{r}\n")).collect();
    write(home.path(), ".codex/sessions/2026/11/29/rollout-2026-11-29T08-00-00-c0d3.jsonl", &codex_text);
    let gemini = json!({"sessionId": "ge01", "projectHash": "ab12", "startTime": "2026-11-28T09:00:00Z",
        "messages": [{"id": "m1", "timestamp": "2026-11-28T09:00:05Z", "type": "user", "content": format!("use {gemini_token}")}]});
    write(home.path(), ".gemini/tmp/ab12/chats/session-2026-11-28-ge01.json", gemini.to_string());
    write(
        home.path(),
        ".claude/projects/-home-ada-blog/clean.jsonl",
        "{\"type\":\"user\",\"message\":{\"content\":\"hello there\"}}\n",
    );

    let out =
        guard_with_home(project.path(), home.path()).args(["scan-transcripts", "--format", "json"]).run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    for token in [&claude_token, &codex_token, &gemini_token] {
        assert!(!text.contains(token.as_str()), "{text}");
    }
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["transcripts"], 4);
    let findings = document["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{findings:?}");
    let by = |assistant: &str| {
        findings
            .iter()
            .find(|f| f["assistant"] == assistant)
            .unwrap_or_else(|| panic!("{assistant}: {findings:?}"))
    };
    let claude = by("Claude Code");
    assert_eq!(
        (claude["session"].as_str(), claude["project"].as_str()),
        (Some("5b1c"), Some("/home/ada/shop"))
    );
    assert_eq!(
        (claude["date"].as_str(), claude["line"].as_u64(), claude["repeats"].as_u64()),
        (Some("2026-11-30T10:02:11.000Z"), Some(2), Some(1))
    );
    assert_eq!(claude["rule_id"], "github-pat-classic");
    assert!(claude["rotate"].as_str().unwrap().contains("github.com"), "{claude}");
    let codex = by("Codex");
    assert_eq!(
        (codex["session"].as_str(), codex["project"].as_str(), codex["date"].as_str()),
        (Some("c0d3"), Some("/home/ada/api"), Some("2026-11-29T08:01:00Z"))
    );
    let gemini = by("Gemini CLI");
    assert_eq!(
        (gemini["session"].as_str(), gemini["date"].as_str()),
        (Some("ge01"), Some("2026-11-28T09:00:05Z"))
    );

    let human = guard_with_home(project.path(), home.path()).arg("scan-transcripts").run();
    let text = stdout(&human);
    assert!(
        text.contains("3 secret(s) in 4 transcript file(s)")
            && text.contains("Claude Code, project /home/ada/shop, session 5b1c, 2026-11-30T10:02:11.000Z"),
        "{text}"
    );
    assert!(!text.contains(&claude_token));
    assert_eq!(std::fs::read_to_string(&claude_file).unwrap(), claude_text, "read only");
}

#[test]
fn named_transcripts_and_a_clean_home() {
    let home = temp_dir();
    let out = guard_with_home(home.path(), home.path()).arg("scan-transcripts").run();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("no secret in 0 transcript file(s)"), "{}", stdout(&out));
    let token = expand(GITHUB, 44);
    let notes =
        write(home.path(), "exports/.aider.chat.history.md", format!("# aider chat\n> use {token}\n"));
    let out = guard_with_home(home.path(), home.path())
        .args(["scan-transcripts", "--format", "jsonl"])
        .arg(notes.parent().unwrap())
        .run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let record: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!((record["line"].as_u64(), record["assistant"].as_str()), (Some(2), Some("transcript")));
}
