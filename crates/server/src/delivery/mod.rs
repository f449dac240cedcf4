//! Callback delivery (CONTRACT §9): a worker inside `posbridge serve` claims due outbox events,
//! POSTs each to its account's `callbackUrl`, signed, and records every attempt.
//!
//! At least once: an event is marked delivered only after a 2xx; a failure schedules the next
//! attempt ([`schedule`]) until the event is older than the maximum age, then it is `dead` and
//! kept. In order per subject: the store hands out only the oldest undelivered event of each bill
//! or settlement, and claims it with a lease, so neither this worker's next round nor another
//! process takes it while an attempt runs; a crash mid-attempt leaves the lease to run out and the
//! event to be claimed again. Independent across subjects and accounts: attempts run
//! concurrently, each bounded by its timeout, so one slow or dead receiver holds one slot per
//! event, never the queue.
//!
//! An account without a `callbackUrl` cannot receive its events; they are marked `dead` with that
//! reason at once, so an operator who adds a URL later can redeliver them (`retry`).

mod attempt;
pub mod schedule;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::master::Callback;
use posbridge_protocol::time_text::UtcOffset;
use posbridge_store::Store;
use posbridge_store::model::{AttemptVerdict, DeliveryAttempt, OutboxEvent};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::clock::Clock;
pub use attempt::{Observed, body};
pub use schedule::Schedule;

/// How the worker delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// When failed attempts are repeated, and for how long.
    pub schedule: Schedule,
    /// How long one attempt may take (CONTRACT §9: a 2xx within 10 s counts).
    pub attempt_timeout: Duration,
    /// Attempts running at once.
    pub concurrency: usize,
    /// How long the worker sleeps when nothing is due.
    pub idle_poll: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            schedule: Schedule::default(),
            attempt_timeout: Duration::from_secs(10),
            concurrency: 64,
            idle_poll: Duration::from_millis(500),
        }
    }
}

impl DeliveryConfig {
    /// How long a claimed event is withheld from other claims: longer than any attempt.
    fn lease(&self) -> Duration {
        self.attempt_timeout.saturating_mul(3)
    }
}

/// How often the worker rereads the accounts' callback settings.
const ACCOUNTS_TTL_MS: i64 = 5_000;

/// The delivery worker.
pub struct Worker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    offset: UtcOffset,
    config: DeliveryConfig,
    client: reqwest::Client,
    callbacks: BTreeMap<String, Option<Callback>>,
    callbacks_read_at: Option<Timestamp>,
}

impl Worker {
    /// A worker over `store`, rendering times in `offset`.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        offset: UtcOffset,
        config: DeliveryConfig,
    ) -> Result<Worker, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.attempt_timeout.min(Duration::from_secs(3)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the callback HTTP client: {e}"))?;
        Ok(Worker {
            store,
            clock,
            offset,
            config,
            client,
            callbacks: BTreeMap::new(),
            callbacks_read_at: None,
        })
    }

    /// Delivers until `stop` turns true; attempts in flight then finish (each within its
    /// timeout) before this returns.
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let mut running = JoinSet::new();
        while !*stop.borrow() {
            while running.try_join_next().is_some() {}
            let free = u32::try_from(slots.available_permits()).unwrap_or(u32::MAX);
            let claimed = if free == 0 {
                Vec::new()
            } else {
                self.claim(free).await
            };
            if claimed.is_empty() {
                tokio::select! {
                    changed = stop.changed() => {
                        // A dropped sender can never say stop: treat it as stop, not as a wake-up.
                        if changed.is_err() {
                            break;
                        }
                    }
                    _ = tokio::time::sleep(self.config.idle_poll) => {}
                    Some(_) = running.join_next(), if !running.is_empty() => {}
                }
                continue;
            }
            self.refresh_callbacks().await;
            for event in claimed {
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
                    break;
                };
                let delivery = Delivery {
                    store: Arc::clone(&self.store),
                    clock: Arc::clone(&self.clock),
                    offset: self.offset,
                    config: self.config,
                    client: self.client.clone(),
                    callback: self.callbacks.get(&event.account_id).cloned().flatten(),
                };
                running.spawn(async move {
                    delivery.deliver(event).await;
                    drop(permit);
                });
            }
        }
        while running.join_next().await.is_some() {}
    }

    /// Claims up to `limit` due events; a store failure is logged and answers none.
    async fn claim(&self, limit: u32) -> Vec<OutboxEvent> {
        let now = self.clock.now();
        let lease_until = Timestamp(now.0.saturating_add(millis(self.config.lease())));
        match self.store.claim_due_events(now, lease_until, limit).await {
            Ok(events) => events,
            Err(error) => {
                tracing::warn!(%error, "callback delivery: claiming due events failed");
                Vec::new()
            }
        }
    }

    /// Rereads the accounts' callback settings when they are older than a few seconds.
    async fn refresh_callbacks(&mut self) {
        let now = self.clock.now();
        if self
            .callbacks_read_at
            .is_some_and(|at| now.0.saturating_sub(at.0) < ACCOUNTS_TTL_MS)
        {
            return;
        }
        match self.store.master_data().await {
            Ok(data) => {
                self.callbacks = data
                    .accounts
                    .into_iter()
                    .map(|account| (account.id, account.callback))
                    .collect();
                self.callbacks_read_at = Some(now);
            }
            Err(error) => tracing::warn!(%error, "callback delivery: reading accounts failed"),
        }
    }
}

/// Everything one attempt needs, moved into its task.
struct Delivery {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    offset: UtcOffset,
    config: DeliveryConfig,
    client: reqwest::Client,
    callback: Option<Callback>,
}

impl Delivery {
    async fn deliver(self, event: OutboxEvent) {
        let now = self.clock.now();
        let observed = match (&self.callback, attempt::body(&event, self.offset)) {
            (None, _) => Observed {
                status_code: None,
                error: Some(format!("account {} has no callbackUrl", event.account_id)),
                latency_ms: 0,
            },
            (Some(_), Err(problem)) => Observed {
                status_code: None,
                error: Some(problem),
                latency_ms: 0,
            },
            (Some(callback), Ok(body)) => {
                attempt::post(
                    &self.client,
                    callback,
                    &event,
                    body,
                    now,
                    self.config.attempt_timeout,
                )
                .await
            }
        };
        let next = if observed.delivered() {
            AttemptVerdict::Delivered
        } else if self.callback.is_none() {
            AttemptVerdict::Dead
        } else {
            self.config.schedule.after_failure(
                event.attempts.saturating_add(1),
                self.clock.now(),
                event.occurred_at,
                schedule::jitter(),
            )
        };
        let record = DeliveryAttempt {
            at: now,
            status_code: observed.status_code,
            error: observed.error.clone(),
            latency_ms: observed.latency_ms,
            next,
        };
        tracing::debug!(
            event = %event.wire_id(),
            account = %event.account_id,
            status = ?observed.status_code,
            error = ?observed.error,
            latency_ms = observed.latency_ms,
            verdict = ?next,
            "callback attempt"
        );
        if let Err(error) = self.store.record_attempt(event.id, &record).await {
            // The lease runs out and the event is claimed again: at least once still holds.
            tracing::warn!(%error, event = %event.wire_id(), "callback delivery: recording an attempt failed");
        }
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
