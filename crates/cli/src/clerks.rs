//! `posbridge clerks list --shop-id S [--include-deleted]` (CONTRACT §7, §12): a shop's clerks
//! straight from the database, by clerk code, as a table or (`--json`) the document of
//! `GET /admin/v1/clerks`.
//!
//! The JSON is the server's own listing builder (`admin::clerk_listing_json`), so the two
//! cannot differ.

use clap::Args;
use posbridge_domain::ids::ShopId;
use posbridge_protocol::report::{Cell, Table};
use posbridge_protocol::time_text::format_rfc3339;
use posbridge_server::admin::clerk_listing_json;

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
        println!("{}", clerk_listing_json(&entries, args.common.timezone));
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
