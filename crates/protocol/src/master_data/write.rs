//! [`MasterData`] to the JSON document of CONTRACT §3, keys in the order §3 lists them.
//!
//! Decimals are written as strings from the `Decimal`'s own digits (`"0.30"` stays `"0.30"`), and
//! accounts carry `tokenSha256` instead of `token`, which is never stored.

use posbridge_domain::master::{Account, AccountScope, MasterData};
use serde_json::Value;

/// A JSON value whose objects keep their keys in the order they were built.
enum Json {
    Object(Vec<(&'static str, Json)>),
    List(Vec<Json>),
    Text(String),
    Integer(i64),
}

fn text(value: impl ToString) -> Json {
    Json::Text(value.to_string())
}

/// Writes master data as the document [`super::read_master_data`] reads, pretty-printed with a
/// final newline. Reading it back gives the same `MasterData`.
///
/// ```
/// use posbridge_domain::ids::MerchantId;
/// use posbridge_domain::master::{MasterData, Merchant};
/// use posbridge_protocol::master_data::{read_master_data, write_master_data};
///
/// let data = MasterData {
///     merchants: vec![Merchant { id: MerchantId(2), name: "West Lake Silk".into() }],
///     ..MasterData::default()
/// };
/// let json = write_master_data(&data);
/// assert!(json.contains(r#""name": "West Lake Silk""#));
/// assert_eq!(read_master_data(json.as_bytes()).unwrap(), data);
/// ```
pub fn write_master_data(data: &MasterData) -> String {
    let list = |items: Vec<Json>| Json::List(items);
    let document = Json::Object(vec![
        (
            "merchants",
            list(
                data.merchants
                    .iter()
                    .map(|m| {
                        Json::Object(vec![("id", Json::Integer(m.id.0)), ("name", text(&m.name))])
                    })
                    .collect(),
            ),
        ),
        (
            "shops",
            list(
                data.shops
                    .iter()
                    .map(|s| {
                        Json::Object(vec![
                            ("id", text(&s.id)),
                            ("merchantId", Json::Integer(s.merchant_id.0)),
                            ("name", text(&s.name)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "customerUnits",
            list(
                data.customer_units
                    .iter()
                    .map(|c| {
                        Json::Object(vec![
                            ("type", text(&c.unit.customer_type)),
                            ("id", text(&c.unit.customer_id)),
                            ("name", text(&c.name)),
                            ("rebateRate", text(c.rebate_rate)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "guides",
            list(
                data.guides
                    .iter()
                    .map(|g| {
                        Json::Object(vec![
                            ("number", text(&g.number)),
                            ("name", text(&g.name)),
                            ("customerType", text(&g.customer.customer_type)),
                            ("customerId", text(&g.customer.customer_id)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "products",
            list(
                data.products
                    .iter()
                    .map(|p| {
                        let mut fields = vec![("id", Json::Integer(p.id.0))];
                        let optional = [
                            ("barCode", p.bar_code.as_ref()),
                            ("name", Some(&p.name)),
                            ("standard", p.standard.as_ref()),
                            ("unit", p.unit.as_ref()),
                            ("producingArea", p.producing_area.as_ref()),
                            ("qualityLevel", p.quality_level.as_ref()),
                            ("sellType", p.sell_type.as_ref()),
                        ];
                        for (key, value) in optional {
                            if let Some(value) = value {
                                fields.push((key, text(value)));
                            }
                        }
                        Json::Object(fields)
                    })
                    .collect(),
            ),
        ),
        (
            "stock",
            list(
                data.stock
                    .iter()
                    .map(|s| {
                        Json::Object(vec![
                            ("shopId", text(&s.shop_id)),
                            ("productId", Json::Integer(s.product_id.0)),
                            ("quantity", text(s.quantity)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "prices",
            list(
                data.prices
                    .iter()
                    .map(|p| {
                        Json::Object(vec![
                            ("shopId", text(&p.shop_id)),
                            ("productId", Json::Integer(p.product_id.0)),
                            ("listingPrice", text(p.quote.listing_price)),
                            ("retailPrice", text(p.quote.retail_price)),
                            ("lowestRetailPrice", text(p.quote.lowest_retail_price)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "accounts",
            list(data.accounts.iter().map(account).collect()),
        ),
    ]);
    let mut out = String::new();
    write(&document, 0, &mut out);
    out.push('\n');
    out
}

fn account(account: &Account) -> Json {
    let mut fields = vec![
        ("id", text(&account.id)),
        ("kind", text(account.scope.kind())),
    ];
    if let Some(hash) = account.token_sha256 {
        fields.push(("tokenSha256", Json::Text(hex(&hash))));
    }
    match &account.scope {
        AccountScope::Channel { shop_id, customer } => {
            fields.push(("shopId", text(shop_id)));
            fields.push(("customerType", text(&customer.customer_type)));
            fields.push(("customerId", text(&customer.customer_id)));
        }
        AccountScope::Merchant { merchant_id } => {
            fields.push(("merchantId", Json::Integer(merchant_id.0)));
        }
        AccountScope::Erp {
            app_key,
            secret,
            customer_id,
            shop_ids,
        } => {
            fields.push(("appKey", text(app_key)));
            fields.push(("secret", text(secret)));
            fields.push(("customerId", text(customer_id)));
            fields.push(("shopIds", Json::List(shop_ids.iter().map(text).collect())));
        }
    }
    if let Some(callback) = &account.callback {
        fields.push(("callbackUrl", text(&callback.url)));
        if let Some(secret) = &callback.secret {
            fields.push(("callbackSecret", text(secret)));
        }
    }
    Json::Object(fields)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Pretty JSON, two spaces per level, as serde_json's pretty printer lays it out.
fn write(json: &Json, level: usize, out: &mut String) {
    let indent = |out: &mut String, level: usize| out.extend(std::iter::repeat_n("  ", level));
    match json {
        // serde_json escapes the text exactly as JSON requires.
        Json::Text(text) => out.push_str(&Value::from(text.as_str()).to_string()),
        Json::Integer(value) => out.push_str(&value.to_string()),
        Json::List(items) if items.is_empty() => out.push_str("[]"),
        Json::List(items) => {
            out.push('[');
            for (idx, item) in items.iter().enumerate() {
                out.push_str(if idx == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                write(item, level + 1, out);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Json::Object(fields) => {
            out.push('{');
            for (idx, (key, value)) in fields.iter().enumerate() {
                out.push_str(if idx == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                out.push('"');
                out.push_str(key);
                out.push_str("\": ");
                write(value, level + 1, out);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
    }
}
