//! UTF-16 text, little- and big-endian, with and without a byte order
//! mark, in every source: files and standard input (`guard scan`), the
//! staged changes (pre-commit, `scan --staged`), pushed commits
//! (pre-push) and `scan-history`. Findings carry the decoded text's line
//! and column and a redacted secret; only the lines a change adds count;
//! a real binary stays binary.

use crate::common::{Run, TempRepo, code, expand, stderr, stdout};

const GITHUB: &str = "{{base62_crc:ghp_}}";

/// The four ways of writing UTF-16, by name.
const ENCODINGS: [&str; 4] = ["le", "be", "le-bom", "be-bom"];

/// `text` encoded as `encoding` (one of [`ENCODINGS`]).
fn encode(text: &str, encoding: &str) -> Vec<u8> {
    let units = text.encode_utf16();
    let mut out: Vec<u8> = match encoding {
        "le-bom" => vec![0xFF, 0xFE],
        "be-bom" => vec![0xFE, 0xFF],
        _ => Vec::new(),
    };
    if encoding.starts_with("le") {
        out.extend(units.flat_map(u16::to_le_bytes));
    } else {
        out.extend(units.flat_map(u16::to_be_bytes));
    }
    out
}

/// Three lines of text, the token on the third after non-ASCII text: its
/// column (16) counts the decoded text's bytes.
fn notes(token: &str) -> String {
    format!("naïve ünïcode\r\nsecond line\r\n日本 token = {token}\r\nlast\r\n")
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("JSON: {}", stdout(output)))
}

/// The `(path, line, column)` of every finding of a JSON report, sorted.
fn places(report: &serde_json::Value) -> Vec<(String, u64, u64)> {
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn utf16_files_and_standard_input_are_scanned_with_their_lines_and_columns() {
    let repo = TempRepo::new();
    let mut tokens = Vec::new();
    for (seed, encoding) in ENCODINGS.iter().enumerate() {
        let token = expand(GITHUB, 40 + seed as u64);
        repo.write(&format!("{encoding}.txt"), encode(&notes(&token), encoding));
        tokens.push(token);
    }
    // A real binary (a PNG header, then many NUL bytes) holding a token.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend(vec![0u8; 600]);
    png.extend(format!("token = {}\n", expand(GITHUB, 49)).as_bytes());
    repo.write("image.png", png);

    let out = repo.guard().args(["scan", "--format", "json", "."]).run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    let expected: Vec<_> = ["be-bom.txt", "be.txt", "le-bom.txt", "le.txt"]
        .iter()
        .map(|path| (path.to_string(), 3, 16))
        .collect();
    assert_eq!(places(&report), expected, "the binary stays binary");
    for finding in report["findings"].as_array().unwrap() {
        let shown = finding["secret"].as_str().unwrap();
        assert!(shown.starts_with("ghp_") && shown.contains("(40 chars)"), "redacted: {shown}");
        assert!(tokens.iter().all(|t| !stdout(&out).contains(t.as_str())));
    }

    for (seed, encoding) in ENCODINGS.iter().enumerate() {
        let token = expand(GITHUB, 50 + seed as u64);
        let out = repo
            .guard()
            .args(["scan", "--format", "json", "-"])
            .run_with_input(&encode(&notes(&token), encoding));
        assert_eq!(code(&out), 1, "{encoding}: {}", stderr(&out));
        assert_eq!(places(&json(&out)), vec![(String::new(), 3, 16)], "{encoding}");
        assert!(!stdout(&out).contains(&token));
    }
}

fn installed() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("first");
    assert_eq!(code(&repo.guard().arg("install").run()), 0);
    repo
}

/// A UTF-16 file with the `old` token on line 2 (committed past the hook),
/// then two lines appended and staged: line 5 holds the `added` token.
fn stage_utf16_change(repo: &TempRepo, path: &str, encoding: &str, old: &str, added: &str) {
    let before = format!("first\nold = {old}\nthird\n");
    repo.write(path, encode(&before, encoding));
    repo.git(&["add", path]);
    repo.commit(&["-q", "--no-verify", "-m", "notes"]);
    repo.write(path, encode(&format!("{before}fourth\n日本 token = {added}\n"), encoding));
    repo.git(&["add", path]);
}

#[test]
fn a_secret_added_to_a_staged_utf16_file_blocks_on_its_line_and_an_old_one_does_not() {
    let repo = installed();
    for (seed, encoding) in ENCODINGS.iter().enumerate() {
        let path = format!("notes-{encoding}.txt");
        let (old, added) = (expand(GITHUB, 60 + seed as u64), expand(GITHUB, 70 + seed as u64));
        stage_utf16_change(&repo, &path, encoding, &old, &added);
        let scan = repo.guard().args(["scan", "--staged", "--format", "json"]).run();
        assert_eq!(code(&scan), 1, "{encoding}: {}", stderr(&scan));
        assert_eq!(places(&json(&scan)), vec![(path.clone(), 5, 16)], "{encoding}: only the added line");
        let out = repo.command(&["commit", "-q", "-m", "more notes"]).run();
        assert_ne!(code(&out), 0, "{encoding}: blocked");
        assert!(stderr(&out).contains(&format!("{path}:5:16: github-pat-classic")), "{}", stderr(&out));
        assert!(!stderr(&out).contains(&added));
        // A clean line added below the old secret passes.
        repo.write(&path, encode(&format!("first\nold = {old}\nthird\nfourth\n"), encoding));
        repo.git(&["add", &path]);
        let out = repo.command(&["commit", "-q", "-m", "clean notes"]).run();
        assert_eq!(code(&out), 0, "{encoding}: the old secret is not on an added line: {}", stderr(&out));
    }
}

#[test]
fn a_pushed_utf16_change_blocks_on_its_line_and_history_finds_every_one() {
    let remote = crate::common::temp_dir();
    let repo = installed();
    repo.git(&["init", "-q", "--bare", remote.path().to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    let mut expected = Vec::new();
    for (seed, encoding) in ENCODINGS.iter().enumerate() {
        let path = format!("notes-{encoding}.txt");
        let (old, added) = (expand(GITHUB, 80 + seed as u64), expand(GITHUB, 90 + seed as u64));
        stage_utf16_change(&repo, &path, encoding, &old, &added);
        repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
        repo.commit(&["-q", "--no-verify", "-m", "more notes"]);
        let out = repo.command(&["push", "-q", "origin", "main"]).run();
        assert_ne!(code(&out), 0, "{encoding}: the push is blocked");
        let err = stderr(&out);
        assert!(err.contains(&format!("{path}:5:16: github-pat-classic")), "{encoding}: {err}");
        assert!(!err.contains(&format!("{path}:2:")), "{encoding}: the old secret was pushed before: {err}");
        repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
        expected.push((path.clone(), 2, 7));
        expected.push((path, 5, 16));
    }
    let out = repo.guard().args(["scan-history", "--format", "json"]).run();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    expected.sort();
    assert_eq!(places(&json(&out)), expected);
}
