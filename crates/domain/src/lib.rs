//! posbridge's business rules, as pure functions over values.
//!
//! This crate is the reference statement of the rules of CONTRACT §5 (sell bills and payments),
//! §6 (rebate settlements) and §7 (clerk synchronisation). It does no I/O, reads no clock, knows no
//! wire format and has no async code: callers pass in what the rules need (the shop's catalog,
//! the current clerks, "now") and get back values — new states, events, or typed errors.
//!
//! - [`money`], [`amounts`], [`exact`] and [`pricing`]: exact decimal money with one rounding
//!   function, and the pricing of bill lines.
//! - [`catalog`]: a shop's stock records, price quotes and guides, and the line checks against them.
//! - [`sell_bill`]: the sell bill aggregate and its state machine.
//! - [`clerk`]: clerk validation and the all-or-nothing batch planner.
//! - [`settlement`]: rebate settlement validation and amounts.
//! - [`master`]: master data entities and the reference check of an import.
//! - [`field`], [`rejection`] and [`error_kind`]: field-level validation, rule failures collected
//!   over a request, and the kinds of rule violation, one per errcode.
//! - `testing` (feature `testing`): proptest strategies and a reference model for downstream
//!   suites.
//!
//! ```
//! use posbridge_domain::amounts::{Quantity, UnitPrice};
//! use posbridge_domain::pricing::{line_amount, Discount};
//! use rust_decimal::Decimal;
//!
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! // Two scarves at 99.00, 8.5 / 10 off: 168.30.
//! let fraction = Discount::new(d("8.5"), d("10")).unwrap().fraction().unwrap();
//! let amount = line_amount(Quantity::new(d("2")).unwrap(), UnitPrice::new(d("99.00")).unwrap(), fraction);
//! assert_eq!(amount.unwrap().to_string(), "168.30");
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod amounts;
pub mod calendar;
pub mod catalog;
pub mod clerk;
pub mod error_kind;
pub mod exact;
pub mod field;
pub mod ids;
pub mod limits;
pub mod master;
pub mod money;
pub mod pricing;
pub mod rejection;
pub mod report;
pub mod sell_bill;
pub mod settlement;
#[cfg(any(test, feature = "testing"))]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use error_kind::ErrorKind;

/// Runs the examples of `README.md` as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
