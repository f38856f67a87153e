//! The guard binary: parse the command line, run it, print the error chain,
//! map the outcome to an exit code (0 clean, 1 findings, 2 error).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = guard::cli::Cli::parse();
    match guard::run(cli) {
        Ok(outcome) => ExitCode::from(outcome as u8),
        Err(err) => {
            eprintln!("guard: error: {err:#}");
            ExitCode::from(guard::Outcome::Error as u8)
        }
    }
}
