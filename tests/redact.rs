//! `guard redact`: standard input to standard output with secrets masked,
//! PEM blocks whole, other bytes untouched, `--check` exit codes.

use crate::common::{Run, code, expand, guard, stdout, temp_dir};

#[test]
fn secrets_are_masked_and_everything_else_passes_through() {
    let dir = temp_dir();
    let token = expand("{{base62_crc:ghp_}}", 11);
    let mut input = b"start \xff\xfe not utf-8\n".to_vec();
    input.extend_from_slice(format!("export GITHUB_TOKEN={token}\nplain line\nno newline at end").as_bytes());
    let out = guard(dir.path()).arg("redact").run_with_input(&input);
    assert_eq!(code(&out), 0);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains(&token), "{shown}");
    let expected_mask = format!("{}…({} chars)", &token[..8], token.len());
    let mut expected = b"start \xff\xfe not utf-8\n".to_vec();
    expected.extend_from_slice(
        format!("export GITHUB_TOKEN={expected_mask}\nplain line\nno newline at end").as_bytes(),
    );
    assert_eq!(out.stdout, expected, "{shown}");
}

#[test]
fn a_pem_block_is_masked_whole() {
    let dir = temp_dir();
    let pem = expand("-----BEGIN RSA PRIVATE KEY-----\n{{pem_body:12}}\n-----END RSA PRIVATE KEY-----\n", 12);
    let body_line = pem.lines().nth(3).unwrap().to_string();
    let input = format!("before\n{pem}after\n");
    let out = guard(dir.path()).arg("redact").run_with_input(input.as_bytes());
    let shown = stdout(&out);
    assert_eq!(code(&out), 0);
    assert!(!shown.contains(&body_line), "{shown}");
    assert!(shown.starts_with("before\n-----BEGIN RSA PRIVATE KEY-----\n"), "{shown}");
    assert!(shown.ends_with("chars)\n-----END RSA PRIVATE KEY-----\nafter\n"), "{shown}");
}

/// A secret decoded from base64 (a Docker auth) is masked as written: the
/// base64 text, not only the password it decodes to.
#[test]
fn an_encoded_docker_auth_is_masked_as_written() {
    let dir = temp_dir();
    let auth = expand("{{base64_of:ci:(base62_crc:ghp_)}}", 13);
    let input = format!("{{\"auths\": {{\"registry.acme-corp.io\": {{\"auth\": \"{auth}\"}}}}}}\n");
    let out = guard(dir.path()).args(["redact", "--check"]).run_with_input(input.as_bytes());
    assert_eq!(code(&out), 1);
    let shown = stdout(&out);
    assert!(!shown.contains(&auth), "{shown}");
    assert!(shown.contains(&format!("{}…({} chars)", &auth[..4], auth.len())), "{shown}");
}

#[test]
fn check_exits_1_only_when_something_was_masked() {
    let dir = temp_dir();
    let clean = guard(dir.path()).args(["redact", "--check"]).run_with_input(b"nothing here\n");
    assert_eq!((code(&clean), stdout(&clean).as_str()), (0, "nothing here\n"));
    let token = expand("{{base62_crc:ghp_}}", 13);
    let dirty = guard(dir.path()).args(["redact", "--check"]).run_with_input(token.as_bytes());
    assert_eq!(code(&dirty), 1);
    assert!(!stdout(&dirty).contains(&token));
    let without_check = guard(dir.path()).arg("redact").run_with_input(token.as_bytes());
    assert_eq!(code(&without_check), 0);
}

#[test]
fn each_line_is_written_before_more_input_comes() {
    use std::io::{BufRead, Write};
    let dir = temp_dir();
    let token = expand("{{base62_crc:ghp_}}", 14);
    let mut child = guard(dir.path()).arg("redact").start();
    let mut stdin = child.stdin();
    let stdout = child.stdout();
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).unwrap();
        sender.send(line).unwrap();
    });
    stdin.write_all(format!("live {token}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let line = receiver
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the line came while input stays open");
    assert!(line.starts_with("live ghp_") && line.ends_with("chars)\n") && !line.contains(&token), "{line}");
    drop(stdin);
    reader.join().unwrap();
    let out = child.finish();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// What `grep --color=always` prints: a token right after a colour code,
/// and one split by colour codes where the pattern matched part of it.
#[test]
fn colour_escapes_do_not_hide_a_token() {
    let dir = temp_dir();
    let token = expand("{{base62_crc:ghp_}}", 14);
    let (head, tail) = token.split_at(12);
    let input = format!(
        "config.sh:\x1b[01;31m\x1b[K{token}\x1b[m\x1b[K\nconfig.sh:export T={head}\x1b[01;31m{tail}\x1b[m\n"
    );
    let out = guard(dir.path()).args(["redact", "--check"]).run_with_input(input.as_bytes());
    assert_eq!(code(&out), 1);
    let shown = stdout(&out);
    assert!(!shown.contains(&token) && !shown.contains(tail), "{shown:?}");
    assert_eq!(shown.matches(&format!("…({} chars)", token.len())).count(), 2, "{shown:?}");

    let scan = guard(dir.path()).args(["scan", "-", "--format", "jsonl"]).run_with_input(input.as_bytes());
    assert_eq!(code(&scan), 1);
    let lines = stdout(&scan);
    assert_eq!(lines.lines().count(), 2, "{lines}");
    assert!(!lines.contains(&token), "{lines}");
}

/// `head -4 id_ed25519 | guard redact`: no END line, still masked.
#[test]
fn a_pem_block_without_an_end_line_is_masked() {
    let dir = temp_dir();
    let pem = expand("-----BEGIN OPENSSH PRIVATE KEY-----\n{{pem_body:3}}\n", 15);
    let out = guard(dir.path()).arg("redact").run_with_input(pem.as_bytes());
    let shown = stdout(&out);
    assert!(pem.lines().skip(1).all(|line| !shown.contains(line)), "{shown}");
    let scan = guard(dir.path()).args(["scan", "-"]).run_with_input(pem.as_bytes());
    assert_eq!(code(&scan), 1, "{}", stdout(&scan));
}
