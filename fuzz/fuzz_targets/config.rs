//! `guard.toml` text through the config loader (`config::merge_text`) and,
//! when it loads, into a `Pipeline` (rules, globs and regexes compiled):
//! either step may return an error, neither may panic.
#![no_main]

use std::path::Path;

use guard::config::{Config, merge_text};
use guard::pipeline::Pipeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut config = Config::default();
    if merge_text(&mut config, text, Path::new("guard.toml")).is_ok() {
        let _ = Pipeline::new(&config);
    }
});
