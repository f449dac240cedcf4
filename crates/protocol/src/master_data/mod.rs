//! The master data document of CONTRACT §3, read into
//! [`MasterData`](posbridge_domain::master::MasterData) and written back.
//!
//! This is posbridge's own format, not a .NET one, so it is strict where the Web API formats are
//! lenient: keys are camelCase exactly as §3 spells them, and an unknown key anywhere is an error
//! that names it (a typo in master data must not pass silently). Every list may be left out; a
//! document upserts what it lists.
//!
//! - Decimals (`rebateRate`, `quantity`, the three prices) are strings or JSON numbers, parsed
//!   exactly from their text by [`crate::decimal_text`], never through a float. Rates are checked
//!   by `RebateRate::new`, prices by `UnitPrice::new`.
//! - A channel or merchant account's `token` is hashed with SHA-256 at once; only the hash is kept.
//!   An account may instead carry `tokenSha256` (64 hex digits), which is what [`write_master_data`]
//!   writes: an export never contains a token, and importing an export restores the accounts with
//!   the same hashes, so the same tokens keep working.
//! - ERP accounts carry `appKey`, `secret`, `customerId` and `shopIds` and no token (they sign).
//! - `callbackUrl` is optional on every account; `callbackSecret` only goes with a `callbackUrl`.
//!
//! Errors name the entity and field by their position, as in
//! `accounts[2].kind: unknown account kind "foo" (expected channel, merchant or erp)`.
//! References between entities are not checked here: that is
//! `MasterData::check_references`, which also sees what is already stored.

mod read;
mod write;

pub use read::{MasterDataReadError, Problem, read_master_data};
pub use write::write_master_data;

#[cfg(test)]
mod tests;
