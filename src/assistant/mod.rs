//! Keeping secrets away from AI coding assistants. One adapter per host
//! reads its payload into actions and writes guard's answer in its
//! protocol (`hosts/`); the shared checks judge them (`checks.rs`: what a
//! read, search or shell command would show, in `exposure.rs`,
//! `shell_reads.rs` over `shell_syntax.rs`; what would switch the git gate
//! off, in `gate_bypass.rs`). Where each host reads its hooks and what
//! guard writes there is `hook_files.rs`; the assistants' control files
//! and settings are read here for `guard audit`.

pub mod checks;
pub mod claude_settings;
pub mod claude_version;
pub mod controls;
pub mod exposure;
pub mod gate_bypass;
pub mod hook_config;
pub mod hook_files;
pub mod hosts;
pub mod json_text;
pub mod sensitive;
pub mod shell_reads;
pub mod shell_syntax;
