//! One adapter per assistant host: each reads its host's hook payload into
//! an [`Event`] (the [`Action`]s the shared checks judge) and writes guard's
//! [`Verdict`] as its host's answer (an exit code, a JSON field). Event
//! names, payload fields and answers come from each host's hooks reference;
//! docs/DECISIONS.md cites the page and date of each.

pub mod claude_code;
pub mod cline;
pub mod codex;
pub mod copilot;
pub mod cursor;
pub mod gemini;
pub mod kiro;
pub mod payload;
pub mod windsurf;

use std::path::PathBuf;

use anyhow::Result;
use serde_json::Value;

use super::checks::Action;
use crate::Outcome;

/// An assistant whose hooks guard answers, named on the command line as
/// `guard hook WORD` (each a subcommand: the event is JSON on standard
/// input, the answer in that assistant's protocol) and `guard install
/// --assistant WORD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Subcommand)]
pub enum Host {
    /// Claude Code's hooks (`.claude/settings.json`), and VS Code's and
    /// Cursor's runs of them.
    #[command(name = "claude")]
    ClaudeCode,
    /// Cursor's hooks (`.cursor/hooks.json`).
    Cursor,
    /// The Codex CLI's hooks (`.codex/hooks.json`).
    Codex,
    /// Gemini CLI's hooks (`.gemini/settings.json`).
    Gemini,
    /// GitHub Copilot's hooks, for VS Code's agent mode and the Copilot CLI
    /// (`.github/hooks/guard.json`).
    Copilot,
    /// Windsurf's hooks (`.windsurf/hooks.json`).
    Windsurf,
    /// Cline's hook scripts (`.clinerules/hooks/`).
    Cline,
    /// Kiro's hooks (`.kiro/hooks/guard.json`).
    Kiro,
}

impl Host {
    /// Every host, in the order they are listed.
    pub const ALL: [Host; 8] = [
        Host::ClaudeCode,
        Host::Cursor,
        Host::Codex,
        Host::Gemini,
        Host::Copilot,
        Host::Windsurf,
        Host::Cline,
        Host::Kiro,
    ];

    /// The word naming it on the command line.
    pub fn word(self) -> &'static str {
        match self {
            Host::ClaudeCode => "claude",
            Host::Cursor => "cursor",
            Host::Codex => "codex",
            Host::Gemini => "gemini",
            Host::Copilot => "copilot",
            Host::Windsurf => "windsurf",
            Host::Cline => "cline",
            Host::Kiro => "kiro",
        }
    }

    /// Its name for people.
    pub fn title(self) -> &'static str {
        match self {
            Host::ClaudeCode => "Claude Code",
            Host::Cursor => "Cursor",
            Host::Codex => "Codex",
            Host::Gemini => "Gemini CLI",
            Host::Copilot => "GitHub Copilot",
            Host::Windsurf => "Windsurf",
            Host::Cline => "Cline",
            Host::Kiro => "Kiro",
        }
    }

    /// The host named `word`.
    pub fn from_word(word: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|host| host.word() == word)
    }

    /// The command its hooks run: `guard hook WORD`, which also marks an
    /// entry in a hooks file as guard's.
    pub fn hook_marker(self) -> String {
        format!("guard hook {}", self.word())
    }
}

/// One event as guard judges it.
#[derive(Debug)]
pub struct Event {
    /// The event's name as the host sent it (its answer depends on it).
    pub name: String,
    /// The directory the assistant works in.
    pub cwd: PathBuf,
    /// What the assistant is about to do (empty: nothing guard judges).
    pub actions: Vec<Action>,
    /// For a tool's output the host lets a hook replace: the output.
    pub output: Option<Value>,
    /// For a tool's output: whether the tool is an MCP server's.
    pub mcp: bool,
    /// The host that sent it: another than the one whose settings ran the
    /// hook when a host runs another's hooks (Cursor and VS Code run
    /// Claude Code's). Where that host's own hooks file has guard too,
    /// that hook judges the event and this one lets it pass.
    pub sent_by: Host,
}

impl Event {
    /// An event of `name` from `host` in `cwd`, with nothing to judge yet.
    pub fn new(host: Host, name: &str, cwd: PathBuf) -> Event {
        Event { name: name.to_string(), cwd, actions: Vec::new(), output: None, mcp: false, sent_by: host }
    }
}

/// What guard decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Nothing to stop.
    Allow,
    /// Stop it, for this reason (secrets already redacted).
    Block(String),
    /// Let the output through with its secrets masked.
    Mask {
        /// The output, masked.
        output: Value,
        /// How many secrets were masked.
        count: usize,
    },
}

/// The answer a host reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// What goes to standard output (JSON for hosts that read it).
    pub stdout: String,
    /// What goes to standard error.
    pub stderr: String,
    /// Exit 2 (`Outcome::Error`) where the host blocks on it.
    pub blocks_by_exit: bool,
}

impl Reply {
    /// The exit code to end with.
    pub fn outcome(&self) -> Outcome {
        if self.blocks_by_exit { Outcome::Error } else { Outcome::Clean }
    }

    /// Exit 2 with `reason` on standard error: how most hosts block.
    fn exit_2(reason: &str) -> Reply {
        Reply { stdout: String::new(), stderr: reason.to_string(), blocks_by_exit: true }
    }

    /// `verdict` for a host that reads only the exit code: exit 2 with the
    /// reason on standard error blocks; nothing else is read.
    fn by_exit_code(verdict: &Verdict) -> Reply {
        match verdict {
            Verdict::Block(reason) => Reply::exit_2(reason),
            Verdict::Allow | Verdict::Mask { .. } => Reply::default(),
        }
    }

    /// Exit 0 with `json` on standard output.
    fn json(json: &Value) -> Reply {
        Reply { stdout: format!("{json}\n"), stderr: String::new(), blocks_by_exit: false }
    }
}

/// Reads `payload` as `host` sends it.
///
/// # Errors
/// A payload without the fields its event always has.
pub fn parse(host: Host, payload: &Value) -> Result<Event> {
    match host {
        Host::ClaudeCode => claude_code::parse(payload),
        Host::Cursor => cursor::parse(payload),
        Host::Codex => codex::parse(payload),
        Host::Gemini => gemini::parse(payload),
        Host::Copilot => copilot::parse(payload),
        Host::Windsurf => windsurf::parse(payload),
        Host::Cline => cline::parse(payload),
        Host::Kiro => kiro::parse(payload),
    }
}

/// `verdict` on `event` (`None`: the payload could not be read) in
/// `host`'s protocol. A block is always one the host enforces.
pub fn reply(host: Host, event: Option<&Event>, verdict: &Verdict) -> Reply {
    let name = event.map_or("", |e| e.name.as_str());
    match host {
        Host::ClaudeCode => claude_code::reply(verdict, event.is_some_and(|e| e.mcp)),
        Host::Cursor => cursor::reply(name, verdict),
        Host::Codex => codex::reply(verdict),
        Host::Gemini => gemini::reply(verdict),
        Host::Copilot => copilot::reply(name, verdict),
        Host::Windsurf | Host::Kiro => Reply::by_exit_code(verdict),
        Host::Cline => cline::reply(verdict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_named_by_their_words_and_answer_by_exit_code_where_that_is_all_they_read() {
        for host in Host::ALL {
            assert_eq!(Host::from_word(host.word()), Some(host));
        }
        let block = reply(Host::Windsurf, None, &Verdict::Block("no".into()));
        assert!(block.blocks_by_exit && block.stderr == "no" && block.stdout.is_empty());
        assert_eq!(reply(Host::Kiro, None, &Verdict::Allow), Reply::default());
    }
}
