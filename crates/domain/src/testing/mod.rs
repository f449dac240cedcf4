//! Proptest strategies and a reference model, for this crate's tests and downstream suites.
//!
//! Enabled by the `testing` feature. Every strategy produces values that the rules of this crate
//! classify as the strategy's name says (valid bills pass, each kind of invalid bill fails with
//! its kind), so a downstream suite can feed them to its own system and compare answers:
//!
//! - [`decimals`]: decimals of the contract's ranges, and an independent `i128` reference for
//!   rounded amounts.
//! - [`bills`]: catalogs, valid bills against them, and bills with exactly one defect.
//! - [`model`]: a reference model of the bill state machine and random operation sequences.
//! - [`settlements`]: paid bills and settlement sequences over them.
//! - [`clerks`]: clerks, current clerk sets and clerk batches.

pub mod bills;
pub mod clerks;
pub mod decimals;
pub mod model;
pub mod settlements;
