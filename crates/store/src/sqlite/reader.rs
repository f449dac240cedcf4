//! Read connections: reads run in blocking tasks on their own connections (WAL lets them
//! proceed while the writer commits), each in a read transaction for a consistent snapshot.

use std::path::PathBuf;
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
}

impl ReaderPool {
    /// A pool over the database at `path`.
    pub fn new(path: PathBuf, keep: usize) -> ReaderPool {
        ReaderPool {
            path,
            idle: Arc::new(Mutex::new(Vec::new())),
            keep,
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
        tokio::task::spawn_blocking(move || {
            let taken = idle.lock().ok().and_then(|mut idle| idle.pop());
            let mut conn = match taken {
                Some(conn) => conn,
                None => super::connect(&path)?,
            };
            let result = read(&mut conn);
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
