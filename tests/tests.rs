//! The one integration-test binary (`autotests = false`): a module per area.

mod acceptance;
mod accuracy;
mod assistant_hooks;
mod assistant_tools;
mod audit;
mod cli;
mod common;
mod encodings;
mod fixtures;
mod formats;
mod framework;
mod fuzz_regressions;
mod history;
mod hooks;
mod husky;
mod inputs;
mod leaks;
mod lefthook;
mod load;
mod network;
mod partial_clone;
mod redact;
mod repo_states;
mod rules;
mod snapshots;
mod sources;
