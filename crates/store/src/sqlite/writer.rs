//! The group-committing writer: one thread, one connection, one commit per batch of waiting
//! writes, each write in its own savepoint, every caller answered only after the commit.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::error::sql_error;
use super::tx::SqliteTx;
use crate::error::StoreError;

/// Whether a write's effects are kept: a refused or failed operation rolls back its savepoint.
pub trait Keep {
    /// `true` to keep what the operation wrote.
    fn keep(&self) -> bool;
}

impl<T, E> Keep for Result<T, E> {
    fn keep(&self) -> bool {
        self.is_ok()
    }
}

/// One queued write: run inside the batch, then finished with the batch's commit result.
trait WriteJob: Send {
    /// Runs the operation; answers whether to keep its writes.
    fn run(&mut self, tx: &mut SqliteTx<'_>) -> bool;
    /// Answers the caller once the batch is committed (or failed).
    fn finish(self: Box<Self>, commit: Result<(), StoreError>);
}

struct Queued<F, R> {
    op: Option<F>,
    result: Option<R>,
    reply: oneshot::Sender<Result<R, StoreError>>,
}

impl<F, R> WriteJob for Queued<F, R>
where
    R: Keep + Send + 'static,
    F: FnOnce(&mut SqliteTx<'_>) -> R + Send + 'static,
{
    fn run(&mut self, tx: &mut SqliteTx<'_>) -> bool {
        let Some(op) = self.op.take() else {
            return false;
        };
        let result = op(tx);
        let keep = result.keep();
        self.result = Some(result);
        keep
    }

    fn finish(self: Box<Self>, commit: Result<(), StoreError>) {
        let answer = match (commit, self.result) {
            (Ok(()), Some(result)) => Ok(result),
            (Err(error), _) => Err(error),
            (Ok(()), None) => Err(StoreError::Unavailable("the write did not run".into())),
        };
        // The caller may have gone away (a dropped request); its write stands anyway.
        let _ = self.reply.send(answer);
    }
}

type Job = Box<dyn WriteJob>;

/// The handle callers enqueue writes on.
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `conn`.
    pub fn spawn(conn: Connection, batch_max: usize, queue: usize) -> Result<Writer, StoreError> {
        let (jobs, receiver) = mpsc::channel::<Job>(queue.max(1));
        std::thread::Builder::new()
            .name("posbridge-sqlite-writer".into())
            .spawn(move || run(conn, receiver, batch_max.max(1)))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the sqlite writer: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Writes waiting in the queue, not yet taken into a batch.
    pub fn queued(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Runs `op` in the next group commit and answers its result once the commit has synced;
    /// a failed commit answers `Err` (and nothing of the batch is stored).
    pub async fn write<R, F>(&self, op: F) -> Result<R, StoreError>
    where
        R: Keep + Send + 'static,
        F: FnOnce(&mut SqliteTx<'_>) -> R + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<R, StoreError>>();
        let job: Job = Box::new(Queued {
            op: Some(op),
            result: None,
            reply,
        });
        let stopped = || StoreError::Unavailable("the sqlite writer has stopped".into());
        self.jobs.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn run(mut conn: Connection, mut jobs: mpsc::Receiver<Job>, batch_max: usize) {
    let mut batch = Vec::with_capacity(batch_max);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < batch_max {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit = run_batch(&mut conn, &mut batch);
        for job in batch.drain(..) {
            job.finish(commit.clone());
        }
    }
}

/// Runs every job of the batch in one transaction and commits it.
fn run_batch(conn: &mut Connection, batch: &mut [Job]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sql_error)?;
    for job in batch.iter_mut() {
        let outcome = run_statement(conn, "SAVEPOINT job").and_then(|()| {
            let keep = job.run(&mut SqliteTx::new(conn));
            if !keep {
                run_statement(conn, "ROLLBACK TO job")?;
            }
            run_statement(conn, "RELEASE job")
        });
        if let Err(error) = outcome {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(error);
        }
    }
    conn.execute_batch("COMMIT")
        .map_err(sql_error)
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })
}

/// Runs a statement without parameters through the statement cache: the savepoint statements run
/// twice per write, and parsing them each time showed in profiles.
fn run_statement(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.execute([]))
        .map(drop)
        .map_err(sql_error)
}

/// Runs a store operation on SQLite to completion. The SQLite primitives never suspend (the
/// connection is synchronous), so one poll completes the future.
pub fn run_now<T, E: From<StoreError>>(future: impl Future<Output = Result<T, E>>) -> Result<T, E> {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(E::from(StoreError::Unavailable(
            "a sqlite operation suspended, which it never should".into(),
        ))),
    }
}
