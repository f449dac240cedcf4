//! `GET /metrics` (CONTRACT §10): Prometheus text, no token.

use crate::helpers::{JSON, spawn};

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

    // The scrape itself is counted by the next one.
    let again = app.get("/metrics", None, "text/plain").await.text();
    assert!(
        again.contains(
            "posbridge_http_requests_total{route=\"/metrics\",status=\"200\",errcode=\"0\"} 1\n"
        ),
        "{again}"
    );
}
