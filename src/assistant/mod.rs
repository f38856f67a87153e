//! Keeping secrets away from AI coding assistants: what guard's Claude Code
//! hook decides, which files a shell command prints, the assistants'
//! control files and how each is judged, and Claude Code's settings file.

pub mod claude_hook;
pub mod claude_settings;
pub mod controls;
pub mod json_text;
pub mod sensitive;
pub mod shell_reads;
