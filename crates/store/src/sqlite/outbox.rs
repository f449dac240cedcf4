//! Clerks and the callback outbox on SQLite.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::clerk::{ClerkChange, ClerkKey, StoredClerk};
use posbridge_domain::ids::ShopId;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::error::sql_error;
use crate::codec;
use crate::error::StoreError;
use crate::model::{
    AttemptVerdict, ClaimLimits, ClerkEntry, DeliveryAttempt, EventFilter, EventStatus,
    OutboxEvent, RetrySelector,
};
use crate::tx::NewEvent;

/// The stored clerks with these keys.
pub fn clerks_by_keys(
    conn: &Connection,
    keys: &BTreeSet<ClerkKey>,
) -> Result<BTreeMap<ClerkKey, StoredClerk>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT deleted, document FROM clerks WHERE store_code = ?1 AND clerk_code = ?2",
        )
        .map_err(sql_error)?;
    let mut found = BTreeMap::new();
    for key in keys {
        let row: Option<(bool, String)> = stmt
            .query_row(params![key.store_code.as_str(), key.clerk_code], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(sql_error)?;
        if let Some((deleted, document)) = row {
            let clerk = codec::clerk::decode(&document)?;
            found.insert(key.clone(), StoredClerk { clerk, deleted });
        }
    }
    Ok(found)
}

/// Writes one planned change and its history entry.
pub fn write_clerk(
    conn: &Connection,
    change: &ClerkChange,
    now: Timestamp,
) -> Result<(), StoreError> {
    let (clerk, deleted, name) = match change {
        ClerkChange::Insert { clerk } => (clerk, false, "insert"),
        ClerkChange::Revive { clerk } => (clerk, false, "revive"),
        ClerkChange::Update { clerk } => (clerk, false, "update"),
        ClerkChange::Delete { clerk } => (clerk, true, "delete"),
        ClerkChange::Unchanged { .. }
        | ClerkChange::SkippedStale { .. }
        | ClerkChange::DeleteMissing { .. } => return Ok(()),
    };
    let document = codec::clerk::encode(clerk);
    let key = clerk.key();
    let insert_only = matches!(change, ClerkChange::Insert { .. });
    let sql = if insert_only {
        "INSERT INTO clerks (store_code, clerk_code, deleted, updated_at, document)
         VALUES (?1, ?2, ?3, ?4, ?5)"
    } else {
        "INSERT INTO clerks (store_code, clerk_code, deleted, updated_at, document)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (store_code, clerk_code) DO UPDATE SET deleted = excluded.deleted,
            updated_at = excluded.updated_at, document = excluded.document"
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(params![
                key.store_code.as_str(),
                key.clerk_code,
                deleted,
                now.0,
                document
            ])
        })
        .map_err(sql_error)?;
    conn.prepare_cached(
        "INSERT INTO clerk_history (store_code, clerk_code, change, at, document)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            key.store_code.as_str(),
            key.clerk_code,
            name,
            now.0,
            document
        ])
    })
    .map_err(sql_error)?;
    Ok(())
}

/// The clerks of a shop, by clerk code.
pub fn list_clerks(
    conn: &Connection,
    shop: &ShopId,
    include_deleted: bool,
) -> Result<Vec<ClerkEntry>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT deleted, updated_at, document FROM clerks
             WHERE store_code = ?1 AND (?2 OR deleted = 0) ORDER BY clerk_code",
        )
        .map_err(sql_error)?;
    let rows = stmt
        .query_map(params![shop.as_str(), include_deleted], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(sql_error)?;
    rows.map(|row| {
        let (deleted, updated_at, document) = row.map_err(sql_error)?;
        Ok(ClerkEntry {
            stored: StoredClerk {
                clerk: codec::clerk::decode(&document)?,
                deleted,
            },
            updated_at: Timestamp(updated_at),
        })
    })
    .collect()
}

/// Appends an event, due at once.
pub fn insert_event(conn: &Connection, event: NewEvent<'_>) -> Result<i64, StoreError> {
    let (kind, subject) = codec::event::subject_columns(event.subject);
    conn.prepare_cached(
        "INSERT INTO outbox (account_id, subject_kind, subject, sequence, kind, occurred_at,
            status, next_attempt_at, document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            event.account_id,
            kind,
            subject,
            event.sequence,
            event.kind,
            event.occurred_at.0,
            event.document
        ])
    })
    .map_err(sql_error)?;
    Ok(conn.last_insert_rowid())
}

const EVENT_COLUMNS: &str = "id, account_id, subject_kind, subject, sequence, kind, occurred_at, \
    status, attempts, next_attempt_at, last_status_code, last_error, document";

type EventRow = (
    i64,
    String,
    String,
    String,
    u32,
    String,
    i64,
    String,
    u32,
    i64,
    Option<u16>,
    Option<String>,
    String,
);

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

fn event(row: EventRow) -> Result<OutboxEvent, StoreError> {
    let (id, account_id, subject_kind, subject, sequence, kind, occurred_at, status, attempts) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    Ok(OutboxEvent {
        id,
        account_id,
        subject: codec::event::subject(&subject_kind, &subject)?,
        sequence,
        kind,
        occurred_at: Timestamp(occurred_at),
        status: EventStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("outbox status {status:?}")))?,
        attempts,
        next_attempt_at: Timestamp(row.9),
        last_status_code: row.10,
        last_error: row.11,
        payload: codec::event::payload(&subject_kind, &row.12)?,
    })
}

fn query_events(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<OutboxEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_error)?;
    let rows = stmt.query_map(params, event_row).map_err(sql_error)?;
    rows.map(|r| r.map_err(sql_error).and_then(event)).collect()
}

/// Events matching `filter`, oldest first.
pub fn events(conn: &Connection, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    let statuses = serde_json::to_string(&statuses).unwrap_or_else(|_| "[]".into());
    let (kind, subject) = filter
        .subject
        .as_ref()
        .map(codec::event::subject_columns)
        .map_or((None, None), |(k, s)| (Some(k), Some(s)));
    let limit = if filter.limit == 0 {
        i64::MAX
    } else {
        i64::from(filter.limit)
    };
    query_events(
        conn,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM outbox
             WHERE (?1 = '[]' OR status IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR (subject_kind = ?2 AND subject = ?3))
             ORDER BY id LIMIT ?4"
        ),
        params![statuses, kind, subject, limit],
    )
}

/// Events per status.
pub fn event_counts(conn: &Connection) -> Result<Vec<(EventStatus, u64)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .map_err(sql_error)?;
    let counted = rows
        .map(|r| {
            r.map(|(status, n)| (status, u64::try_from(n).unwrap_or(0)))
                .map_err(sql_error)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(EventStatus::counts(counted))
}

/// Claims due events, each the oldest undelivered of its subject, until `lease_until`, within
/// `limits`.
///
/// The claim runs in the single write transaction, so it may pick in Rust: it walks the due
/// events oldest first (ids and accounts only; accounts with no room are passed over in SQL) and
/// takes each whose account still has room, then leases and reads the ones taken.
pub fn claim_due_events(
    conn: &Connection,
    now: Timestamp,
    lease_until: Timestamp,
    limits: &ClaimLimits,
) -> Result<Vec<OutboxEvent>, StoreError> {
    let full = serde_json::to_string(&limits.full_accounts()).unwrap_or_else(|_| "[]".into());
    let total = usize::try_from(limits.total).unwrap_or(usize::MAX);
    let mut taken: Vec<i64> = Vec::new();
    {
        let mut due = conn
            .prepare_cached(
                "SELECT o.id, o.account_id FROM outbox AS o
                 WHERE o.status IN ('pending', 'failing') AND o.next_attempt_at <= ?1
                   AND o.account_id NOT IN (SELECT value FROM json_each(?2))
                   AND NOT EXISTS (SELECT 1 FROM outbox AS p
                       WHERE p.subject_kind = o.subject_kind AND p.subject = o.subject
                         AND p.sequence < o.sequence AND p.status IN ('pending', 'failing'))
                 ORDER BY o.id",
            )
            .map_err(sql_error)?;
        let mut rows = due.query(params![now.0, full]).map_err(sql_error)?;
        let mut per_account: BTreeMap<String, u32> = BTreeMap::new();
        while taken.len() < total {
            let Some(row) = rows.next().map_err(sql_error)? else {
                break;
            };
            let id: i64 = row.get(0).map_err(sql_error)?;
            let account: String = row.get(1).map_err(sql_error)?;
            let room = limits.room(&account);
            let n = per_account.entry(account).or_default();
            if *n < room {
                *n += 1;
                taken.push(id);
            }
        }
    }
    let mut lease = conn
        .prepare_cached("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1")
        .map_err(sql_error)?;
    let select = format!("SELECT {EVENT_COLUMNS} FROM outbox WHERE id = ?1");
    let mut claimed = Vec::with_capacity(taken.len());
    for id in taken {
        lease
            .execute(params![id, lease_until.0])
            .map_err(sql_error)?;
        claimed.extend(query_events(conn, &select, params![id])?);
    }
    Ok(claimed)
}

/// Records an attempt and the event's fate.
pub fn record_attempt(
    conn: &Connection,
    event_id: i64,
    attempt: &DeliveryAttempt,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO delivery_attempts (event_id, at, status_code, error, latency_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            event_id,
            attempt.at.0,
            attempt.status_code,
            attempt.error,
            attempt.latency_ms
        ])
    })
    .map_err(sql_error)?;
    let (status, next) = match attempt.next {
        AttemptVerdict::Delivered => (EventStatus::Delivered, None),
        AttemptVerdict::RetryAt(at) => (EventStatus::Failing, Some(at.0)),
        AttemptVerdict::Dead => (EventStatus::Dead, None),
    };
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET status = ?2, attempts = attempts + 1, last_status_code = ?3,
                last_error = ?4, next_attempt_at = COALESCE(?5, next_attempt_at)
             WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                event_id,
                status.as_str(),
                attempt.status_code,
                attempt.error,
                next
            ])
        })
        .map_err(sql_error)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!("outbox event {event_id}")))
    }
}

/// Schedules events for an attempt at `now`: one by id whatever its status, or undelivered ones.
pub fn retry_events(
    conn: &Connection,
    selector: &RetrySelector,
    now: Timestamp,
) -> Result<u64, StoreError> {
    // One event named by id is replayed even when delivered; bulk selections only redeliver.
    let (condition, value): (&str, Box<dyn rusqlite::ToSql>) = match selector {
        RetrySelector::Event(id) => ("id = ?2", Box::new(*id)),
        RetrySelector::Bill(bill_num) => (
            "status <> 'delivered' AND subject_kind = 'bill' AND subject = ?2",
            Box::new(bill_num.to_string()),
        ),
        RetrySelector::Since(at) => (
            "status <> 'delivered' AND occurred_at >= ?2",
            Box::new(at.0),
        ),
    };
    let changed = conn
        .prepare_cached(&format!(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?1 WHERE {condition}"
        ))
        .and_then(|mut s| s.execute(params![now.0, value]))
        .map_err(sql_error)?;
    Ok(u64::try_from(changed).unwrap_or(0))
}
