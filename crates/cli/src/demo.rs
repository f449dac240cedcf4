//! `serve --demo`: sample master data (`demo/master-data.json`, embedded in the binary), and the
//! text that tells a first-time user what to try: every account's credentials and a `curl` line
//! that creates a bill valid against the sample catalog.

use std::net::SocketAddr;

use posbridge_domain::master::{AccountScope, MasterData};
use posbridge_protocol::master_data::read_master_data;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::failure::Failure;

/// The sample document, in the format of CONTRACT §3.
pub const MASTER_DATA: &str = include_str!("../demo/master-data.json");

/// The sample master data, read like any imported document.
pub fn master_data() -> Result<MasterData, Failure> {
    read_master_data(MASTER_DATA.as_bytes())
        .map_err(|err| Failure::new(format!("the embedded demo master data is invalid: {err}")))
}

/// The credentials of one sample account, as the document gives them (the store keeps only
/// hashes, so they are read from the embedded text).
fn credential(id: &str, key: &str) -> Option<String> {
    let document: Value = serde_json::from_str(MASTER_DATA).ok()?;
    document
        .get("accounts")?
        .as_array()?
        .iter()
        .find(|account| account.get("id").and_then(Value::as_str) == Some(id))?
        .get(key)?
        .as_str()
        .map(str::to_owned)
}

/// What `serve --demo` prints once the server is listening.
pub fn introduction(data: &MasterData, listen: SocketAddr, database: &str) -> String {
    let mut lines = vec![format!(
        "posbridge demo: sample master data loaded into {database}"
    )];
    let token = |id: &str| credential(id, "token").unwrap_or_else(|| "?".to_owned());
    for account in &data.accounts {
        let line = match &account.scope {
            AccountScope::Channel { shop_id, customer } => format!(
                "  channel account {} (shop {shop_id}, customer unit {customer}): \
                 Authorization: Bearer {}",
                account.id,
                token(&account.id)
            ),
            AccountScope::Merchant { merchant_id } => format!(
                "  merchant account {} (merchant {merchant_id}): Authorization: Bearer {}",
                account.id,
                token(&account.id)
            ),
            AccountScope::Erp {
                app_key,
                secret,
                customer_id,
                shop_ids,
            } => format!(
                "  erp account {} (shops {}): appKey {app_key}, secret {secret}, customerId {customer_id}",
                account.id,
                shop_ids
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        lines.push(line);
    }
    lines.push(
        "  admin: /admin/v1/... takes the token in POSBRIDGE_ADMIN_TOKEN (set it before serve)"
            .to_owned(),
    );
    if let Some((token, body)) = sample_bill(data) {
        lines.push("create a bill:".to_owned());
        lines.push(format!(
            "curl -sS -X POST http://{listen}/api/Pos/Sell/Bill/AddOrUpdate \
             -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{}'",
            shell_quoted(&token),
            shell_quoted(&body)
        ));
    }
    lines.join("\n")
}

/// The first channel account's token and an `AddOrUpdate` body that its shop's catalog accepts:
/// a product with a stock record and a price quote, at the current retail price, with a 9/10
/// discount when the lowest retail price allows it.
pub fn sample_bill(data: &MasterData) -> Option<(String, String)> {
    let (account, shop_id, customer) = data.accounts.iter().find_map(|a| match &a.scope {
        AccountScope::Channel { shop_id, customer } => Some((a, shop_id, customer)),
        _ => None,
    })?;
    let price = data.prices.iter().find(|p| {
        &p.shop_id == shop_id
            && data
                .stock
                .iter()
                .any(|s| &s.shop_id == shop_id && s.product_id == p.product_id)
    })?;
    let product = data.products.iter().find(|p| p.id == price.product_id);
    let retail = price.quote.retail_price.get();
    let text = |value: &str| Value::from(value).to_string();
    // The members in the order of seed 001's sample; numbers from the decimals' own digits.
    let mut line = vec![
        ("ProductId", price.product_id.to_string()),
        ("Amount", "2".to_owned()),
    ];
    // The floor check of CONTRACT §5, exactly: RetailPrice × 9 ≥ LowestRetailPrice × 10.
    if retail * Decimal::from(9) >= price.quote.lowest_retail_price.get() * Decimal::TEN {
        line.push(("DiscountRate", "9".to_owned()));
        line.push(("DiscountBase", "10".to_owned()));
    }
    line.push(("RetailPrice", retail.to_string()));
    if let Some(unit) = product.and_then(|p| p.unit.as_deref()) {
        line.push(("Unit", text(unit)));
    }
    if let Some(standard) = product.and_then(|p| p.standard.as_deref()) {
        line.push(("Standard", text(standard)));
    }
    let mut bill = vec![("SenderBillNum", text("demo-0001"))];
    if let Some(guide) = data.guides.iter().find(|g| &g.customer == customer) {
        bill.push(("GuiderNumber", text(guide.number.as_str())));
    }
    bill.push(("PlanDeliverType", text("1")));
    bill.push(("Details", format!("[{}]", object(&line))));
    Some((credential(&account.id, "token")?, object(&bill)))
}

/// A JSON object of members whose values are already JSON text.
fn object(members: &[(&str, String)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(key, value)| format!("\"{key}\":{value}"))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// Text safe inside single quotes in a POSIX shell.
fn shell_quoted(text: &str) -> String {
    text.replace('\'', r"'\''")
}

#[cfg(test)]
mod tests {
    use posbridge_domain::master::KnownKeys;

    use super::*;

    #[test]
    fn the_demo_document_is_complete_and_its_bill_is_valid() {
        let data = master_data().unwrap();
        data.check_references(&KnownKeys::default()).unwrap();
        let (token, body) = sample_bill(&data).unwrap();
        assert_eq!(token, "demo-channel-s001");
        serde_json::from_str::<Value>(&body).unwrap();
        assert_eq!(
            body,
            concat!(
                r#"{"SenderBillNum":"demo-0001","GuiderNumber":"D-330100-01","PlanDeliverType":"1","#,
                r#""Details":[{"ProductId":1,"Amount":2,"DiscountRate":9,"DiscountBase":10,"#,
                r#""RetailPrice":99.00,"Unit":"pc","Standard":"180x90"}]}"#
            )
        );
        let intro = introduction(&data, "127.0.0.1:8080".parse().unwrap(), "sqlite://x.db");
        assert!(intro.contains("Bearer demo-merchant-2"), "{intro}");
        assert!(intro.contains("appKey demo-app-key"), "{intro}");
        assert!(
            intro.contains("curl -sS -X POST http://127.0.0.1:8080/"),
            "{intro}"
        );
    }
}
