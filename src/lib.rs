//! KACHING: an actor-based, offline-first point-of-sale runtime. See `../shared/DESIGN.md` and
//! the README. `main.rs` only calls [`cli::run`]; everything lives here so that tests can use it.

// A till must not crash on bad input: no unwrap/expect/panic outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod actors;
pub mod cli;
pub mod clock;
pub mod config;
pub mod devices;
pub mod doctor;
pub mod domain;
pub mod gui;
pub mod headless;
pub mod i18n;
pub mod mysql_hosts;
pub mod pay_web;
pub mod secrets;
pub mod store;
pub mod sync;
