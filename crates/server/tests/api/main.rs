//! The HTTP surface end to end: the real router on a real SQLite store in a temporary file,
//! seeded with the store's conformance fixtures, driven through `tower::ServiceExt::oneshot` and,
//! for the transport itself, through a real listener.

// Test support fails loudly: a failed expectation is how a helper reports a difference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod bad_input;
mod callbacks;
mod errors;
mod helpers;
mod isolation;
mod listener;
mod metrics;
mod qimen;
mod reports;
mod seeds;
mod sell;
mod settle;
