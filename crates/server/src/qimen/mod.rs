//! The Qimen clerk synchronisation endpoint (CONTRACT §7, `erp` accounts): `POST /api/qimen`
//! and `POST /api/qimen/router`.
//!
//! No bearer token: the account is the ERP account of the `app_key` parameter, and the call is
//! authenticated by its signature. The gateway checks run in this order, each answered with an
//! `error_response` in the request's `format`: `format`, `method` (21/22), `app_key` (28/29),
//! the required parameters (40), `timestamp` (31), `sign_method` and the signature (25),
//! `customerId` (50), then the body and its fields (50, `isv.invalid-parameter`). A call that
//! passes them is planned by the store; rule outcomes (2101–2103) are `response`s with `flag`
//! `failure`, and a success lists the clerks processed. Everything the protocol already does
//! (query parsing, signing, timestamps, reading and writing bodies, the answer DTOs) is called,
//! not repeated, here.

mod reply;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_LENGTH;
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use posbridge_domain::clerk::ClerkBatchDraft;
use posbridge_domain::master::{Account, AccountScope};
use posbridge_protocol::codes::WireCode;
use posbridge_protocol::dto::QimenResponse;
use posbridge_protocol::qimen::answer::{failure_response, success_response};
use posbridge_protocol::qimen::gateway::check_method;
use posbridge_protocol::qimen::query::{parse_query, query_param};
use posbridge_protocol::qimen::sign::{SignMethod, verify};
use posbridge_protocol::qimen::timestamp::check_timestamp;
use posbridge_protocol::qimen::{GatewayError, QimenFormat, read_request_within};
use posbridge_store::OpError;

use crate::answer::SUCCESS_MESSAGE;
use crate::app::App;
use crate::error::ApiError;

use reply::Refusal;

/// Query parameters every call must carry besides `method` and `app_key`, as the contract
/// spells them (the `sub_msg` of a 40 names the first one missing).
const REQUIRED: [&str; 4] = ["timestamp", "v", "sign", "customerId"];

/// `POST /api/qimen` and `POST /api/qimen/router`.
pub async fn synchronize(State(app): State<App>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let params = parse_query(parts.uri.query().unwrap_or_default());
    // An unknown `format` cannot choose the answer's format: that refusal is written in XML,
    // the default.
    let Some(format) = QimenFormat::from_param(query_param(&params, "format")) else {
        let refusal = Refusal::from(GatewayError::invalid_parameter(
            "parameter format must be xml or json",
        ));
        return reply::refused(QimenFormat::Xml, None, &refusal);
    };
    let mut account_id = None;
    let outcome = handle(&app, &params, &parts.headers, body, &mut account_id).await;
    match outcome {
        Ok(answer) => reply::answered(format, account_id, &answer),
        Err(refusal) => reply::refused(format, account_id, &refusal),
    }
}

/// A call past the gateway: its answer, and the errcode its log line shows.
#[derive(Debug)]
struct Answered {
    errcode: i32,
    response: QimenResponse,
}

async fn handle(
    app: &App,
    params: &[(String, String)],
    headers: &HeaderMap,
    body: Body,
    account_id: &mut Option<String>,
) -> Result<Answered, Refusal> {
    check_method(query_param(params, "method"))?;
    let app_key = match query_param(params, "app_key") {
        None | Some("") => return Err(GatewayError::MissingAppKey.into()),
        Some(key) => key,
    };
    let account = app
        .store()
        .account_by_app_key(app_key)
        .await
        .map_err(|error| Refusal::from(ApiError::from(error)))?
        .ok_or(GatewayError::InvalidAppKey)?;
    let Account { id, scope, .. } = account;
    let AccountScope::Erp {
        secret,
        customer_id,
        shop_ids,
        ..
    } = scope
    else {
        return Err(GatewayError::InvalidAppKey.into());
    };
    *account_id = Some(id);

    for name in REQUIRED {
        if query_param(params, name).is_none_or(str::is_empty) {
            return Err(GatewayError::missing(name).into());
        }
    }
    let now_s = app.now().0.div_euclid(1000);
    check_timestamp(query_param(params, "timestamp").unwrap_or_default(), now_s)?;
    let method = SignMethod::from_param(query_param(params, "sign_method"))
        .ok_or(GatewayError::InvalidSignature)?;
    let bytes = read_body(headers, body, app.read_limits.body_bytes).await?;
    let given = query_param(params, "sign").unwrap_or_default();
    if !verify(params, &bytes, &secret, method, given) {
        return Err(GatewayError::InvalidSignature.into());
    }
    if query_param(params, "customerId") != Some(customer_id.as_str()) {
        return Err(GatewayError::invalid_parameter(
            "parameter customerId is not the account's customer id",
        )
        .into());
    }

    let format = QimenFormat::from_param(query_param(params, "format")).unwrap_or_default();
    let request =
        read_request_within(&bytes, format, app.read_limits).map_err(GatewayError::from)?;
    let batch = ClerkBatchDraft::from(request)
        .validate_within(app.counts)
        .map_err(GatewayError::invalid_parameter)?;
    match app.store().sync_clerks(&shop_ids, &batch, app.now()).await {
        Ok(changes) => Ok(Answered {
            errcode: 0,
            response: success_response(SUCCESS_MESSAGE, &changes),
        }),
        Err(OpError::Refused(rejection)) => {
            let code = WireCode::from_kind(rejection.kind());
            Ok(Answered {
                errcode: code.errcode(),
                response: failure_response(
                    &code.errcode().to_string(),
                    &rejection.to_string(),
                    &rejection,
                    &batch,
                ),
            })
        }
        Err(OpError::Store(error)) => Err(ApiError::from(error).into()),
    }
}

/// Reads at most `limit` bytes of body, refusing a larger one from `Content-Length` before
/// reading when the client declares it.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Refusal> {
    let too_large = || GatewayError::invalid_parameter(format!("body exceeds {limit} bytes"));
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large().into());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large().into()),
        Err(error) => {
            Err(GatewayError::invalid_parameter(format!("body cannot be read: {error}")).into())
        }
    }
}
