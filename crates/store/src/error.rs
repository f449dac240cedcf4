//! The store's errors: a small normalised set both backends map their native errors into, and
//! [`OpError`], which adds the domain's refusal of an operation.

/// What went wrong in the database, whatever the backend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A row the operation needs does not exist (a broken reference, not a business "not found").
    #[error("not found: {0}")]
    NotFound(String),
    /// A uniqueness or integrity constraint refused the write (SQLite 2067/1555/275,
    /// PostgreSQL 23505/23514); operations retry these, so one that escapes is a real conflict.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or refused to work (I/O, connection, shutdown, timeout).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data cannot be read back into valid domain values.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// An operation's failure: the domain refused it (nothing was written), or the store failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpError<E> {
    /// The business rules refused the request; the error says which rule.
    #[error(transparent)]
    Refused(E),
    /// The store failed; the request may be retried.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E> OpError<E> {
    /// The domain error, if the rules refused the request.
    pub fn refused(&self) -> Option<&E> {
        match self {
            OpError::Refused(e) => Some(e),
            OpError::Store(_) => None,
        }
    }
}

/// Shorthand for operation results.
pub type OpResult<T, E> = Result<T, OpError<E>>;
