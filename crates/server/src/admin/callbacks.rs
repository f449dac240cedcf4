//! `GET /admin/v1/callbacks?status=…[&billNum=…][&limit=…]` and
//! `POST /admin/v1/callbacks/{eventId}/retry` (CONTRACT §9): the outbox as operators see it, and
//! redelivery on demand.
//!
//! `status` is `pending`, `failing`, `dead`, `delivered`, or `failed` (failing or dead); absent,
//! every status. Events are listed oldest first, at most `limit` (default 100, at most 1000).
//! A retry schedules the event (dead ones included) for an attempt now and answers
//! `{"scheduled": n}`: 1 (a delivered event is replayed, with its id), or 0 when no event has
//! that id.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use posbridge_domain::ids::BillNum;
use posbridge_protocol::json::write_json;
use posbridge_protocol::node::{List, Node};
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_store::model::{
    EventFilter, EventPayload, EventStatus, EventSubject, OutboxEvent, RetrySelector,
};

use super::document::{object, optional, text};
use super::{admin_error, json_answer};
use crate::app::App;
use crate::error::ApiError;
use crate::query::Query;

/// Events listed when `limit` is absent.
const LIMIT_DEFAULT: u32 = 100;
/// The most events one listing answers.
const LIMIT_MAX: u32 = 1000;

/// Lists outbox events.
pub(super) async fn list(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    let query = Query::parse(query.as_deref().unwrap_or(""));
    let filter = match filter(&query) {
        Ok(filter) => filter,
        Err(error) => return admin_error(error),
    };
    match app.store().events(&filter).await {
        Ok(events) => json_answer(listing_json(&events, app.offset)),
        Err(error) => admin_error(error.into()),
    }
}

/// Schedules one event for an attempt now.
pub(super) async fn retry(State(app): State<App>, Path(event_id): Path<String>) -> Response {
    let id = event_id
        .strip_prefix("evt_")
        .unwrap_or(&event_id)
        .parse::<i64>();
    let Ok(id) = id else {
        return admin_error(ApiError::invalid("eventId", "must be evt_<number>"));
    };
    match app
        .store()
        .retry_events(&RetrySelector::Event(id), app.now())
        .await
    {
        Ok(scheduled) => json_answer(format!(r#"{{"scheduled":{scheduled}}}"#)),
        Err(error) => admin_error(error.into()),
    }
}

fn filter(query: &Query) -> Result<EventFilter, ApiError> {
    let statuses = match query.get("status") {
        None => Vec::new(),
        Some(text) if text.eq_ignore_ascii_case("failed") => {
            vec![EventStatus::Failing, EventStatus::Dead]
        }
        Some(text) => vec![
            EventStatus::parse(&text.to_ascii_lowercase()).ok_or_else(|| {
                ApiError::invalid(
                    "status",
                    "must be pending, failing, dead, delivered or failed",
                )
            })?,
        ],
    };
    let limit = match query.get("limit") {
        None => LIMIT_DEFAULT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=LIMIT_MAX).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", format!("must be 1 to {LIMIT_MAX}")))?,
    };
    let subject = query
        .get("billNum")
        .map(|bill| EventSubject::Bill(BillNum::new(bill)));
    Ok(EventFilter {
        statuses,
        subject,
        limit,
    })
}

/// The listing document `{"callbacks": [...]}` of `events`, as the admin route and the CLI's
/// `callbacks list --json` print it.
pub fn listing_json(events: &[OutboxEvent], offset: UtcOffset) -> String {
    write_json(&listing(events, offset))
}

fn listing(events: &[OutboxEvent], offset: UtcOffset) -> Node {
    let items = events.iter().map(|event| entry(event, offset)).collect();
    object(vec![("callbacks", Node::List(List { item: None, items }))])
}

fn entry(event: &OutboxEvent, offset: UtcOffset) -> Node {
    let bill_num = match &event.payload {
        EventPayload::Bill(record) => Some(record.bill_num.to_string()),
        EventPayload::Settlement(record) => Some(record.settlement.content.bill_num.clone()),
    };
    let next_attempt = (event.status != EventStatus::Delivered)
        .then(|| format_rfc3339(event.next_attempt_at, offset));
    object(vec![
        ("id", text(event.wire_id())),
        ("type", text(&event.kind)),
        ("account", text(&event.account_id)),
        ("billNum", optional(bill_num)),
        ("status", text(event.status.as_str())),
        ("attempts", Node::Int(i64::from(event.attempts))),
        (
            "lastStatusCode",
            event
                .last_status_code
                .map_or(Node::Null(None), |code| Node::Int(i64::from(code))),
        ),
        ("lastError", optional(event.last_error.as_ref())),
        ("createdAt", text(format_rfc3339(event.occurred_at, offset))),
        ("nextAttemptAt", optional(next_attempt)),
    ])
}
