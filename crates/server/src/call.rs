//! One Web API call as the handlers see it: headers, query, the unread body and the negotiated
//! formats; authentication (CONTRACT §2), the body limit and decoding into a DTO.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use posbridge_domain::ids::MerchantId;
use posbridge_domain::master::{Account, AccountScope};
use posbridge_domain::sell_bill::Channel;
use posbridge_protocol::codec;
use posbridge_protocol::codes::WireCode;
use posbridge_protocol::format_error::FormatError;
use posbridge_protocol::limits::ReadLimits;
use posbridge_protocol::media::MediaType;
use posbridge_protocol::read::WireType;
use posbridge_store::Actor;
use sha2::{Digest, Sha256};

use crate::answer::{Negotiated, negotiate};
use crate::app::App;
use crate::error::ApiError;
use crate::query::Query;

/// A call: what the handlers need of the request.
#[derive(Debug)]
pub struct Call {
    /// Everything but the body.
    pub head: Head,
    body: Body,
}

/// A call without its body: what handlers may hold across an `.await` (the body is not `Sync`).
#[derive(Debug)]
pub struct Head {
    headers: HeaderMap,
    /// The query parameters.
    pub query: Query,
    negotiated: Negotiated,
}

impl<S: Send + Sync> FromRequest<S> for Call {
    type Rejection = Infallible;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        Ok(Call {
            head: Head {
                negotiated: negotiate(&parts.headers),
                query: Query::parse(parts.uri.query().unwrap_or_default()),
                headers: parts.headers,
            },
            body,
        })
    }
}

/// A channel account acting (CONTRACT §5).
#[derive(Debug, Clone)]
pub struct ChannelAccount {
    /// The account, for the outbox.
    pub actor: Actor,
    /// Its shop and customer unit.
    pub channel: Channel,
}

/// A merchant account acting (CONTRACT §6).
#[derive(Debug, Clone)]
pub struct MerchantAccount {
    /// The account, for the outbox.
    pub actor: Actor,
    /// Its merchant.
    pub merchant_id: MerchantId,
}

impl Head {
    /// The format of the answer.
    pub fn response_type(&self) -> MediaType {
        self.negotiated.response
    }

    /// The account whose bearer token the call carries (5001 without one, or an unknown one).
    pub async fn account(&self, app: &App) -> Result<Account, ApiError> {
        let token = bearer_token(&self.headers).ok_or_else(unauthenticated)?;
        let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = app.now();
        if let Some(account) = app.accounts.get(&hash, now) {
            return Ok(account);
        }
        let account = app
            .store()
            .account_by_token(&hash)
            .await?
            .ok_or_else(unauthenticated)?;
        app.accounts.put(hash, account.clone(), now);
        Ok(account)
    }

    /// The channel account of an `api/Pos/...` call (5002 for any other kind).
    pub async fn channel(&self, app: &App) -> Result<ChannelAccount, ApiError> {
        let account = self.account(app).await?;
        match account.scope {
            AccountScope::Channel { shop_id, customer } => Ok(ChannelAccount {
                actor: Actor::new(account.id),
                channel: Channel { shop_id, customer },
            }),
            AccountScope::Merchant { .. } | AccountScope::Erp { .. } => Err(forbidden()),
        }
    }

    /// The merchant account of an `api/UnPos/...` call (5002 for any other kind).
    pub async fn merchant(&self, app: &App) -> Result<MerchantAccount, ApiError> {
        let account = self.account(app).await?;
        match account.scope {
            AccountScope::Merchant { merchant_id } => Ok(MerchantAccount {
                actor: Actor::new(account.id),
                merchant_id,
            }),
            AccountScope::Channel { .. } | AccountScope::Erp { .. } => Err(forbidden()),
        }
    }
}

impl Call {
    /// Reads the body (at most `limits.body_bytes` bytes: 1005 beyond, refused from
    /// `Content-Length` before reading when the client declares it) and decodes it as `T` in the
    /// request's type (1006 for an unsupported type, 1001/1003 when it does not read, 1001 when
    /// nested deeper than `limits.depth`).
    pub async fn decode<T: WireType>(self, limits: ReadLimits) -> Result<T, ApiError> {
        let limit = limits.body_bytes;
        let media = self.head.negotiated.request?;
        let declared = self
            .head
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u64>().ok());
        if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
            return Err(too_large(limit));
        }
        let bytes = read_limited(self.body, limit).await?;
        Ok(codec::decode_within::<T>(media.format, &bytes, limits)?)
    }
}

async fn read_limited(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large(limit)),
        Err(error) => Err(ApiError::new(
            WireCode::Unparseable,
            format!("body cannot be read: {error}"),
        )),
    }
}

fn too_large(limit: usize) -> ApiError {
    let error = FormatError::TooLarge { max: limit };
    ApiError::new(WireCode::from_format_error(&error), error.to_string())
}

/// The token of `Authorization: Bearer <token>` (the scheme in any letter case).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn unauthenticated() -> ApiError {
    ApiError::code(WireCode::Unauthenticated)
}

fn forbidden() -> ApiError {
    ApiError::code(WireCode::Forbidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(header: Option<&'static str>, expect: Option<&str>) {
        let mut headers = HeaderMap::new();
        if let Some(header) = header {
            headers.insert(AUTHORIZATION, HeaderValue::from_static(header));
        }
        assert_eq!(bearer_token(&headers), expect, "{header:?}");
    }

    #[test]
    fn bearer_tokens() {
        check(Some("Bearer abc"), Some("abc"));
        check(Some("bearer  abc "), Some("abc"));
        check(Some("Basic abc"), None);
        check(Some("Bearer "), None);
        check(Some("Bearer"), None);
        check(None, None);
    }
}
