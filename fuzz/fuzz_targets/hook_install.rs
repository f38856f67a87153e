//! guard's hooks installed over an arbitrary existing hook file (content,
//! mode, hook name and scope chosen by the input), installed again, then
//! uninstalled: a hook that is not guard's comes back byte for byte with its
//! mode and nothing else is left; one guard takes for its own is removed.
#![no_main]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use guard::hooks::{self, Change, Scope, State};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&choice, content)) = input.split_first() else { return };
    let scope = if choice & 1 == 0 { Scope::Repository } else { Scope::Global };
    let names: Vec<&str> = hooks::hooks_for(scope).collect();
    let name = names[usize::from(choice >> 2) % names.len()];
    let mode = if choice & 2 == 0 { 0o755 } else { 0o644 };
    let binary = Path::new("/opt/guard/bin/guard");

    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("hooks");
    fs::create_dir(&dir).expect("mkdir");
    let path = dir.join(name);
    fs::write(&path, content).expect("write hook");
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");

    let state = hooks::status(&dir, binary, scope)
        .expect("status")
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
        .state;
    hooks::install(&dir, binary, scope, hooks::Options::default()).expect("install");
    let again = hooks::install(&dir, binary, scope, hooks::Options::default()).expect("install again");
    for (hook, change) in &again {
        assert!(
            matches!(change, Change::Unchanged | Change::Stale),
            "{hook}: installing twice did {change:?}"
        );
    }
    hooks::uninstall(&dir).expect("uninstall");

    let left: Vec<_> = fs::read_dir(&dir).expect("read dir").map(|e| e.unwrap().file_name()).collect();
    match state {
        State::Foreign => {
            assert_eq!(left, [std::ffi::OsString::from(name)], "what uninstall left");
            assert!(fs::read(&path).expect("read back") == content, "the hook's bytes changed");
            let back = fs::metadata(&path).expect("stat").permissions().mode() & 0o7777;
            assert_eq!(back, mode, "the hook's mode changed");
        }
        State::Current | State::Outdated { .. } => assert!(left.is_empty(), "left {left:?}"),
        State::Missing => unreachable!("the hook was written"),
    }
});
