//! Where each assistant reads its hooks, and what guard writes there: the
//! files of each level (project, user, system), how guard's hooks go in
//! (merged into a shared JSON file, a file of guard's own in a directory
//! the host reads whole, or one script per event), the entries themselves
//! and the command they run. Install, uninstall, audit and the hook's
//! check that another host's own hooks judge an event all read this.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::hosts::{Host, codex, cursor, gemini, kiro, windsurf};
use super::{claude_settings, hosts};

/// How guard's hooks go into a host's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Entries merged into a JSON file the user may share with other
    /// settings; `new` is a new file's text.
    Merged {
        /// A new file's text.
        new: &'static str,
    },
    /// A file of guard's own, `guard.json`, in a directory whose every
    /// file the host reads.
    OwnFile,
    /// One executable per event, named after it, in a directory.
    Scripts,
}

/// A host's hooks configuration.
#[derive(Debug, Clone, Copy)]
pub struct HookFiles {
    /// Who reads it.
    pub host: Host,
    /// How guard's hooks go in.
    pub layout: Layout,
    /// The files (or, for `OwnFile` and `Scripts`, the directory) in a
    /// project, relative to its root; guard writes the first.
    pub project: &'static [&'static str],
    /// Likewise under the user's home directory.
    pub user: &'static [&'static str],
    /// The machine-wide files an administrator manages (read, never written).
    pub system: &'static [&'static str],
}

/// Every host's hooks configuration.
pub const HOOK_FILES: [HookFiles; 8] = [
    HookFiles {
        host: Host::ClaudeCode,
        layout: Layout::Merged { new: claude_settings::EMPTY },
        project: &[".claude/settings.json", ".claude/settings.local.json"],
        user: &[".claude/settings.json"],
        system: &["/etc/claude-code/managed-settings.json"],
    },
    HookFiles {
        host: Host::Cursor,
        layout: Layout::Merged { new: "{\n  \"version\": 1\n}\n" },
        project: &[".cursor/hooks.json"],
        user: &[".cursor/hooks.json"],
        system: &["/etc/cursor/hooks.json", "/Library/Application Support/Cursor/hooks.json"],
    },
    HookFiles {
        host: Host::Codex,
        layout: Layout::Merged { new: "{}\n" },
        project: &[".codex/hooks.json", ".codex/config.toml"],
        user: &[".codex/hooks.json", ".codex/config.toml"],
        system: &["/etc/codex/hooks.json", "/etc/codex/config.toml"],
    },
    HookFiles {
        host: Host::Gemini,
        layout: Layout::Merged { new: "{}\n" },
        project: &[".gemini/settings.json"],
        user: &[".gemini/settings.json"],
        system: &["/etc/gemini-cli/settings.json", "/Library/Application Support/GeminiCli/settings.json"],
    },
    HookFiles {
        host: Host::Copilot,
        layout: Layout::OwnFile,
        project: &[".github/hooks"],
        user: &[".copilot/hooks"],
        system: &[],
    },
    HookFiles {
        host: Host::Windsurf,
        layout: Layout::Merged { new: "{}\n" },
        project: &[".windsurf/hooks.json"],
        user: &[".codeium/windsurf/hooks.json"],
        system: &["/etc/windsurf/hooks.json", "/Library/Application Support/Windsurf/hooks.json"],
    },
    HookFiles {
        host: Host::Cline,
        layout: Layout::Scripts,
        project: &[".clinerules/hooks"],
        user: &["Documents/Cline/Hooks"],
        system: &[],
    },
    HookFiles {
        host: Host::Kiro,
        layout: Layout::OwnFile,
        project: &[".kiro/hooks"],
        user: &[".kiro/hooks"],
        system: &[],
    },
];

impl HookFiles {
    /// The user-level `place` (relative to `home`), moved where the host's
    /// own variable puts its directory: `CODEX_HOME` for `~/.codex`,
    /// `COPILOT_HOME` for `~/.copilot`.
    pub fn user_path(&self, home: &Path, place: &str) -> PathBuf {
        let (dir, variable) = match self.host {
            Host::Codex => (".codex/", "CODEX_HOME"),
            Host::Copilot => (".copilot/", "COPILOT_HOME"),
            _ => return home.join(place),
        };
        match (std::env::var_os(variable).filter(|v| !v.is_empty()), place.strip_prefix(dir)) {
            (Some(base), Some(rest)) => PathBuf::from(base).join(rest),
            _ => home.join(place),
        }
    }
}

/// The name of guard's own file in an `OwnFile` directory.
pub const OWN_FILE: &str = "guard.json";

impl HookFiles {
    /// `host`'s configuration.
    pub fn of(host: Host) -> &'static HookFiles {
        HOOK_FILES.iter().find(|files| files.host == host).expect("every host has hook files")
    }

    /// The file guard writes (for `Scripts`, the directory), in the project
    /// at `root` or, with `global`, under `home`.
    pub fn target(&self, root: &Path, home: &Path, global: bool) -> PathBuf {
        let place = if global { self.user_path(home, self.user[0]) } else { root.join(self.project[0]) };
        match self.layout {
            Layout::OwnFile => place.join(OWN_FILE),
            Layout::Merged { .. } | Layout::Scripts => place,
        }
    }

    /// Every file of every level that may hold hooks, existing or not:
    /// the project's, the user's, the system's; a directory's files are
    /// listed as they are now.
    pub fn files(&self, root: &Path, home: Option<&Path>) -> Vec<PathBuf> {
        let mut places: Vec<PathBuf> = self.project.iter().map(|p| root.join(p)).collect();
        if let Some(home) = home {
            places.extend(self.user.iter().map(|p| self.user_path(home, p)));
        }
        places.extend(self.system.iter().map(PathBuf::from));
        match self.layout {
            Layout::Merged { .. } => places,
            Layout::OwnFile | Layout::Scripts => places.iter().flat_map(|dir| files_in(dir)).collect(),
        }
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Whether any of `host`'s hooks files (the project's around `cwd`, the
/// user's, the system's) runs guard's hook for it.
pub fn has_guard_hooks(host: Host, cwd: &Path) -> bool {
    let root = crate::git::work_tree_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let marker = host.hook_marker();
    HookFiles::of(host)
        .files(&root, home.as_deref())
        .iter()
        .any(|file| std::fs::read_to_string(file).is_ok_and(|text| text.contains(&marker)))
}

/// What guard's hooks on `host` check, for the install message.
pub fn checks(host: Host) -> &'static str {
    match host {
        Host::ClaudeCode => {
            "prompts, every tool that reads, writes, runs or sends, and MCP tools' output are checked"
        }
        Host::Cursor => {
            "prompts, file reads with their content, shell commands, MCP calls, writes, searches and web fetches are checked"
        }
        Host::Codex => {
            "prompts, shell commands, patches and MCP calls are checked, and shell and MCP output is masked"
        }
        Host::Gemini => {
            "prompts, reads, writes, edits, shell commands, searches, web fetches and MCP calls are checked, and shell and MCP output is masked"
        }
        Host::Copilot => {
            "tool calls (reads, writes, shell, searches, web fetches, MCP) and, in VS Code, prompts are checked; the Copilot CLI's shell and MCP output is masked"
        }
        Host::Windsurf => "prompts, file reads and writes, commands and MCP calls are checked",
        Host::Cline => {
            "prompts and tool calls (reads, writes, commands, searches, MCP, web fetches) are checked"
        }
        Host::Kiro => "prompts and tool calls (reads, writes, shell, web fetches, MCP) are checked",
    }
}

/// What guard's hooks cannot make `host` do when a hook fails, and the
/// host's other limits: said at install and in the audit.
pub fn limits(host: Host) -> &'static str {
    match host {
        Host::ClaudeCode => {
            "Claude Code blocks a hook that fails, times out or cannot start only where the entry sets \"onFailure\": \"block\" (2.1.295 and later)"
        }
        Host::Cursor => {
            "Cursor blocks when guard's hook fails or times out (failClosed); project hooks run only in a trusted workspace, and Cursor also runs Claude Code's hooks, which then let Cursor's own judge"
        }
        Host::Codex => {
            "Codex runs project hooks only in a trusted project, and each hook only once it is trusted in /hooks (again after every change): open Codex here and trust guard's hooks. Codex has no setting that blocks when a hook fails: guard's command blocks on its own failures, a timeout lets the action through"
        }
        Host::Gemini => {
            "Gemini CLI runs settings hooks only in a trusted folder; exit 1, a crash or a timeout is only a warning there: guard's command turns its own failures into exit 2, a timeout lets the action through"
        }
        Host::Copilot => {
            "VS Code's agent mode stops tools and prompts; the Copilot CLI stops tools but not a prompt (it drops a hook's answer to one), and lets a tool through when a hook times out"
        }
        Host::Windsurf => {
            "Windsurf lets an action through when a hook fails: guard's command blocks on its own failures; a .devin/hooks.json with hooks would be read instead of this file"
        }
        Host::Cline => {
            "Cline can only stop the whole task, not one tool call; a hook that crashes or times out lets the tool run: guard's script answers cancel on its own failures"
        }
        Host::Kiro => {
            "Kiro blocks on exit 2 only (any other failure is a warning, so guard's command blocks on its own failures); Kiro IDE 1.0.337 does not stop a prompt on exit 2 (kirodotdev/Kiro#11050), and nothing in Kiro masks a tool's output"
        }
    }
}

/// Whether guard's entries make `host` block on every failure of the hook
/// (a crash, a timeout, a missing guard): a host option guard sets.
pub fn fails_closed(host: Host) -> bool {
    matches!(host, Host::ClaudeCode | Host::Cursor)
}

/// The shell command a host runs: guard's hook, or a block with a clear
/// message when guard is not installed (or another program is called
/// `guard`), and, for hosts that let an action through when a hook fails,
/// a block when it fails.
pub fn hook_command(host: Host) -> String {
    if host == Host::ClaudeCode {
        return claude_settings::hook_command();
    }
    let marker = host.hook_marker();
    let missing = format!(
        "guard is not installed (or not on PATH), so this step is blocked: install guard, or remove its hooks with guard uninstall --assistant {}",
        host.word()
    );
    let failed = format!("guard failed, so this step is blocked: run {marker} by hand to see why");
    let (if_missing, if_failed) = match host {
        // Answers are JSON, read whatever the exit code.
        Host::Copilot => (
            format!("{}; exit 0", json_echo(&hosts::copilot::reply("", &block(&missing)))),
            json_echo(&hosts::copilot::reply("", &block(&failed))),
        ),
        Host::Cline => (
            format!("{}; exit 0", json_echo(&hosts::cline::reply(&block(&missing)))),
            json_echo(&hosts::cline::reply(&block(&failed))),
        ),
        // `failClosed` blocks on a failure.
        Host::Cursor => {
            (format!("{}; exit 2", json_echo(&cursor::reply("", &block(&missing)))), String::new())
        }
        _ => (format!("echo '{missing}' >&2; exit 2"), format!("echo '{failed}' >&2; exit 2")),
    };
    let on_failure = if if_failed.is_empty() { String::new() } else { format!(" || {{ {if_failed}; }}") };
    format!(
        "guard --version 2>/dev/null | grep -q '^guard [0-9]' || {{ {if_missing}; }}; {marker}{on_failure}"
    )
}

fn block(reason: &str) -> hosts::Verdict {
    hosts::Verdict::Block(reason.to_string())
}

/// `echo '<reply's JSON>'`; exit 0 follows for a host reading JSON.
fn json_echo(reply: &hosts::Reply) -> String {
    format!("echo '{}'", reply.stdout.trim_end().replace('\'', "'\\''"))
}

/// The entries guard adds to a `Merged` or `OwnFile` hooks object, by
/// event (Claude Code's come from claude_settings.rs, with `onFailure`).
pub fn entries(host: Host) -> Vec<(&'static str, Value)> {
    let command = hook_command(host);
    let with_matcher = |events: &[(&'static str, Option<&str>)], hook: Value| -> Vec<(&'static str, Value)> {
        events
            .iter()
            .map(|(event, matcher)| {
                let mut entry = json!({ "hooks": [hook.clone()] });
                if let Some(matcher) = matcher {
                    entry["matcher"] = json!(matcher);
                }
                (*event, entry)
            })
            .collect()
    };
    match host {
        Host::ClaudeCode => Vec::new(),
        Host::Cursor => cursor::EVENTS
            .iter()
            .map(|(event, matcher)| {
                let mut entry = json!({ "command": command, "failClosed": true, "timeout": 30 });
                if let Some(matcher) = matcher {
                    entry["matcher"] = json!(matcher);
                }
                (*event, entry)
            })
            .collect(),
        Host::Codex => {
            with_matcher(&codex::EVENTS, json!({ "type": "command", "command": command, "timeout": 30 }))
        }
        Host::Gemini => with_matcher(
            &gemini::EVENTS,
            json!({ "type": "command", "command": command, "name": "guard", "timeout": 30000 }),
        ),
        Host::Copilot => hosts::copilot::EVENTS
            .iter()
            .map(|event| (*event, json!({ "type": "command", "bash": command, "timeoutSec": 30 })))
            .collect(),
        Host::Windsurf => windsurf::EVENTS
            .iter()
            .map(|event| (*event, json!({ "command": command, "show_output": true })))
            .collect(),
        Host::Cline | Host::Kiro => Vec::new(),
    }
}

/// guard's own file's text for an `OwnFile` host.
pub fn own_file(host: Host) -> String {
    let text = match host {
        Host::Kiro => {
            let command = hook_command(host);
            let hooks: Vec<Value> = kiro::EVENTS
                .iter()
                .map(|(trigger, matcher)| {
                    let mut hook = json!({
                        "name": format!("guard: {trigger}"),
                        "trigger": trigger,
                        "action": { "type": "command", "command": command },
                        "timeout": 30,
                        "enabled": true
                    });
                    if let Some(matcher) = matcher {
                        hook["matcher"] = json!(matcher);
                    }
                    hook
                })
                .collect();
            json!({ "version": "v1", "hooks": hooks })
        }
        _ => {
            let hooks: serde_json::Map<String, Value> =
                entries(host).into_iter().map(|(event, entry)| (event.to_string(), json!([entry]))).collect();
            json!({ "version": 1, "hooks": hooks })
        }
    };
    format!("{}\n", serde_json::to_string_pretty(&text).expect("JSON values serialise"))
}

/// guard's script for one event of a `Scripts` host.
pub fn script(host: Host) -> String {
    format!(
        "#!/bin/sh\n# guard's {} hook (guard install --assistant {}; guard uninstall --assistant {} removes it)\n{}\n",
        host.title(),
        host.word(),
        host.word(),
        hook_command(host)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_has_its_files_and_entries() {
        for files in HOOK_FILES {
            assert!(!files.project.is_empty() && !files.user.is_empty(), "{:?}", files.host);
            let command = hook_command(files.host);
            assert!(command.contains(&files.host.hook_marker()), "{command}");
            match files.layout {
                Layout::Merged { new } => {
                    serde_json::from_str::<Value>(new).unwrap();
                    if files.host != Host::ClaudeCode {
                        assert!(!entries(files.host).is_empty());
                    }
                }
                Layout::OwnFile => {
                    let text = own_file(files.host);
                    assert!(text.contains(&files.host.hook_marker()));
                    serde_json::from_str::<Value>(&text).unwrap();
                }
                Layout::Scripts => assert!(script(files.host).starts_with("#!/bin/sh\n")),
            }
        }
    }

    #[test]
    fn a_missing_guard_blocks_in_each_hosts_protocol() {
        for host in [Host::Copilot, Host::Cline] {
            let command = hook_command(host);
            let json = command.split("echo '").nth(1).unwrap().split("'").next().unwrap();
            serde_json::from_str::<Value>(json).unwrap();
        }
        assert!(hook_command(Host::Windsurf).contains(">&2; exit 2"));
        assert!(
            hook_command(Host::Codex).ends_with("exit 2; }"),
            "a failed guard blocks where the host would not"
        );
    }
}
