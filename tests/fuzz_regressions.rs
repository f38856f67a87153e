//! The fuzz targets' kept inputs (`fuzz/seeds/`, and `fuzz/regressions/`
//! where a crash's input is kept hex-encoded) replayed through the same
//! library calls as the targets in `fuzz/fuzz_targets/`, so a fixed crash
//! stays fixed without cargo-fuzz. Adding a `.hex` file adds a case.

use std::io::BufReader;
use std::path::Path;

use guard::config::{Config, merge_text};
use guard::hooks::{self, Scope, State};
use guard::pipeline::Pipeline;
use guard::scan::chunk::Chunk;
use guard::scan::finding::SourceKind;
use guard::scan::scanner::ScanScratch;

use crate::common::{default_pipeline, fuzz_inputs};

#[test]
fn config_fuzz_inputs_load_or_fail_without_panicking() {
    for (_, data) in fuzz_inputs("config", false) {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let mut config = Config::default();
        if merge_text(&mut config, text, Path::new("guard.toml")).is_ok() {
            let _ = Pipeline::new(&config);
        }
    }
}

#[test]
fn scanner_fuzz_inputs_scan_without_panicking() {
    let pipeline = default_pipeline();
    let mut scratch = ScanScratch::default();
    for (name, data) in fuzz_inputs("scanner", false) {
        let mut found = Vec::new();
        pipeline.scanner.scan(&Chunk::new(&data, SourceKind::Stdin), &mut scratch, &mut found);
        assert!(found.iter().all(|f| f.span.end <= data.len()), "{name}");
    }
}

#[test]
fn redact_fuzz_inputs_pass_through_unless_masked() {
    let pipeline = default_pipeline();
    for (name, input) in fuzz_inputs("redact", false) {
        // As the target: the first byte counts the read sizes that follow.
        let Some((&count, rest)) = input.split_first() else { continue };
        let (_, data) = rest.split_at(usize::from(count % 8).min(rest.len()));
        let mut output = Vec::new();
        let masked = guard::report::masked::copy_masked(
            &pipeline.scanner,
            &mut BufReader::with_capacity(7, data),
            &mut output,
        )
        .expect("in-memory copy");
        if masked == 0 {
            assert_eq!(output, data, "{name}");
        }
    }
}

#[test]
fn pre_push_fuzz_inputs_parse_or_fail_without_quoting() {
    for (name, data) in fuzz_inputs("pre_push", false) {
        let Ok(input) = std::str::from_utf8(&data) else { continue };
        if let Err(err) = guard::git::parse::push_lines(input) {
            let message = format!("{err:#}");
            assert!(
                input.split_whitespace().filter(|f| f.len() >= 20).all(|f| !message.contains(f)),
                "{name}"
            );
        }
    }
}

#[test]
fn claude_hook_fuzz_inputs_are_judged_without_panicking() {
    let pipeline = default_pipeline();
    let cwd = tempfile::tempdir().expect("temp dir");
    for (_, data) in fuzz_inputs("claude_hook", false) {
        let Ok(mut event) = serde_json::from_slice::<serde_json::Value>(&data) else { continue };
        if let Some(fields) = event.as_object_mut().filter(|f| f.contains_key("cwd")) {
            fields.insert("cwd".into(), cwd.path().to_string_lossy().into_owned().into());
        }
        for host in guard::assistant::hosts::Host::ALL {
            let Ok(event) = guard::assistant::hosts::parse(host, &event) else { continue };
            let judge = guard::assistant::exposure::Judge { pipeline: &pipeline, cwd: &event.cwd };
            let gate = guard::assistant::gate_bypass::GatePaths::for_dir(&event.cwd);
            let _ = guard::assistant::checks::check_all(&judge, &gate, &event.actions);
        }
    }
}

#[cfg(unix)]
#[test]
fn hook_install_fuzz_inputs_come_back_byte_for_byte() {
    use std::os::unix::fs::PermissionsExt;
    let binary = Path::new("/opt/guard/bin/guard");
    for (name, input) in fuzz_inputs("hook_install", false) {
        // As the target: the first byte picks scope, mode and hook.
        let Some((&choice, content)) = input.split_first() else { continue };
        let scope = if choice & 1 == 0 { Scope::Repository } else { Scope::Global };
        let names: Vec<&str> = hooks::hooks_for(scope).collect();
        let hook = names[usize::from(choice >> 2) % names.len()];
        let mode = if choice & 2 == 0 { 0o755 } else { 0o644 };
        let root = tempfile::tempdir().expect("temp dir");
        let path = root.path().join(hook);
        std::fs::write(&path, content).expect("write hook");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let before = hooks::status(root.path(), binary, scope).expect("status");
        let state = before.into_iter().find(|s| s.name == hook).expect("listed").state;
        hooks::install(root.path(), binary, scope, hooks::Options::default()).expect("install");
        hooks::install(root.path(), binary, scope, hooks::Options::default()).expect("install again");
        hooks::uninstall(root.path()).expect("uninstall");
        let left = std::fs::read_dir(root.path()).expect("read dir").count();
        if state == State::Foreign {
            assert_eq!(left, 1, "{name}");
            assert!(std::fs::read(&path).expect("read back") == content, "{name}: bytes changed");
            let back = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o7777;
            assert_eq!(back, mode, "{name}: mode changed");
        } else {
            assert_eq!(left, 0, "{name}");
        }
    }
}
