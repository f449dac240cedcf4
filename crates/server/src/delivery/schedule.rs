//! When a failed callback is tried again: exponential backoff from a base delay, doubled per
//! attempt up to a cap, with jitter, until the event is older than the maximum age (CONTRACT §9).

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use posbridge_domain::calendar::Timestamp;
use posbridge_store::model::AttemptVerdict;

/// The retry schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The delay after the first failed attempt (`POSBRIDGE_CALLBACK_RETRY_BASE_MS`, 5 s).
    pub base: Duration,
    /// The longest delay between two attempts (1 hour), so a receiver back after a long outage
    /// gets its events within the hour.
    pub cap: Duration,
    /// How long after the event's own time attempts go on (`POSBRIDGE_CALLBACK_MAX_AGE_S`,
    /// 72 hours); the first attempt due after that makes the event `dead`.
    pub max_age: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            base: Duration::from_secs(5),
            cap: Duration::from_secs(3600),
            max_age: Duration::from_secs(259_200),
        }
    }
}

impl Schedule {
    /// The verdict after failed attempt number `attempts` (1 for the first) at `now`, of an event
    /// that happened at `occurred_at`; `jitter` in `0..=1000` picks the delay between half and
    /// all of the backoff (per mille), so receivers recovering from an outage are not hit by
    /// every sender in the same instant.
    pub fn after_failure(
        &self,
        attempts: u32,
        now: Timestamp,
        occurred_at: Timestamp,
        jitter: u16,
    ) -> AttemptVerdict {
        let doublings = attempts.saturating_sub(1).min(30);
        let backoff = self
            .base
            .saturating_mul(1u32 << doublings)
            .min(self.cap.max(self.base));
        let backoff_ms = millis(backoff);
        let delay_ms = backoff_ms / 2 + backoff_ms / 2 * i64::from(jitter.min(1000)) / 1000;
        let next = Timestamp(now.0.saturating_add(delay_ms.max(1)));
        if next.0 > occurred_at.0.saturating_add(millis(self.max_age)) {
            AttemptVerdict::Dead
        } else {
            AttemptVerdict::RetryAt(next)
        }
    }
}

/// A random jitter in `0..=1000`.
pub fn jitter() -> u16 {
    let random = RandomState::new().hash_one(std::thread::current().id());
    u16::try_from(random % 1001).unwrap_or(1000)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_700_000_000_000);

    fn at(ms: i64) -> Timestamp {
        Timestamp(T0.0 + ms)
    }

    #[test]
    fn delays_double_from_the_base_up_to_the_cap_with_jitter_between_half_and_all() {
        let schedule = Schedule::default();
        for (attempts, full_ms) in [(1, 5_000), (2, 10_000), (3, 20_000), (11, 3_600_000)] {
            assert_eq!(
                schedule.after_failure(attempts, T0, T0, 1000),
                AttemptVerdict::RetryAt(at(full_ms)),
                "attempt {attempts}, no jitter"
            );
            assert_eq!(
                schedule.after_failure(attempts, T0, T0, 0),
                AttemptVerdict::RetryAt(at(full_ms / 2)),
                "attempt {attempts}, most jitter"
            );
        }
        assert_eq!(
            schedule.after_failure(u32::MAX, T0, T0, 1000),
            AttemptVerdict::RetryAt(at(3_600_000))
        );
    }

    #[test]
    fn an_event_older_than_the_maximum_age_is_dead() {
        let schedule = Schedule {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
            max_age: Duration::from_secs(10),
        };
        assert_eq!(
            schedule.after_failure(1, at(9_900), T0, 1000),
            AttemptVerdict::RetryAt(at(10_000))
        );
        assert_eq!(
            schedule.after_failure(1, at(9_901), T0, 1000),
            AttemptVerdict::Dead
        );
        // Retries go on for at least 24 hours with the defaults.
        let defaults = Schedule::default();
        let day = 86_400_000;
        assert!(matches!(
            defaults.after_failure(40, at(day), T0, 1000),
            AttemptVerdict::RetryAt(_)
        ));
    }

    #[test]
    fn jitter_stays_in_range() {
        assert!((0..=1000).contains(&jitter()));
    }
}
