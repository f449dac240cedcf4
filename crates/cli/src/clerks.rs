//! `posbridge clerks list --shop-id S [--include-deleted]` (CONTRACT §7, §12): a shop's clerks
//! straight from the database, by clerk code, as a table or (`--json`) the document of
//! `GET /admin/v1/clerks`.
//!
//! The server builds that document privately (`admin::clerks`), so it is written here again
//! from the same store entries, key for key; a test compares both on one database so they
//! cannot drift apart.

use std::borrow::Cow;

use clap::Args;
use posbridge_domain::clerk::ContactInfo;
use posbridge_domain::ids::ShopId;
use posbridge_protocol::json::write_json;
use posbridge_protocol::node::{List, Node, Object};
use posbridge_protocol::report::{Cell, Table};
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_store::model::ClerkEntry;

use crate::callbacks::Common;
use crate::data;
use crate::failure::Failure;
use crate::report::aligned;

/// `clerks list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The shop (the Qimen storeCode).
    #[arg(long, value_name = "S")]
    shop_id: String,
    /// Show deleted clerks too.
    #[arg(long)]
    include_deleted: bool,
    /// Print the admin API's JSON document.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    common: Common,
}

/// Runs `clerks list`.
pub async fn list(args: ListArgs) -> Result<(), Failure> {
    let url = &args.common.database.database;
    let store = data::open(url).await?;
    let shop = ShopId::new(args.shop_id.trim());
    let entries = store
        .clerks(&shop, args.include_deleted)
        .await
        .map_err(|err| Failure::store(url, &err))?;
    if args.json {
        println!("{}", write_json(&listing(&entries, args.common.timezone)));
        return Ok(());
    }
    if entries.is_empty() {
        println!("no clerks at shop {shop}");
        return Ok(());
    }
    const COLUMNS: &[&str] = &[
        "clerkCode",
        "clerkName",
        "clerkType",
        "isValid",
        "deleted",
        "updatedAt",
    ];
    let rows = entries.iter().map(|entry| {
        let clerk = &entry.stored.clerk;
        let text = |value: &str| Cell::Text(value.to_owned());
        vec![
            text(&clerk.clerk_code),
            text(&clerk.clerk_name),
            text(clerk.clerk_type.as_str()),
            text(if clerk.is_valid { "Y" } else { "N" }),
            text(if entry.stored.deleted { "yes" } else { "no" }),
            text(&format_rfc3339(entry.updated_at, args.common.timezone)),
        ]
    });
    print!(
        "{}",
        aligned(&Table {
            columns: COLUMNS,
            rows: rows.collect(),
        })
    );
    Ok(())
}

/// `{"clerks": [...]}` as the admin API writes it.
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

fn object(fields: Vec<(&'static str, Node)>) -> Node {
    Node::Object(Object {
        ty: None,
        fields: fields
            .into_iter()
            .map(|(name, node)| (Cow::Borrowed(name), node))
            .collect(),
    })
}

fn text(value: impl ToString) -> Node {
    Node::Text(value.to_string())
}

fn optional<T: ToString>(value: Option<T>) -> Node {
    value.map_or(Node::Null(None), text)
}
