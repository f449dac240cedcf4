//! `posbridge callbacks list|retry` (CONTRACT §9, §12): the outbox as operators see it, straight
//! from the database, and redelivery of one event, one bill's events, or every event since a
//! moment. A running server's delivery worker picks the rescheduled events up.

use clap::{Args, Subcommand};
use posbridge_domain::ids::BillNum;
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_server::admin::callback_listing_json;
use posbridge_server::clock::{Clock, SystemClock};
use posbridge_server::listing::start_instant;
use posbridge_store::model::{EventFilter, EventStatus, EventSubject, RetrySelector};

use crate::failure::Failure;
use crate::{DatabaseArg, data};

/// What to do with the outbox.
#[derive(Debug, Subcommand)]
pub enum CallbacksCommand {
    /// List events, oldest first.
    List {
        /// `pending`, `failing`, `dead`, `delivered`, or `failed` (failing or dead).
        #[arg(long, value_parser = statuses)]
        status: Option<Statuses>,
        /// Only the events of this sell bill.
        #[arg(long = "bill", value_name = "BILLNUM")]
        bill: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        limit: u32,
        /// Print the admin API's JSON document.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Schedule events for an attempt now: one event by id whatever its status (a delivered one
    /// is replayed with the same id), or every undelivered one (dead included) of a bill or
    /// since a time.
    Retry {
        /// One event, `evt_<n>`; replayed even when delivered.
        #[arg(value_name = "EVENT_ID", required_unless_present_any = ["bill", "since"],
              conflicts_with_all = ["bill", "since"])]
        event: Option<String>,
        /// Every undelivered event of this sell bill.
        #[arg(long = "bill", value_name = "BILLNUM", conflicts_with = "since")]
        bill: Option<String>,
        /// Every undelivered event since this moment (RFC 3339, or yyyyMMdd in the time zone).
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

/// The database and the time zone times are shown in (the local commands that show times).
#[derive(Debug, Args)]
pub struct Common {
    /// The business time zone, a fixed offset `±HH:MM`.
    #[arg(long, value_name = "±HH:MM", env = "POSBRIDGE_TIMEZONE", default_value = "+08:00",
          value_parser = crate::timezone)]
    pub(crate) timezone: UtcOffset,
    #[command(flatten)]
    pub(crate) database: DatabaseArg,
}

/// The statuses a `--status` selects.
#[derive(Debug, Clone)]
pub struct Statuses(Vec<EventStatus>);

fn statuses(text: &str) -> Result<Statuses, String> {
    let text = text.trim().to_ascii_lowercase();
    if text == "failed" {
        return Ok(Statuses(vec![EventStatus::Failing, EventStatus::Dead]));
    }
    EventStatus::parse(&text)
        .map(|status| Statuses(vec![status]))
        .ok_or_else(|| "must be pending, failing, dead, delivered or failed".to_owned())
}

/// Runs a callbacks command.
pub async fn run(command: CallbacksCommand) -> Result<(), Failure> {
    match command {
        CallbacksCommand::List {
            status,
            bill,
            limit,
            json,
            common,
        } => {
            let url = &common.database.database;
            let store = data::open(url).await?;
            let filter = EventFilter {
                statuses: status.map(|s| s.0).unwrap_or_default(),
                subject: bill.map(|b| EventSubject::Bill(BillNum::new(b))),
                limit,
            };
            let events = store
                .events(&filter)
                .await
                .map_err(|err| Failure::store(url, &err))?;
            if json {
                println!("{}", callback_listing_json(&events, common.timezone));
                return Ok(());
            }
            for event in &events {
                let last = match (&event.last_status_code, &event.last_error) {
                    (_, Some(error)) => format!("  last: {error}"),
                    (Some(code), None) => format!("  last: HTTP {code}"),
                    (None, None) => String::new(),
                };
                println!(
                    "{}  {}  {}  {}  attempts {}  created {}{last}",
                    event.wire_id(),
                    event.kind,
                    event.account_id,
                    event.status.as_str(),
                    event.attempts,
                    format_rfc3339(event.occurred_at, common.timezone),
                );
            }
            if events.is_empty() {
                println!("no events");
            }
        }
        CallbacksCommand::Retry {
            event,
            bill,
            since,
            common,
        } => {
            let selector = match (event, bill, since) {
                (Some(event), _, _) => {
                    let id = event.strip_prefix("evt_").unwrap_or(&event);
                    let id = id.parse::<i64>().map_err(|_| {
                        Failure::usage(format!("{event} is not an event id (evt_<number>)"))
                    })?;
                    RetrySelector::Event(id)
                }
                (None, Some(bill), _) => RetrySelector::Bill(BillNum::new(bill)),
                (None, None, Some(since)) => {
                    let at = start_instant(&since, common.timezone).ok_or_else(|| {
                        Failure::usage(format!(
                            "--since {since}: give an RFC 3339 time or a date yyyyMMdd"
                        ))
                    })?;
                    RetrySelector::Since(at)
                }
                (None, None, None) => {
                    return Err(Failure::usage("give an EVENT_ID, --bill or --since"));
                }
            };
            let url = &common.database.database;
            let store = data::open(url).await?;
            let scheduled = store
                .retry_events(&selector, SystemClock.now())
                .await
                .map_err(|err| Failure::store(url, &err))?;
            println!("scheduled {scheduled} event(s) for delivery now");
        }
    }
    Ok(())
}
