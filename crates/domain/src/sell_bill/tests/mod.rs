//! Sell bill rules: one test per rule of CONTRACT §5, and properties over random sequences.

pub(crate) mod fixture;
mod operations;
mod payments;
mod properties;
mod validation;
