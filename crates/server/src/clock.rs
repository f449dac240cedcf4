//! The clock: the one place posbridge reads the system time, so everything else takes "now" as a
//! value and tests can fix it.

use std::time::{SystemTime, UNIX_EPOCH};

use posbridge_domain::calendar::Timestamp;

/// A source of "now".
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    // This is the server's one reading of the wall clock; every other module is handed "now".
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
            });
        Timestamp(millis)
    }
}

/// A clock that always answers the same instant (tests, replays).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_is_after_2024() {
        assert!(SystemClock.now() > Timestamp(1_704_067_200_000));
        assert_eq!(FixedClock(Timestamp(7)).now(), Timestamp(7));
    }
}
