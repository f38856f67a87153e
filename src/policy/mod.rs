//! What is judged by name or accepted by the user: the path policy (files
//! that must never be committed), path globs, inline allows, the layers of
//! acceptance (allowlists of `guard.toml`, disabled rules, the baseline).
//! No git, no output.

pub mod acceptance;
pub mod allow;
pub mod baseline;
pub mod globs;
pub mod path_policy;
