//! Callback delivery (CONTRACT §9): a worker inside `posbridge serve` claims due outbox events,
//! POSTs each to its account's `callbackUrl`, signed, and records every attempt.
//!
//! At least once: an event is marked delivered only after a 2xx; a failure schedules the next
//! attempt ([`schedule`]) until the event is older than the maximum age, then it is `dead` and
//! kept. In order per subject: the store hands out only the oldest undelivered event of each bill
//! or settlement, and claims it with a lease, so neither this worker's next round nor another
//! process takes it while an attempt runs; a crash mid-attempt leaves the lease to run out and the
//! event to be claimed again. Independent across subjects and accounts: attempts run
//! concurrently, each bounded by its timeout, and one account has at most
//! [`DeliveryConfig::account_concurrency`] attempts in flight, so a receiver that is slow or
//! black-holes requests holds a few slots, never the others' turn.
//!
//! The per-account limit is applied by the claim itself ([`ClaimLimits`]): the worker tells the
//! store how many attempts of each account it has in flight, and the store hands out only events
//! that fit. So every claimed event starts its attempt at once, and no claimed event waits in this
//! process while its lease runs out (which would let another process claim it too).
//!
//! An account without a `callbackUrl` cannot receive its events; they are marked `dead` with that
//! reason at once, so an operator who adds a URL later can redeliver them (`retry`).

mod attempt;
pub mod schedule;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::master::Callback;
use posbridge_protocol::time_text::UtcOffset;
use posbridge_store::Store;
use posbridge_store::model::{AttemptVerdict, ClaimLimits, DeliveryAttempt, OutboxEvent};
use tokio::sync::watch;
use tokio::task::{self, JoinSet};

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
    /// Attempts of one account running at once in this worker (8), so the account's receiver,
    /// however slow, leaves the other slots to other accounts. With several server processes
    /// each has its own limit.
    pub account_concurrency: usize,
    /// How long the worker sleeps when nothing is due.
    pub idle_poll: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            schedule: Schedule::default(),
            attempt_timeout: Duration::from_secs(10),
            concurrency: 64,
            account_concurrency: 8,
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
        let mut running = JoinSet::new();
        // The account of each attempt in flight, by task: a finished task, even one that
        // panicked, gives its account's slot back.
        let mut accounts: HashMap<task::Id, String> = HashMap::new();
        while !*stop.borrow() {
            while let Some(done) = running.try_join_next_with_id() {
                accounts.remove(&finished(done));
            }
            let free = self.config.concurrency.max(1).saturating_sub(running.len());
            let claimed = if free == 0 {
                Vec::new()
            } else {
                self.claim(free, &accounts).await
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
                    Some(done) = running.join_next_with_id(), if !running.is_empty() => {
                        accounts.remove(&finished(done));
                    }
                }
                continue;
            }
            self.refresh_callbacks().await;
            // Every claimed event fits the free slots and its account's limit: each attempt
            // starts now, well within its lease.
            for event in claimed {
                let account = event.account_id.clone();
                let delivery = Delivery {
                    store: Arc::clone(&self.store),
                    clock: Arc::clone(&self.clock),
                    offset: self.offset,
                    config: self.config,
                    client: self.client.clone(),
                    callback: self.callbacks.get(&event.account_id).cloned().flatten(),
                };
                let handle = running.spawn(delivery.deliver(event));
                accounts.insert(handle.id(), account);
            }
        }
        while running.join_next().await.is_some() {}
    }

    /// Claims up to `free` due events, within each account's limit given the attempts in flight
    /// (`accounts`); a store failure is logged and answers none.
    async fn claim(&self, free: usize, accounts: &HashMap<task::Id, String>) -> Vec<OutboxEvent> {
        let now = self.clock.now();
        let lease_until = Timestamp(now.0.saturating_add(millis(self.config.lease())));
        let mut in_flight: BTreeMap<String, u32> = BTreeMap::new();
        for account in accounts.values() {
            let n = in_flight.entry(account.clone()).or_default();
            *n = n.saturating_add(1);
        }
        let limits = ClaimLimits {
            total: u32::try_from(free).unwrap_or(u32::MAX),
            per_account: u32::try_from(self.config.account_concurrency.max(1)).unwrap_or(u32::MAX),
            in_flight,
        };
        match self.store.claim_due_events(now, lease_until, &limits).await {
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

/// The task id of a finished attempt; a panic is logged (the event's lease runs out and it is
/// claimed again).
fn finished(done: Result<(task::Id, ()), task::JoinError>) -> task::Id {
    match done {
        Ok((id, ())) => id,
        Err(error) => {
            tracing::warn!(%error, "callback delivery: an attempt ended abnormally");
            error.id()
        }
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
