//! The system clock, read in this one place: Qimen timestamps and callback tolerances need
//! "now"; everything else takes it as an argument, so tests can fix it.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in Unix seconds.
#[allow(
    clippy::disallowed_methods,
    reason = "the client's one reading of the clock; callers that need another now pass it in"
)]
pub fn now_unix_s() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}
