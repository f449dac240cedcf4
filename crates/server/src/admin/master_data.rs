//! `PUT /admin/v1/master-data` (the §3 document, all or nothing, sent as JSON) and
//! `GET /admin/v1/master-data` (the stored master data as the same document, accounts with token
//! hashes only).

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use posbridge_protocol::codes::WireCode;
use posbridge_protocol::master_data::{
    MasterDataReadError, Problem, read_master_data, write_master_data,
};
use posbridge_protocol::media::{Format, UnsupportedMediaType};
use posbridge_store::OpError;
use posbridge_store::model::ImportSummary;

use super::{admin_error, json_answer};
use crate::answer::negotiate;
use crate::app::App;
use crate::error::ApiError;

/// The largest master data document read: larger than the Web API's body limit, since a
/// catalogue of products and prices is one document.
pub const MASTER_DATA_MAX_BYTES: usize = 32 * 1024 * 1024;

/// Reads the document, upserts it, and answers how many entities of each kind were upserted.
pub(super) async fn import(State(app): State<App>, request: Request) -> Response {
    match import_document(&app, request).await {
        Ok(summary) => json_answer(summary_json(&summary)),
        Err(error) => admin_error(error),
    }
}

async fn import_document(app: &App, request: Request) -> Result<ImportSummary, ApiError> {
    check_media_type(request.headers())?;
    let bytes = axum::body::to_bytes(request.into_body(), MASTER_DATA_MAX_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                WireCode::BodyTooLarge,
                format!("the master data document exceeds {MASTER_DATA_MAX_BYTES} bytes"),
            )
        })?;
    let data = read_master_data(&bytes).map_err(read_error)?;
    match app.store().import_master_data(&data, app.now()).await {
        Ok(summary) => {
            // Accounts may have changed tokens or kinds: authenticate afresh from now on.
            app.accounts.clear();
            Ok(summary)
        }
        Err(OpError::Refused(refused)) => {
            Err(ApiError::new(WireCode::InvalidField, refused.to_string()))
        }
        Err(OpError::Store(store)) => Err(store.into()),
    }
}

/// The document is JSON (CONTRACT §3): a body declared as any other type, XML and BSON
/// included, or in a charset other than UTF-8, is 415 (1006) before it is read. A missing
/// `Content-Type` reads as JSON, as on the Web API.
fn check_media_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let declared = match negotiate(headers).request {
        Ok(media) if media.format == Format::Json => return Ok(()),
        Ok(media) => media.name.to_owned(),
        Err(UnsupportedMediaType(declared)) => declared,
    };
    Err(ApiError::new(
        WireCode::UnsupportedMediaType,
        format!(
            "unsupported media type {declared}; the master data document is JSON: send \
             application/json or text/json (UTF-8)"
        ),
    ))
}

/// The errcode of an unreadable document: 1001 when it is not a JSON object, 1002 for a missing
/// field, 1003 for any other field problem; the message names the field.
fn read_error(error: MasterDataReadError) -> ApiError {
    let code = match &error {
        MasterDataReadError::Syntax(_) | MasterDataReadError::NotAnObject => WireCode::Unparseable,
        MasterDataReadError::Field {
            problem: Problem::Missing,
            ..
        } => WireCode::MissingField,
        MasterDataReadError::Field { .. } => WireCode::InvalidField,
    };
    ApiError::new(code, error.to_string())
}

/// `{"upserted": {"merchants": 1, …}, "pricesChanged": 0}`.
fn summary_json(summary: &ImportSummary) -> String {
    let counts: Vec<String> = summary
        .upserted
        .iter()
        .map(|(kind, count)| format!("\"{kind}\":{count}"))
        .collect();
    format!(
        "{{\"upserted\":{{{}}},\"pricesChanged\":{}}}",
        counts.join(","),
        summary.prices_changed
    )
}

/// The stored master data as the §3 document.
pub(super) async fn export(State(app): State<App>) -> Response {
    match app.store().master_data().await {
        Ok(data) => json_answer(write_master_data(&data)),
        Err(error) => admin_error(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_json() {
        let mut summary = ImportSummary::default();
        summary.upserted.insert("merchants", 2);
        summary.upserted.insert("shops", 3);
        summary.prices_changed = 1;
        assert_eq!(
            summary_json(&summary),
            r#"{"upserted":{"merchants":2,"shops":3},"pricesChanged":1}"#
        );
        assert_eq!(
            summary_json(&ImportSummary::default()),
            r#"{"upserted":{},"pricesChanged":0}"#
        );
    }

    #[test]
    fn read_errors_map_to_field_codes() {
        let code = |bytes: &[u8]| {
            read_master_data(bytes)
                .map_err(read_error)
                .err()
                .map(|e| e.wire_code().errcode())
        };
        assert_eq!(code(b"{"), Some(1001));
        assert_eq!(code(b"[]"), Some(1001));
        assert_eq!(code(br#"{"merchants": [{"id": 2}]}"#), Some(1002));
        assert_eq!(
            code(br#"{"merchants": [{"id": 2, "nmae": "x"}]}"#),
            Some(1003)
        );
        assert_eq!(
            code(br#"{"merchants": [{"id": 2, "name": "x", "Name": "y"}]}"#),
            Some(1003)
        );
    }

    #[test]
    fn only_json_in_utf8_is_read() {
        let errcode = |content_type: Option<&'static str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = content_type {
                headers.insert(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static(value),
                );
            }
            check_media_type(&headers).map_err(|e| (e.wire_code().errcode(), e.status().as_u16()))
        };
        for json in [
            None,
            Some("application/json"),
            Some("text/json; charset=utf-8"),
            Some("Application/JSON;charset=UTF8"),
        ] {
            assert_eq!(errcode(json), Ok(()), "{json:?}");
        }
        for other in [
            "text/plain",
            "application/json; charset=gbk",
            "text/json; charset=utf-16",
            "application/xml",
            "application/bson",
            "application/x-www-form-urlencoded",
        ] {
            assert_eq!(errcode(Some(other)), Err((1006, 415)), "{other}");
        }
    }
}
