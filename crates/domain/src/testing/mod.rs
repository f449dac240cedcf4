//! Proptest strategies and a reference model, for this crate's tests and downstream suites.
//!
//! Enabled by the `testing` feature. Every strategy produces values that the rules of this crate
//! classify as the strategy's name says (valid bills pass, each kind of invalid bill fails with
//! its kind), so a downstream suite can feed them to its own system and compare answers.

pub mod clerks;
pub mod decimals;
