//! posbridge's persistence: one async [`Store`] trait and two backends that pass one conformance
//! suite (CONTRACT §3, §5–§7, §9, §11).
//!
//! - [`sqlite`]: the embedded default (`sqlite://PATH`). WAL, `synchronous=FULL`, foreign keys
//!   on; one writer thread group-commits the transactions waiting at that moment, and no caller
//!   is answered before the commit has synced. Reads use their own connections.
//! - [`postgres`]: scale-out (`postgres://…`). Pooled connections; concurrency is resolved by
//!   constraints, row locks and retried transactions, never by process memory, so several server
//!   processes can share one database.
//!
//! The rules themselves live in `posbridge-domain`; the operations (`ops`) are written once over
//! the transaction primitives each backend implements (`tx`), so both apply them identically.
//! Idempotency keys (customer unit + `SenderBillNum`, bill + `PayNum`, merchant + settlement
//! `BillNum`) are unique constraints, and the settled-quantity ledger is checked inside the
//! writing transaction, so they hold across processes.

pub mod api;
mod codec;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod error;
mod migrate;
pub mod model;
mod ops;
pub mod postgres;
pub mod sqlite;
mod tx;

use std::sync::Arc;

pub use api::{Actor, Store};
pub use error::{OpError, OpResult, StoreError};

/// Opens the database a URL names, running pending migrations: `sqlite://PATH` or
/// `postgres://…` (also `postgresql://…`).
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let store = sqlite::SqliteStore::open(path, sqlite::SqliteOptions::default()).await?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store =
            postgres::PostgresStore::connect(url, postgres::PostgresOptions::default()).await?;
        Ok(Arc::new(store))
    } else {
        Err(StoreError::Unavailable(format!(
            "unsupported database URL (expected sqlite://PATH or postgres://…): {}",
            redact(url)
        )))
    }
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _password)) => {
                    format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_show() {
        for (url, shown) in [
            (
                "postgres://u:secret@h:5432/db",
                "postgres://u:***@h:5432/db",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("sqlite://posbridge.db", "sqlite://posbridge.db"),
        ] {
            assert_eq!(redact(url), shown);
        }
    }
}
