//! KACHING: an actor-based, offline-first point-of-sale runtime. See `../shared/DESIGN.md` and
//! the README. `main.rs` only calls [`cli::run`]; everything lives here so that tests can use it.

pub mod domain;
pub mod clock;
pub mod secrets;
pub mod store;
pub mod config;
pub mod actors;
pub mod cli;
pub mod headless;
