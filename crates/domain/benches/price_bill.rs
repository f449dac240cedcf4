//! Validating and pricing a 500-line bill: the domain's share of one AddOrUpdate.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p posbridge-domain`).

// A bench whose fixed input stopped being valid must stop loudly, not measure an error path.
#![allow(clippy::expect_used)]

use posbridge_domain::amounts::UnitPrice;
use posbridge_domain::catalog::{PriceQuote, ShopCatalog};
use posbridge_domain::ids::ProductId;
use posbridge_domain::sell_bill::{SellBillDraft, SellLineDraft, price_bill};
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

const LINES: i64 = 500;

fn catalog() -> ShopCatalog {
    let price = |units: i64| UnitPrice::new(Decimal::new(units, 2)).expect("valid price");
    (1..=LINES).fold(ShopCatalog::new(), |catalog, id| {
        let quote = PriceQuote {
            listing_price: price(20_000 + id),
            retail_price: price(9_900 + id),
            lowest_retail_price: price(5_000 + id),
        };
        catalog
            .with_stock(ProductId(id), Decimal::from(id))
            .with_price(ProductId(id), quote)
    })
}

fn bill() -> SellBillDraft {
    let details = (1..=LINES)
        .map(|id| SellLineDraft {
            product_id: Some(id),
            amount: Some(Decimal::new(id * 3 + 1, 1)),
            discount_rate: Some(Decimal::new(85 + id % 15, 1)),
            discount_base: Some(Decimal::from(10)),
            retail_price: Some(Decimal::new(9_900 + id, 2)),
            unit: Some("件".into()),
            standard: Some("180x90".into()),
        })
        .collect();
    SellBillDraft {
        sender_bill_num: Some("P-BENCH-0001".into()),
        guest_name: Some("老王".into()),
        details,
        ..SellBillDraft::default()
    }
}

/// Field validation, catalog checks and exact pricing of all 500 lines.
#[divan::bench]
fn validate_and_price_500_lines(bencher: divan::Bencher) {
    let catalog = catalog();
    let draft = bill();
    bencher.bench(|| {
        let content = draft.validate().expect("valid bill");
        price_bill(divan::black_box(&content), &catalog).expect("priced bill")
    });
}

/// Field validation alone.
#[divan::bench]
fn validate_500_lines(bencher: divan::Bencher) {
    let draft = bill();
    bencher.bench(|| divan::black_box(&draft).validate().expect("valid bill"));
}
