//! Sources: what guard reads, and nothing more. Each turns git objects,
//! files, standard input or messages into content and names with their
//! origin, and hands them to the one [`Pipeline`](crate::pipeline::Pipeline),
//! which decides what is scanned and what counts. No source matches or
//! writes output.

pub mod blob;
pub mod files;
pub mod history;
pub mod messages;
pub mod push;
pub mod staged;
pub mod stdin;
pub mod transcripts;
