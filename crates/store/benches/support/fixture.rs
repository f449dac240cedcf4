//! A minimal shop for the bench and the crash writer: one merchant, shop, customer unit, product
//! with a price, and a channel account; and a one-line bill for a given key.

use posbridge_domain::amounts::{RebateRate, UnitPrice};
use posbridge_domain::catalog::PriceQuote;
use posbridge_domain::ids::{CustomerUnit, MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    Account, AccountScope, CustomerUnitEntry, MasterData, Merchant, PriceRecord, Product, Shop,
    StockRecord,
};
use posbridge_domain::sell_bill::{Channel, SellBillContent, SellBillDraft, SellLineDraft};
use rust_decimal::Decimal;

/// The channel account the bills are created by.
pub const ACCOUNT_ID: &str = "ch-bench";

/// The channel of that account.
pub fn channel() -> Channel {
    Channel {
        shop_id: ShopId::new("S001"),
        customer: CustomerUnit::new("TA", "C001"),
    }
}

/// The master data of the shop.
pub fn master_data() -> Result<MasterData, String> {
    let price = |p: i64| UnitPrice::new(Decimal::from(p)).map_err(|e| e.to_string());
    Ok(MasterData {
        merchants: vec![Merchant {
            id: MerchantId(2),
            name: "West Lake Silk".into(),
        }],
        shops: vec![Shop {
            id: ShopId::new("S001"),
            merchant_id: MerchantId(2),
            name: "Silk Hall".into(),
        }],
        customer_units: vec![CustomerUnitEntry {
            unit: CustomerUnit::new("TA", "C001"),
            name: "Sunny Travel".into(),
            rebate_rate: RebateRate::new(Decimal::new(30, 2)).map_err(|e| e.to_string())?,
        }],
        guides: vec![],
        products: vec![Product {
            id: ProductId(1),
            bar_code: Some("6901234567892".into()),
            name: "Silk scarf".into(),
            standard: None,
            unit: Some("pc".into()),
            producing_area: None,
            quality_level: None,
            sell_type: None,
        }],
        stock: vec![StockRecord {
            shop_id: ShopId::new("S001"),
            product_id: ProductId(1),
            quantity: Decimal::ZERO,
        }],
        prices: vec![PriceRecord {
            shop_id: ShopId::new("S001"),
            product_id: ProductId(1),
            quote: PriceQuote {
                listing_price: price(128)?,
                retail_price: price(99)?,
                lowest_retail_price: price(79)?,
            },
        }],
        accounts: vec![Account {
            id: ACCOUNT_ID.into(),
            scope: AccountScope::Channel {
                shop_id: ShopId::new("S001"),
                customer: CustomerUnit::new("TA", "C001"),
            },
            token_sha256: Some([1; 32]),
            callback: None,
        }],
    })
}

/// A valid one-line bill keyed `sender_bill_num`.
pub fn bill(sender_bill_num: &str) -> Result<SellBillContent, String> {
    let draft = SellBillDraft {
        sender_bill_num: Some(sender_bill_num.into()),
        details: vec![SellLineDraft {
            product_id: Some(1),
            amount: Some(Decimal::from(2)),
            retail_price: Some(Decimal::from(99)),
            discount_rate: Some(Decimal::new(85, 1)),
            discount_base: Some(Decimal::from(10)),
            ..SellLineDraft::default()
        }],
        ..SellBillDraft::default()
    };
    draft.validate().map_err(|e| e.to_string())
}
