//! Bytes to findings, with no I/O and no git: the keyword table and
//! automaton, the lazily compiled regexes, the scanner that confirms
//! candidates (entropy, checksums, placeholders, decoding), and the
//! finding type every later stage passes on.

pub mod ansi;
pub mod checksum;
pub mod chunk;
pub mod decode;
pub mod finding;
pub mod keywords;
pub mod matcher;
pub mod placeholder;
pub mod scanner;
