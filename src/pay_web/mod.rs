//! The payment server (`kaching pay-server`, and the till's embedded copy on the shop's LAN) and
//! its typed client for the till. The API types ([`api`]) and the request signatures ([`sign`])
//! are shared by both sides. The server runs without a till: it knows intents, tills and their
//! secrets, never the ledger or the actors.
//!
//! An intent is one payment of one basket: created by a till (its id, a UUIDv7 made by the till,
//! is the idempotency key), shown to the customer at `/p/{token}` (a separate 256-bit random
//! token), and moved pending → paid | cancelled | expired exactly once, atomically, in the
//! database. Every change is an event row; the tills listen over server-sent events.

pub mod api;
pub mod client;
pub mod client_addr;
pub mod mysql_store;

pub mod page;
pub mod provider;
pub mod server;
pub mod sign;
pub mod store;
