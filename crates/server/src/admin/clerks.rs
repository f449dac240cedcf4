//! `GET /admin/v1/clerks?shopId=…[&includeDeleted=true]` (CONTRACT §7): the clerks of one shop as
//! `{"clerks": [{storeCode, clerkCode, sourceClerkCode, clerkName, clerkType, contactInfo,
//! isValid, createTime, latestUpdateTime, extendProps, deleted, updatedAt}]}`.
//!
//! Every key is always present (absent values are `null`); `isValid` is `Y`/`N` as Qimen spells
//! it; `contactInfo` uses the Qimen field names; times are as the ERP sent them
//! (`YYYY-MM-DD hh:mm:ss`); `updatedAt` is RFC 3339 in the business time zone.

use std::borrow::Cow;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use posbridge_domain::clerk::ContactInfo;
use posbridge_domain::ids::ShopId;
use posbridge_protocol::json::write_json;
use posbridge_protocol::node::{List, Node, Object};
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_store::model::ClerkEntry;

use super::document::{object, optional, text};
use super::{admin_error, json_answer};
use crate::app::App;
use crate::error::ApiError;
use crate::query::Query;

/// Lists a shop's clerks by clerk code.
pub(super) async fn list(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    let query = Query::parse(query.as_deref().unwrap_or(""));
    let Some(shop) = query.get("shopId") else {
        return admin_error(ApiError::missing("shopId"));
    };
    let include_deleted = match query.get("includeDeleted") {
        None => false,
        Some(flag) if flag.eq_ignore_ascii_case("true") => true,
        Some(flag) if flag.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return admin_error(ApiError::invalid("includeDeleted", "must be true or false"));
        }
    };
    match app
        .store()
        .clerks(&ShopId::new(shop), include_deleted)
        .await
    {
        Ok(entries) => json_answer(listing_json(&entries, app.offset)),
        Err(error) => admin_error(error.into()),
    }
}

/// The listing document `{"clerks": [...]}` of `entries`, as the admin route and the CLI's
/// `clerks list --json` print it.
pub fn listing_json(entries: &[ClerkEntry], offset: UtcOffset) -> String {
    write_json(&listing(entries, offset))
}

fn listing(entries: &[ClerkEntry], offset: UtcOffset) -> Node {
    let clerks = entries.iter().map(|entry| clerk(entry, offset)).collect();
    object(vec![(
        "clerks",
        Node::List(List {
            item: None,
            items: clerks,
        }),
    )])
}

fn clerk(entry: &ClerkEntry, offset: UtcOffset) -> Node {
    let clerk = &entry.stored.clerk;
    let extend_props = Node::Object(Object {
        ty: None,
        fields: clerk
            .extend_props
            .iter()
            .map(|(name, value)| (Cow::Owned(name.clone()), text(value)))
            .collect(),
    });
    object(vec![
        ("storeCode", text(clerk.store_code.as_str())),
        ("clerkCode", text(&clerk.clerk_code)),
        (
            "sourceClerkCode",
            optional(clerk.source_clerk_code.as_ref()),
        ),
        ("clerkName", text(&clerk.clerk_name)),
        ("clerkType", text(clerk.clerk_type.as_str())),
        (
            "contactInfo",
            clerk
                .contact_info
                .as_ref()
                .map_or(Node::Null(None), contact),
        ),
        ("isValid", text(if clerk.is_valid { "Y" } else { "N" })),
        ("createTime", optional(clerk.create_time.as_ref())),
        (
            "latestUpdateTime",
            optional(clerk.latest_update_time.as_ref()),
        ),
        ("extendProps", extend_props),
        ("deleted", Node::Bool(entry.stored.deleted)),
        ("updatedAt", text(format_rfc3339(entry.updated_at, offset))),
    ])
}

fn contact(info: &ContactInfo) -> Node {
    object(vec![
        ("name", text(&info.name)),
        ("birthDate", optional(info.birth_date.as_ref())),
        ("gender", optional(info.gender.map(|g| g.as_str()))),
        ("career", optional(info.career.as_ref())),
        ("zipCode", optional(info.zip_code.as_ref())),
        ("tel", optional(info.tel.as_ref())),
        ("mobile", text(&info.mobile)),
        ("fax", optional(info.fax.as_ref())),
        ("email", optional(info.email.as_ref())),
        ("province", optional(info.province.as_ref())),
        ("city", optional(info.city.as_ref())),
        ("area", optional(info.area.as_ref())),
        ("town", optional(info.town.as_ref())),
        ("detailAddress", optional(info.detail_address.as_ref())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    use posbridge_domain::calendar::Timestamp;
    use posbridge_domain::clerk::{Clerk, ClerkType, StoredClerk};

    #[test]
    fn clerks_are_listed_with_every_key() {
        let mut clerk = Clerk::new(ShopId::new("S001"), "C1", "Li", ClerkType::Dz);
        clerk.contact_info = Some(ContactInfo::new("Li Lei", "13800000000"));
        clerk.extend_props.insert("k".into(), "v".into());
        let entry = ClerkEntry {
            stored: StoredClerk::live(clerk),
            updated_at: Timestamp(0),
        };
        let json = write_json(&listing(&[entry], UtcOffset::CHINA));
        assert_eq!(
            json,
            concat!(
                r#"{"clerks":[{"storeCode":"S001","clerkCode":"C1","sourceClerkCode":null,"#,
                r#""clerkName":"Li","clerkType":"DZ","contactInfo":{"name":"Li Lei","#,
                r#""birthDate":null,"gender":null,"career":null,"zipCode":null,"tel":null,"#,
                r#""mobile":"13800000000","fax":null,"email":null,"province":null,"city":null,"#,
                r#""area":null,"town":null,"detailAddress":null},"isValid":"Y","#,
                r#""createTime":null,"latestUpdateTime":null,"extendProps":{"k":"v"},"#,
                r#""deleted":false,"updatedAt":"1970-01-01T08:00:00.000+08:00"}]}"#
            )
        );
    }
}
