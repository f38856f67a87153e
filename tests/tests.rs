//! The one integration-test binary (`autotests = false`): a module per area.

mod cli;
mod common;
mod fixtures;
mod history;
mod inputs;
mod rules;
