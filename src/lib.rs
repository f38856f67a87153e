//! guard: a secret guard for git and AI coding assistants. The binary is a
//! thin shell over [`run`]; everything else is here and testable in-process.
//! Data flows source → chunk → matcher/scanner → finding → filters → report.

pub mod assistant;
pub mod baseline;
pub mod checksum;
pub mod cli;
pub mod commands;
pub mod config;
pub mod datetime;
pub mod decode;
pub mod filter;
pub mod finding;
pub mod git;
pub mod globs;
pub mod hooks;
pub mod json_text;
pub mod keywords;
pub mod matcher;
pub mod path_policy;
pub mod pipeline;
pub mod placeholder;
pub mod progress;
pub mod redact;
pub mod report;
pub mod rules;
pub mod scanner;
pub mod source;

/// What a command found, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Outcome {
    /// Nothing found (exit 0).
    Clean = 0,
    /// Findings (exit 1): the hook blocks.
    Findings = 1,
    /// Something broke (exit 2): the hook blocks too.
    Error = 2,
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever stopped the command; `main` prints it and exits 2.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    commands::run(cli.command)
}
