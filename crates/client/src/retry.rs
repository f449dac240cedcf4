//! [`RetryPolicy`]: how often and how patiently a call is repeated when no answer came or the
//! server answered 500 (9001) or 503 (9002), or a proxy before it 502 or 504.
//!
//! Repeating a write is safe because every write of the contract is keyed and idempotent:
//! AddOrUpdate by (customer unit, `SenderBillNum`), PayBill by (bill, `PayNum`), DeleteOrClose
//! by the bill's state, CalculateBill/Add by (merchant, `BillNum`), and Qimen clerk adds,
//! updates and deletes by (store, clerk code). A repeat of a request whose first attempt was
//! committed gets the same answer, and changes nothing.

use std::future::Future;
use std::time::Duration;

use crate::error::ClientError;

/// A bounded retry policy: at most `max_attempts` attempts in all, waiting `initial_backoff`
/// before the second, doubling up to `max_backoff`.
///
/// ```
/// use std::time::Duration;
/// use posbridge_client::RetryPolicy;
///
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_attempts(), 3);
/// assert_eq!(policy.backoff(1), Duration::from_millis(200));
/// assert_eq!(policy.backoff(2), Duration::from_millis(400));
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms then 400 ms apart (capped at 2 s): short enough for an interactive
    /// caller, long enough to ride out a server restart's refused connections.
    fn default() -> Self {
        RetryPolicy::new(3, Duration::from_millis(200), Duration::from_secs(2))
    }
}

impl RetryPolicy {
    /// At most `max_attempts` attempts (0 counts as 1), `initial_backoff` before the first
    /// retry, doubling, never more than `max_backoff`.
    pub const fn new(max_attempts: u32, initial_backoff: Duration, max_backoff: Duration) -> Self {
        RetryPolicy {
            max_attempts: if max_attempts == 0 { 1 } else { max_attempts },
            initial_backoff,
            max_backoff,
        }
    }

    /// One attempt, no retry.
    pub const fn none() -> Self {
        RetryPolicy::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// The most attempts a call makes, the first included.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the second attempt): `initial_backoff ×
    /// 2^(retry − 1)`, capped at `max_backoff`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// Runs `attempt` until it succeeds, fails in a way that is not
    /// [retryable](ClientError::is_retryable), or the attempts are used up. `attempt` is told
    /// its number, from 1.
    pub(crate) async fn run<T, F, Fut>(&self, mut attempt: F) -> Result<T, ClientError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let mut number = 1;
        loop {
            match attempt(number).await {
                Err(error) if error.is_retryable() && number < self.max_attempts => {
                    tokio::time::sleep(self.backoff(number)).await;
                    number += 1;
                }
                other => return other,
            }
        }
    }
}
