//! Settlement rules: one test per rule of CONTRACT §6, and properties over random sequences.

mod fixture;
mod properties;
mod rules;
mod validation;
