//! The callback outbox on PostgreSQL: appending events, claiming due ones for delivery (in order
//! per subject, each claimed by one worker of any process at a time), and recording attempts.

use posbridge_domain::calendar::Timestamp;
use tokio_postgres::Row;

use super::sql::{column, timestamp_column, u32_column};
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;
use crate::model::{
    AttemptVerdict, ClaimLimits, DeliveryAttempt, EventFilter, EventStatus, OutboxEvent,
    RetrySelector,
};
use crate::tx::NewEvent;

/// The columns of an event, in the shape [`event`] reads.
const EVENT_COLUMNS: &str = "id, account_id, subject_kind, subject, sequence, kind, occurred_at, \
     status, attempts, next_attempt_at, last_status_code, last_error, document";

/// Appends an event, due at once; answers its id.
pub(crate) async fn insert(tx: &PgTx<'_>, event: NewEvent<'_>) -> Result<i64, StoreError> {
    let (subject_kind, subject) = codec::event::subject_columns(event.subject);
    let row = tx
        .query_one(
            "INSERT INTO outbox (account_id, subject_kind, subject, sequence, kind, occurred_at, \
             status, attempts, next_attempt_at, document) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6, $7) RETURNING id",
            &[
                &event.account_id,
                &subject_kind,
                &subject,
                &i64::from(event.sequence),
                &event.kind,
                &event.occurred_at.0,
                &event.document,
            ],
            "inserted outbox event",
        )
        .await?;
    column(&row, "id")
}

/// Events matching `filter`, oldest first; a limit of 0 means no limit.
/// Events per status.
pub(crate) async fn event_counts(tx: &PgTx<'_>) -> Result<Vec<(EventStatus, u64)>, StoreError> {
    let rows = tx
        .query(
            "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status",
            &[],
        )
        .await?;
    let mut counted = Vec::with_capacity(rows.len());
    for row in &rows {
        let n = column::<i64>(row, "n")?;
        counted.push((
            column::<String>(row, "status")?,
            u64::try_from(n).unwrap_or(0),
        ));
    }
    Ok(EventStatus::counts(counted))
}

pub(crate) async fn events(
    tx: &PgTx<'_>,
    filter: &EventFilter,
) -> Result<Vec<OutboxEvent>, StoreError> {
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    let subject = filter.subject.as_ref().map(codec::event::subject_columns);
    let subject_kind = subject.as_ref().map(|(kind, _)| *kind);
    let subject_key = subject.as_ref().map(|(_, key)| key.as_str());
    let limit = match filter.limit {
        0 => i64::MAX,
        limit => i64::from(limit),
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM outbox \
         WHERE (cardinality($1::text[]) = 0 OR status = ANY($1)) \
         AND ($2::text IS NULL OR (subject_kind = $2 AND subject = $3)) \
         ORDER BY id LIMIT $4"
    );
    let rows = tx
        .query(&sql, &[&statuses, &subject_kind, &subject_key, &limit])
        .await?;
    rows.iter().map(event).collect()
}

/// Claims due events until `lease_until`, within `limits`.
///
/// An event is due when it is pending or failing, its `next_attempt_at` has come, and no earlier
/// event of its subject is still pending or failing (delivery in order per subject). Each due
/// event is ranked within its account, oldest first, and taken only while the rank plus the
/// caller's events of that account in flight stays within the account's limit (a window function
/// cannot sit beside `FOR UPDATE`, so the ranking is a CTE and the lock is taken on the outer
/// select). Claiming moves `next_attempt_at` to the lease's end, so no one claims it again before
/// then; `SKIP LOCKED` lets concurrent claimers (other processes) pass over the events one of
/// them is claiming instead of waiting, which can only make a claim smaller. The due conditions
/// are repeated on the locked row itself, so a claimer that meets a row claimed since its
/// snapshot re-checks them against the committed lease.
pub(crate) async fn claim_due(
    tx: &PgTx<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limits: &ClaimLimits,
) -> Result<Vec<OutboxEvent>, StoreError> {
    let sql = format!(
        "WITH busy AS ( \
             SELECT * FROM unnest($5::text[], $6::int8[]) AS b(account_id, n)), \
         ranked AS ( \
             SELECT o.id, o.account_id, \
                 row_number() OVER (PARTITION BY o.account_id ORDER BY o.id) AS account_rank \
             FROM outbox o \
             WHERE o.status IN ('pending', 'failing') AND o.next_attempt_at <= $1 \
             AND o.account_id <> ALL($7::text[]) \
             AND NOT EXISTS ( \
                 SELECT 1 FROM outbox earlier \
                 WHERE earlier.subject_kind = o.subject_kind AND earlier.subject = o.subject \
                 AND earlier.sequence < o.sequence \
                 AND earlier.status IN ('pending', 'failing'))), \
         due AS ( \
             SELECT o.id FROM outbox o \
             JOIN ranked r ON r.id = o.id \
             LEFT JOIN busy b ON b.account_id = r.account_id \
             WHERE r.account_rank + COALESCE(b.n, 0) <= $4 \
             AND o.status IN ('pending', 'failing') AND o.next_attempt_at <= $1 \
             ORDER BY o.id LIMIT $3 \
             FOR UPDATE OF o SKIP LOCKED) \
         UPDATE outbox SET next_attempt_at = $2 FROM due WHERE outbox.id = due.id \
         RETURNING {}",
        qualified_event_columns("outbox")
    );
    let (accounts, in_flight): (Vec<&str>, Vec<i64>) = limits
        .in_flight
        .iter()
        .map(|(account, n)| (account.as_str(), i64::from(*n)))
        .unzip();
    let full = limits.full_accounts();
    let rows = tx
        .query(
            &sql,
            &[
                &now.0,
                &lease_until.0,
                &i64::from(limits.total),
                &i64::from(limits.per_account),
                &accounts,
                &in_flight,
                &full,
            ],
        )
        .await?;
    let mut claimed = rows.iter().map(event).collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|e| e.id);
    Ok(claimed)
}

/// Records an attempt in the delivery log and the event's fate.
pub(crate) async fn record_attempt(
    tx: &PgTx<'_>,
    event_id: i64,
    attempt: &DeliveryAttempt,
) -> Result<(), StoreError> {
    let (status, next_attempt_at) = match attempt.next {
        AttemptVerdict::Delivered => (EventStatus::Delivered, None),
        AttemptVerdict::RetryAt(at) => (EventStatus::Failing, Some(at.0)),
        AttemptVerdict::Dead => (EventStatus::Dead, None),
    };
    let status_code = attempt.status_code.map(i64::from);
    let changed = tx
        .execute(
            "UPDATE outbox SET attempts = attempts + 1, last_status_code = $2, last_error = $3, \
             status = $4, next_attempt_at = COALESCE($5, next_attempt_at) WHERE id = $1",
            &[
                &event_id,
                &status_code,
                &attempt.error,
                &status.as_str(),
                &next_attempt_at,
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("outbox event {event_id}")));
    }
    tx.execute(
        "INSERT INTO delivery_attempts (event_id, at, status_code, error, latency_ms) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &event_id,
            &attempt.at.0,
            &status_code,
            &attempt.error,
            &i64::from(attempt.latency_ms),
        ],
    )
    .await?;
    Ok(())
}

/// Schedules the events `selector` names for an attempt at `now`, keeping their attempt counts;
/// answers how many. One event named by id is scheduled whatever its status (a replay of a
/// delivered one); a bill or an instant selects only undelivered events (dead ones included).
pub(crate) async fn retry(
    tx: &PgTx<'_>,
    selector: &RetrySelector,
    now: Timestamp,
) -> Result<u64, StoreError> {
    const RESCHEDULE: &str =
        "UPDATE outbox SET status = 'pending', next_attempt_at = $1 WHERE status <> 'delivered'";
    match selector {
        RetrySelector::Event(id) => {
            let sql = "UPDATE outbox SET status = 'pending', next_attempt_at = $1 WHERE id = $2";
            tx.execute(sql, &[&now.0, id]).await
        }
        RetrySelector::Bill(bill_num) => {
            let sql = format!("{RESCHEDULE} AND subject_kind = 'bill' AND subject = $2");
            tx.execute(&sql, &[&now.0, &bill_num.as_str()]).await
        }
        RetrySelector::Since(since) => {
            let sql = format!("{RESCHEDULE} AND occurred_at >= $2");
            tx.execute(&sql, &[&now.0, &since.0]).await
        }
    }
}

/// [`EVENT_COLUMNS`], each qualified by `table` (an `UPDATE … FROM` sees two sources).
fn qualified_event_columns(table: &str) -> String {
    EVENT_COLUMNS
        .split(',')
        .map(|name| format!("{table}.{}", name.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn event(row: &Row) -> Result<OutboxEvent, StoreError> {
    let subject_kind: String = column(row, "subject_kind")?;
    let status: String = column(row, "status")?;
    let last_status_code = column::<Option<i64>>(row, "last_status_code")?
        .map(|code| {
            u16::try_from(code)
                .map_err(|_| StoreError::Corrupt(format!("outbox status code {code}")))
        })
        .transpose()?;
    Ok(OutboxEvent {
        id: column(row, "id")?,
        account_id: column(row, "account_id")?,
        subject: codec::event::subject(&subject_kind, &column::<String>(row, "subject")?)?,
        sequence: u32_column(row, "sequence")?,
        kind: column(row, "kind")?,
        occurred_at: timestamp_column(row, "occurred_at")?,
        status: EventStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("outbox status {status:?}")))?,
        attempts: u32_column(row, "attempts")?,
        next_attempt_at: timestamp_column(row, "next_attempt_at")?,
        last_status_code,
        last_error: column(row, "last_error")?,
        payload: codec::event::payload(&subject_kind, &column::<String>(row, "document")?)?,
    })
}
