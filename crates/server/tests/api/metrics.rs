//! `GET /metrics` (CONTRACT §10): Prometheus text, no token.

use crate::helpers::{CH_S001, JSON, scarves, spawn};

#[tokio::test]
async fn metrics_count_requests() {
    let app = spawn().await;
    app.get("/healthz", None, JSON).await.expect(200, 0);
    app.get("/HEALTHZ", None, JSON).await.expect(200, 0);
    app.get("/no/such/path/42", None, JSON)
        .await
        .expect(404, 1007);

    let answer = app.get("/metrics", None, "text/plain").await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.content_type.starts_with("text/plain"), "{answer:?}");
    let text = answer.text();
    for line in [
        "# TYPE posbridge_http_requests_total counter\n",
        "posbridge_http_requests_total{route=\"/healthz\",status=\"200\",errcode=\"0\"} 2\n",
        "posbridge_http_requests_total{route=\"unmatched\",status=\"404\",errcode=\"1007\"} 1\n",
        "# TYPE posbridge_http_request_duration_seconds histogram\n",
        "posbridge_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n",
        "posbridge_http_request_duration_seconds_count{route=\"/healthz\"} 2\n",
        "posbridge_outbox_events{status=\"pending\"} 0\n",
        "posbridge_outbox_events{status=\"delivered\"} 0\n",
        "posbridge_outbox_oldest_undelivered_age_seconds 0\n",
        "posbridge_store_info{backend=\"sqlite\"} 1\n",
        "posbridge_store_up 1\n",
        // SQLite: 8 read connections kept plus the writer; nothing queued between requests.
        "# TYPE posbridge_db_pool_open gauge\n",
        "posbridge_db_pool_max 9\n",
        "posbridge_db_pool_waiting 0\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Unknown paths never become labels.
    assert!(!text.contains("/no/such/path"), "{text}");

    // A bill's event waits for delivery (no worker runs here): the backlog and its age show.
    app.post(
        "/api/Pos/Sell/Bill/AddOrUpdate",
        Some(CH_S001),
        JSON,
        scarves("M-1", "1", "99.00").into_bytes(),
    )
    .await
    .expect(200, 0);
    let waiting = app.get("/metrics", None, "text/plain").await.text();
    assert!(
        waiting.contains("posbridge_outbox_events{status=\"pending\"} 1\n"),
        "{waiting}"
    );
    let age = waiting
        .lines()
        .find_map(|line| line.strip_prefix("posbridge_outbox_oldest_undelivered_age_seconds "))
        .unwrap_or("missing");
    assert!(
        age != "0" && age != "missing",
        "the event has waited: {age}"
    );

    // The scrape itself is counted by the next one.
    let again = app.get("/metrics", None, "text/plain").await.text();
    assert!(
        again.contains(
            "posbridge_http_requests_total{route=\"/metrics\",status=\"200\",errcode=\"0\"} 2\n"
        ),
        "{again}"
    );
}
