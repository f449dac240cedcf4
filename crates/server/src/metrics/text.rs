//! The Prometheus text exposition format (version 0.0.4): `# HELP`/`# TYPE` lines, escaped label
//! values, and seconds written from integer nanoseconds.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use posbridge_store::model::PoolStatus;

use super::{BUCKETS_NANOS, Histogram};

const NANOS_PER_SECOND: u128 = 1_000_000_000;

/// Nanoseconds as decimal seconds with no trailing zeros: `1500000` → `0.0015`, `2e9` → `2`.
pub(super) fn seconds(nanos: u128) -> String {
    let whole = nanos / NANOS_PER_SECOND;
    let fraction = nanos % NANOS_PER_SECOND;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:09}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// A label value with `\`, `"` and newlines escaped.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The request counter.
pub(super) fn requests(out: &mut String, requests: &BTreeMap<(String, u16, i32), u64>) {
    out.push_str("# HELP posbridge_http_requests_total HTTP requests answered.\n");
    out.push_str("# TYPE posbridge_http_requests_total counter\n");
    for ((route, status, errcode), count) in requests {
        let _ = writeln!(
            out,
            "posbridge_http_requests_total{{route=\"{}\",status=\"{status}\",errcode=\"{errcode}\"}} {count}",
            escape(route)
        );
    }
}

/// The latency histograms.
pub(super) fn durations(out: &mut String, durations: &BTreeMap<String, Histogram>) {
    out.push_str(
        "# HELP posbridge_http_request_duration_seconds Time from request to answer, in seconds.\n",
    );
    out.push_str("# TYPE posbridge_http_request_duration_seconds histogram\n");
    for (route, histogram) in durations {
        let route = escape(route);
        let mut cumulative = 0u64;
        for (bound, count) in BUCKETS_NANOS.iter().zip(histogram.buckets.iter()) {
            cumulative = cumulative.saturating_add(*count);
            let _ = writeln!(
                out,
                "posbridge_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{}\"}} {cumulative}",
                seconds(u128::from(*bound))
            );
        }
        let _ = writeln!(
            out,
            "posbridge_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
            histogram.count
        );
        let _ = writeln!(
            out,
            "posbridge_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            seconds(histogram.sum_nanos)
        );
        let _ = writeln!(
            out,
            "posbridge_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            histogram.count
        );
    }
}

/// The outbox and store gauges.
pub(super) fn store(out: &mut String, backend: &str, up: bool, outbox: &[(&str, usize)]) {
    out.push_str(
        "# HELP posbridge_outbox_events Callback outbox events by status (counted up to a cap).\n",
    );
    out.push_str("# TYPE posbridge_outbox_events gauge\n");
    for (status, count) in outbox {
        let _ = writeln!(
            out,
            "posbridge_outbox_events{{status=\"{}\"}} {count}",
            escape(status)
        );
    }
    out.push_str("# HELP posbridge_store_info The storage backend in use.\n");
    out.push_str("# TYPE posbridge_store_info gauge\n");
    let _ = writeln!(
        out,
        "posbridge_store_info{{backend=\"{}\"}} 1",
        escape(backend)
    );
    out.push_str("# HELP posbridge_store_up Whether the database answered this scrape.\n");
    out.push_str("# TYPE posbridge_store_up gauge\n");
    let _ = writeln!(out, "posbridge_store_up {}", u8::from(up));
}

/// How long the oldest undelivered callback has waited (CONTRACT §9), 0 when none waits.
pub(super) fn oldest_undelivered(out: &mut String, age_ms: i64) {
    out.push_str(
        "# HELP posbridge_outbox_oldest_undelivered_age_seconds Age of the oldest pending or failing callback event.\n",
    );
    out.push_str("# TYPE posbridge_outbox_oldest_undelivered_age_seconds gauge\n");
    let nanos = u128::try_from(age_ms).unwrap_or(0) * 1_000_000;
    let _ = writeln!(
        out,
        "posbridge_outbox_oldest_undelivered_age_seconds {}",
        seconds(nanos)
    );
}

/// The database connections (CONTRACT §10 "database pool").
pub(super) fn pool(out: &mut String, pool: &PoolStatus) {
    for (name, help, value) in [
        (
            "posbridge_db_pool_max",
            "Connections the store keeps (PostgreSQL pool size; SQLite readers kept plus the writer).",
            pool.max,
        ),
        (
            "posbridge_db_pool_open",
            "Database connections open now.",
            pool.open,
        ),
        (
            "posbridge_db_pool_idle",
            "Open database connections not in use now.",
            pool.idle,
        ),
        (
            "posbridge_db_pool_waiting",
            "Callers waiting for a connection (PostgreSQL) or queued for the writer (SQLite).",
            pool.waiting,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_exact_decimals() {
        assert_eq!(seconds(0), "0");
        assert_eq!(seconds(1_000_000), "0.001");
        assert_eq!(seconds(2_500_000_000), "2.5");
        assert_eq!(seconds(10_000_000_000), "10");
        assert_eq!(seconds(1), "0.000000001");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
