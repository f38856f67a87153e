//! What is judged by name or accepted by the user: the path policy (files
//! that must never be committed), path globs, inline allows and the
//! allowlists of `guard.toml`, and the baseline. No git, no output.

pub mod allow;
pub mod baseline;
pub mod globs;
pub mod path_policy;
