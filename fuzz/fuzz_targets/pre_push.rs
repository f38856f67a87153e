//! pre-push's standard input through `git::parse::push_lines`: no panic,
//! one parsed line per non-blank input line, and an error never quotes the
//! input (a long field never appears in the message).
#![no_main]

use guard::git::parse::push_lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    match push_lines(input) {
        Ok(lines) => {
            assert_eq!(lines.len(), input.lines().filter(|l| !l.trim().is_empty()).count());
        }
        Err(err) => {
            let message = format!("{err:#}");
            for field in input.split_whitespace().filter(|f| f.len() >= 20) {
                assert!(!message.contains(field), "the error quotes the input: {message}");
            }
        }
    }
});
