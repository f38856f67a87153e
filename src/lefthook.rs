//! What guard knows of lefthook: its configuration files, whether one runs
//! guard, its hook scripts, and the exact lines that make it run guard, in
//! the configuration's own format. lefthook owns the hooks of a repository
//! it manages and renames any other hook to `NAME.old` on its next sync,
//! where nothing runs it; so guard writes no hook there and says what to
//! add instead.

use std::path::{Path, PathBuf};

/// lefthook's configuration files, in the order it looks for them
/// (`lefthook-local` ones are merged over the main one).
const CONFIG_NAMES: &[&str] = &[
    "lefthook.yml",
    ".lefthook.yml",
    "lefthook.yaml",
    ".lefthook.yaml",
    "lefthook.toml",
    ".lefthook.toml",
    "lefthook.json",
    ".lefthook.json",
    ".config/lefthook.yml",
    ".config/lefthook.yaml",
    "lefthook-local.yml",
    ".lefthook-local.yml",
    "lefthook-local.yaml",
    ".lefthook-local.yaml",
    "lefthook-local.toml",
    "lefthook-local.json",
];

/// The hook guard's lines are added to, with what runs it.
const HOOKS: &[(&str, &str, bool)] = &[
    ("pre-commit", "guard hook pre-commit", false),
    ("pre-merge-commit", "guard hook pre-merge-commit", false),
    ("commit-msg", "guard hook commit-msg {1}", false),
    // The first reader takes git's list of pushed refs: guard's needs it.
    ("pre-push", "guard hook pre-push {1} {2}", true),
];

/// lefthook's configuration files at the work tree `root`, main first.
pub fn config_files(root: &Path) -> Vec<PathBuf> {
    CONFIG_NAMES.iter().map(|name| root.join(name)).filter(|path| path.is_file()).collect()
}

/// Whether any of `files` runs guard's hooks.
pub fn runs_guard(files: &[PathBuf]) -> bool {
    files.iter().any(|file| std::fs::read_to_string(file).is_ok_and(|text| text.contains("guard hook ")))
}

/// Whether `text` is a hook script lefthook wrote.
pub fn is_lefthook_hook(text: &str) -> bool {
    text.contains("call_lefthook")
}

/// The lines that make lefthook run guard, in the format of `file`.
pub fn snippet(file: &Path) -> String {
    let name = file.to_string_lossy();
    if name.ends_with(".toml") {
        let mut text = String::new();
        for (hook, run, stdin) in HOOKS {
            text.push_str(&format!("[{hook}.commands.guard]\nrun = \"{run}\"\n"));
            if *stdin {
                text.push_str("use_stdin = true\n");
            }
            text.push('\n');
        }
        return text.trim_end().to_string() + "\n";
    }
    if name.ends_with(".json") {
        let hooks: Vec<String> = HOOKS
            .iter()
            .map(|(hook, run, stdin)| {
                let extra = if *stdin { ", \"use_stdin\": true" } else { "" };
                format!("  \"{hook}\": {{ \"commands\": {{ \"guard\": {{ \"run\": \"{run}\"{extra} }} }} }}")
            })
            .collect();
        return format!("{{\n{}\n}}\n", hooks.join(",\n"));
    }
    let mut text = String::new();
    for (hook, run, stdin) in HOOKS {
        text.push_str(&format!("{hook}:\n  commands:\n    guard:\n      run: {run}\n"));
        if *stdin {
            text.push_str("      use_stdin: true\n");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_in_each_format_parse_and_pass_the_push_input() {
        let yaml = snippet(Path::new("lefthook.yml"));
        assert!(yaml.contains("pre-push:\n  commands:\n    guard:\n      run: guard hook pre-push {1} {2}\n      use_stdin: true\n"));
        let toml: toml::Value = toml::from_str(&snippet(Path::new("lefthook.toml"))).unwrap();
        assert_eq!(toml["pre-push"]["commands"]["guard"]["use_stdin"].as_bool(), Some(true));
        assert_eq!(
            toml["commit-msg"]["commands"]["guard"]["run"].as_str(),
            Some("guard hook commit-msg {1}")
        );
        let json: serde_json::Value = serde_json::from_str(&snippet(Path::new(".lefthook.json"))).unwrap();
        assert_eq!(json["pre-commit"]["commands"]["guard"]["run"], "guard hook pre-commit");
        assert!(is_lefthook_hook("#!/bin/sh\ncall_lefthook()\n{\n"));
    }
}
