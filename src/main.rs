//! The guard binary: parse the command line, run it, print the error chain
//! with every secret masked, map the outcome to an exit code (0 clean, 1
//! findings, 2 error).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // An assistant's hook runs on every tool call, always as `guard hook
    // HOST`: that form skips building the whole command line's parser.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let host = match &args[..] {
        [hook, word] if hook == "hook" => word.to_str().and_then(guard::assistant::hosts::Host::from_word),
        _ => None,
    };
    let result = match host {
        Some(host) => Ok(guard::commands::hook_assistant::run(host)),
        None => guard::run(guard::cli::Cli::parse()),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome as u8),
        Err(err) => {
            // Whatever the chain quotes, no secret leaves in clear; a closed
            // stderr does not turn the error into a panic.
            let text = guard::report::names::masked_text(&format!("{err:#}"));
            let _ = writeln!(std::io::stderr(), "guard: error: {text}");
            ExitCode::from(guard::Outcome::Error as u8)
        }
    }
}
