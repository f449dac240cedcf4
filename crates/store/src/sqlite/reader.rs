//! Read connections: reads run in blocking tasks on their own connections (WAL lets them
//! proceed while the writer commits), each in a read transaction for a consistent snapshot.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::error::sql_error;
use super::tx::SqliteTx;
use crate::error::StoreError;

/// A small pool of read connections, opened on demand and kept up to `keep`.
pub struct ReaderPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
    keep: usize,
    /// Connections taken from the pool or opened, and not yet returned or closed.
    busy: Arc<AtomicUsize>,
}

/// The read connections right now.
pub struct ReaderStatus {
    /// Connections kept open when idle.
    pub max: usize,
    /// Connections open: idle plus in use.
    pub open: usize,
    /// Connections idle in the pool.
    pub idle: usize,
}

impl ReaderPool {
    /// A pool over the database at `path`.
    pub fn new(path: PathBuf, keep: usize) -> ReaderPool {
        ReaderPool {
            path,
            idle: Arc::new(Mutex::new(Vec::new())),
            keep,
            busy: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The connections right now.
    pub fn status(&self) -> ReaderStatus {
        let idle = self.idle.lock().map_or(0, |idle| idle.len());
        ReaderStatus {
            max: self.keep,
            open: idle + self.busy.load(Ordering::Relaxed),
            idle,
        }
    }

    /// Runs `read` on a connection.
    pub async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let path = self.path.clone();
        let idle = Arc::clone(&self.idle);
        let keep = self.keep;
        let busy = Arc::clone(&self.busy);
        tokio::task::spawn_blocking(move || {
            let taken = idle.lock().ok().and_then(|mut idle| idle.pop());
            let mut conn = match taken {
                Some(conn) => conn,
                None => super::connect(&path)?,
            };
            busy.fetch_add(1, Ordering::Relaxed);
            let result = read(&mut conn);
            busy.fetch_sub(1, Ordering::Relaxed);
            if let Ok(mut idle) = idle.lock()
                && idle.len() < keep
            {
                idle.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("sqlite read task: {e}")))?
    }

    /// Runs `read` inside a read transaction (one snapshot for all its queries).
    pub async fn read_tx<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteTx<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.read(move |conn| {
            conn.execute_batch("BEGIN DEFERRED").map_err(sql_error)?;
            let result = read(&mut SqliteTx::new(conn));
            // A read transaction wrote nothing; ending it cannot lose data.
            let _ = conn.execute_batch("COMMIT");
            result
        })
        .await
    }
}
