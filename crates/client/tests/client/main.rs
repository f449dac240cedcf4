//! The client against real loopback servers, one test binary (each binary links the whole
//! client, so fewer binaries build faster):
//!
//! - `retry`: lost connections and 500/502/503/504 answers are retried up to the policy's
//!   bound, 4xx answers and business refusals are not; formats and error classes.
//! - `qimen`: the signed query verifies with the gateway's own check, for every sign method.
//! - `callback`: `verify_callback` against the test vector, tolerance and tampering.
//!
//! `support` is the scripted HTTP/1.1 server they talk to. The end-to-end tests against the real
//! binary are `tests/e2e/client.rs` at the workspace's top level.

// Tests: a failed step panics with what it saw.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)]

mod callback;
mod qimen;
mod retry;
mod support;
