//! guard: a secret guard for git and AI coding assistants. The binary is a
//! thin shell over [`run`]; everything else is here and testable in-process.
//! Data flows source → chunk → matcher/scanner → finding → filters → report.

#![deny(missing_docs)]

pub mod assistant;
pub mod cli;
pub mod commands;
pub mod config;
pub mod datetime;
pub mod framework;
pub mod git;
pub mod hooks;
pub mod husky;
pub mod lefthook;
pub mod pipeline;
pub mod policy;
pub mod progress;
pub mod report;
pub mod rules;
pub mod safe_text;
pub mod scan;
pub mod small_file;
pub mod sources;
pub mod utf16;

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
