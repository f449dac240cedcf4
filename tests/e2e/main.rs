//! End to end: the real `posbridge` binary, started as separate processes, spoken to over
//! loopback HTTP, on real SQLite files and a real PostgreSQL database.
//!
//! - `concurrency`: 50 identical AddOrUpdate make one bill, competing settlements never
//!   over-settle and competing payments never over-pay — on one SQLite server, and on two server
//!   processes sharing one PostgreSQL schema.
//! - `shutdown`: SIGTERM while clients load the server answers the requests in flight, exits 0,
//!   and every acknowledged bill is there after a restart.
//! - `reports`: a day of random bills, payments and settlements adds up in `posbridge report`.
//! - `callbacks`: the real binary's delivery worker marks undeliverable events dead, and
//!   `posbridge callbacks list|retry` lists and reschedules them.
//! - `delivery`: callbacks reach a receiver in the test process (`receiver`) signed, in order per
//!   bill, and none is lost across a SIGKILL and restart, on SQLite and with two PostgreSQL
//!   servers; two servers deliver each event once, and a delivered event is replayed on demand.
//! - `failures`: a database that vanishes under a running server is answered 9001/9002, never
//!   with its internal text.

// Tests: a failed step panics with what it saw.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)]

mod bodies;
mod callbacks;
mod client;
mod concurrency;
mod delivery;
mod failures;
mod http;
mod pg;
mod receiver;
mod reports;
mod server;
mod shutdown;
