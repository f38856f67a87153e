//! Ordinary hard inputs: binary files, late NUL bytes, non-UTF-8, CRLF,
//! 1 MB lines, odd file names, empty files and directories, size limits.

use crate::common::{Run, code, expand, guard, stderr, stdout, temp_dir, write};

const GITHUB: &str = "{{base62_crc:ghp_}}";

fn findings(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let out = guard(dir).args(["scan", "--format", "jsonl"]).args(args).run();
    let records = stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    (code(&out), records, stderr(&out))
}

#[test]
fn binary_files_get_no_content_rules_but_the_path_policy() {
    let dir = temp_dir();
    let mut data = b"\x7fELF\0\0\0".to_vec();
    data.extend_from_slice(expand(GITHUB, 1).as_bytes());
    write(dir.path(), "tool.bin", &data);
    write(dir.path(), "id_rsa", &data);
    let (exit, records, _) = findings(dir.path(), &["."]);
    assert_eq!(exit, 1);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["rule_id"], "file-ssh-key");
    let out = guard(dir.path()).args(["scan", "--verbose", "tool.bin"]).run();
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("tool.bin: binary"), "{}", stderr(&out));
}

#[test]
fn a_nul_byte_after_8000_bytes_leaves_the_file_text() {
    let dir = temp_dir();
    let mut data = vec![b'a'; 8000];
    data.push(b'\n');
    data.extend_from_slice(format!("t={}\n", expand(GITHUB, 2)).as_bytes());
    data.push(0);
    write(dir.path(), "late.txt", &data);
    let (exit, records, _) = findings(dir.path(), &["late.txt"]);
    assert_eq!(exit, 1);
    assert_eq!(records[0]["line"], 2);
}

#[test]
fn non_utf8_bytes_and_crlf_are_ordinary() {
    let dir = temp_dir();
    let mut data = b"caf\xe9 \xff\xfe\r\nline two\r\n".to_vec();
    data.extend_from_slice(b"\xff key: ");
    data.extend_from_slice(format!("{}\r\n", expand(GITHUB, 3)).as_bytes());
    write(dir.path(), "latin1.txt", &data);
    let (exit, records, _) = findings(dir.path(), &["latin1.txt"]);
    assert_eq!(exit, 1);
    assert_eq!(records[0]["line"], 3);
    assert_eq!(records[0]["end_line"], 3);
}

#[test]
fn a_secret_at_the_end_of_a_one_megabyte_line() {
    let dir = temp_dir();
    let mut line = "x".repeat(1 << 20);
    line.push_str(" secret=");
    line.push_str(&expand(GITHUB, 4));
    line.push('\n');
    write(dir.path(), "minified.js", line);
    let (exit, records, _) = findings(dir.path(), &["minified.js"]);
    assert_eq!(exit, 1);
    assert_eq!(records[0]["rule_id"], "github-pat-classic");
    assert_eq!(records[0]["column"], (1 << 20) + 9);
}

#[test]
fn odd_file_names() {
    let dir = temp_dir();
    let token = format!("{}\n", expand(GITHUB, 5));
    write(dir.path(), "with space.txt", &token);
    write(dir.path(), "ünïcödé.txt", &token);
    write(dir.path(), "-dash.txt", &token);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.txt");
        std::fs::write(dir.path().join(name), &token).unwrap();
        std::fs::write(dir.path().join("new\nline.txt"), &token).unwrap();
    }
    let (exit, records, err) = findings(dir.path(), &["."]);
    assert_eq!(exit, 1, "{err}");
    let expected = if cfg!(unix) { 5 } else { 3 };
    assert_eq!(records.len(), expected, "{records:?}");
    let human = guard(dir.path()).args(["scan", "."]).run();
    assert_eq!(code(&human), 1);
}

#[test]
fn empty_files_and_directories_are_clean() {
    let dir = temp_dir();
    write(dir.path(), "empty.txt", "");
    std::fs::create_dir_all(dir.path().join("nothing/here")).unwrap();
    let (exit, records, _) = findings(dir.path(), &["."]);
    assert_eq!(exit, 0);
    assert!(records.is_empty());
}

#[test]
fn files_over_the_size_limit_are_skipped_and_reported() {
    let dir = temp_dir();
    let mut data = expand(GITHUB, 6).into_bytes();
    data.extend(std::iter::repeat_n(b'\n', 2000));
    write(dir.path(), "big.txt", &data);
    let out = guard(dir.path()).args(["scan", "--max-file-size", "1KB", "big.txt"]).run();
    assert_eq!(code(&out), 0);
    let shown = stdout(&out);
    assert!(shown.contains("not read: big.txt: 2040 bytes is over the size limit of 1000 bytes"), "{shown}");
    assert!(
        shown.contains("no secrets found in what was read, but 1 item was over the size limit"),
        "{shown}"
    );
    let (exit, records, _) = findings(dir.path(), &["--max-file-size", "1KB", "big.txt"]);
    assert_eq!(exit, 0);
    assert_eq!(records[0]["skipped"]["path"], "big.txt", "{records:?}");
    let json =
        guard(dir.path()).args(["scan", "--format", "json", "--max-file-size", "1KB", "big.txt"]).run();
    let document: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(document["skipped"][0]["limit"], 1000, "{document}");
    assert_eq!(document["errors"], 0, "{document}");
    let quiet = guard(dir.path()).args(["scan", "-q", "--max-file-size", "1KB", "big.txt"]).run();
    assert!(stdout(&quiet).contains("not read: big.txt"), "--quiet never hides a skip");
    let strict =
        guard(dir.path()).args(["scan", "--fail-on-skip", "--max-file-size", "1KB", "big.txt"]).run();
    assert_eq!(code(&strict), 2, "--fail-on-skip");
    let out = guard(dir.path()).args(["scan", "--max-file-size", "1MB", "big.txt"]).run();
    assert_eq!(code(&out), 1);
}
