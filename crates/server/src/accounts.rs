//! A short-lived cache of accounts by token hash: every Web API request authenticates, and the
//! store lookup (a database read) would otherwise be on the path of each one.
//!
//! Entries live for [`TTL_MS`] of the server clock; an import through this server clears the
//! cache at once, and a change made by another process (PostgreSQL scale-out) is seen within the
//! TTL. Unknown tokens are never cached, so guessing cannot fill memory; the cache is emptied
//! when it reaches [`ENTRIES_MAX`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::master::Account;

/// How long a cached account is trusted, in milliseconds.
pub const TTL_MS: i64 = 5_000;
/// The most accounts kept.
pub const ENTRIES_MAX: usize = 10_000;

/// Accounts by the SHA-256 of their token, with the instant each was read.
type Entries = HashMap<[u8; 32], (Account, Timestamp)>;

/// A shared cache of authenticated accounts.
#[derive(Debug, Clone, Default)]
pub struct AccountCache {
    entries: Arc<Mutex<Entries>>,
}

impl AccountCache {
    /// The cached account of `hash`, if it was read less than [`TTL_MS`] before `now`.
    pub fn get(&self, hash: &[u8; 32], now: Timestamp) -> Option<Account> {
        let entries = self.entries.lock().ok()?;
        let (account, read_at) = entries.get(hash)?;
        let age = now.0.saturating_sub(read_at.0);
        (0..TTL_MS).contains(&age).then(|| account.clone())
    }

    /// Remembers `account` as read at `now`.
    pub fn put(&self, hash: [u8; 32], account: Account, now: Timestamp) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= ENTRIES_MAX {
                entries.clear();
            }
            entries.insert(hash, (account, now));
        }
    }

    /// Forgets every account (after master data changed).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use posbridge_domain::ids::MerchantId;
    use posbridge_domain::master::AccountScope;

    use super::*;

    fn account() -> Account {
        Account {
            id: "m-2".into(),
            scope: AccountScope::Merchant {
                merchant_id: MerchantId(2),
            },
            token_sha256: Some([1; 32]),
            callback: None,
        }
    }

    #[test]
    fn entries_expire_and_clear() {
        let cache = AccountCache::default();
        cache.put([1; 32], account(), Timestamp(1_000));
        assert_eq!(cache.get(&[1; 32], Timestamp(1_000)), Some(account()));
        assert_eq!(cache.get(&[1; 32], Timestamp(5_999)), Some(account()));
        assert_eq!(cache.get(&[1; 32], Timestamp(6_000)), None);
        // A clock that went backwards does not make an entry young again.
        assert_eq!(cache.get(&[1; 32], Timestamp(999)), None);
        assert_eq!(cache.get(&[2; 32], Timestamp(1_000)), None);
        cache.clear();
        assert_eq!(cache.get(&[1; 32], Timestamp(1_000)), None);
    }
}
