//! `guard install` and `guard uninstall`: find the hooks directory git uses
//! for this work tree and write or remove guard's hooks there.

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::InstallArgs;
use crate::hooks::{self, CHAINED_SUFFIX, Change};

/// Runs `guard install`.
///
/// # Errors
/// Not in a work tree, or a hook that cannot be written.
pub fn install(args: &InstallArgs) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let dir = crate::git::hooks_dir(&cwd)?;
    let binary = std::env::current_exe().context("finding guard's own path")?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let mut stale = false;
    for (name, change) in hooks::install(&dir, &binary, args.force)? {
        let path = dir.join(name);
        match change {
            Change::Wrote => println!("guard: installed {}", path.display()),
            Change::Unchanged => println!("guard: {} is already guard's current hook", path.display()),
            Change::Updated => println!("guard: updated {}", path.display()),
            Change::Chained => println!(
                "guard: installed {}; the hook that was there is now {name}{CHAINED_SUFFIX} and runs after guard",
                path.display()
            ),
            Change::Stale => {
                stale = true;
                println!(
                    "guard: {} was written by another guard; run `guard install --force` to replace it",
                    path.display()
                );
            }
            Change::Removed | Change::Restored | Change::Absent => {}
        }
    }
    Ok(if stale { Outcome::Findings } else { Outcome::Clean })
}

/// Runs `guard uninstall`.
///
/// # Errors
/// Not in a work tree, or a hook that cannot be removed or restored.
pub fn uninstall() -> Result<Outcome> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let dir = crate::git::hooks_dir(&cwd)?;
    for (name, change) in hooks::uninstall(&dir)? {
        let path = dir.join(name);
        match change {
            Change::Removed => println!("guard: removed {}", path.display()),
            Change::Restored => {
                println!("guard: removed guard's {name} and put back the hook that was there before")
            }
            _ => {}
        }
    }
    Ok(Outcome::Clean)
}
