//! Assistant hook events (`assistant::hosts`): arbitrary bytes parsed as
//! JSON, read by every host's adapter, judged by the shared checks with the
//! default pipeline (the event's `cwd` pointed at a fixed scratch
//! directory) and answered: `parse`, `check_all` and `reply` return a
//! decision or an error, never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use guard::assistant::checks::check_all;
use guard::assistant::hosts::{self, Host, Verdict};
use guard::assistant::exposure::Judge;
use guard::assistant::gate_bypass::GatePaths;
use guard::config::Config;
use guard::pipeline::Pipeline;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(&Config::default()).expect("default pipeline"));

/// A directory with a few files for `Read`, `Grep` and `Bash` to name.
static CWD: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    std::fs::write(dir.join("notes.txt"), "nothing here\n").expect("write");
    std::fs::write(dir.join(".env"), "DEBUG=1\n").expect("write");
    std::fs::create_dir(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("src").join("main.rs"), "fn main() {}\n").expect("write");
    dir
});

fuzz_target!(|data: &[u8]| {
    let Ok(mut event) = serde_json::from_slice::<Value>(data) else { return };
    if let Value::Object(fields) = &mut event
        && fields.contains_key("cwd")
    {
        fields.insert("cwd".into(), Value::String(CWD.to_string_lossy().into_owned()));
    }
    for host in Host::ALL {
        let Ok(event) = hosts::parse(host, &event) else { continue };
        let judge = Judge { pipeline: &PIPELINE, cwd: &event.cwd };
        let _ = check_all(&judge, &GatePaths::for_dir(&event.cwd), &event.actions);
        let _ = hosts::reply(host, Some(&event), &Verdict::Block("reason".into()));
    }
});
