//! Strategies for shop catalogs, valid bills against them, and each kind of invalid bill.

use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

use super::decimals::{decimal_in, unit_price_in};
use crate::amounts::UnitPrice;
use crate::catalog::{PriceQuote, ShopCatalog};
use crate::error_kind::ErrorKind;
use crate::ids::{GuiderNumber, ProductId};
use crate::limits::BILL_LINES_MAX;
use crate::pricing::{Discount, meets_floor};
use crate::sell_bill::{SellBillDraft, SellLineDraft};

/// A catalog with products of every standing: sellable ones, ones without a warehouse record,
/// and ones without a price quote.
#[derive(Debug, Clone)]
pub struct GeneratedCatalog {
    /// The catalog itself.
    pub catalog: ShopCatalog,
    /// Products with a warehouse record (sometimes zero stock) and a price quote.
    pub sellable: Vec<ProductId>,
    /// Products with a price quote but no warehouse record (2001).
    pub without_stock: Vec<ProductId>,
    /// Products with a warehouse record but no price quote (2002).
    pub without_price: Vec<ProductId>,
    /// Known guides.
    pub guides: Vec<GuiderNumber>,
    /// A product in stock whose lowest retail price equals its retail price (above 0), so any
    /// discount on it goes below the floor (2004). Valid bills never use it.
    pub floor_priced: ProductId,
}

/// A price quote with `lowest <= retail <= listing`.
pub fn price_quote() -> impl Strategy<Value = PriceQuote> {
    (
        unit_price_in(100_000),
        unit_price_in(10_000),
        unit_price_in(10_000),
    )
        .prop_map(|(retail, below, above)| {
            let lowest = (retail.get() - below.get()).max(Decimal::ZERO);
            let listing = retail.get() + above.get();
            PriceQuote {
                listing_price: price(listing),
                retail_price: retail,
                lowest_retail_price: price(lowest),
            }
        })
}

fn price(value: Decimal) -> UnitPrice {
    // Sums and differences of the valid prices generated here stay valid.
    UnitPrice::new(value).unwrap_or(UnitPrice::ZERO)
}

/// A catalog with 1 to 8 sellable products, 1 or 2 products lacking stock, 1 or 2 lacking a price,
/// and 0 to 3 guides.
pub fn catalog() -> impl Strategy<Value = GeneratedCatalog> {
    (
        proptest::collection::vec((price_quote(), any::<bool>()), 1..=8),
        proptest::collection::vec(price_quote(), 1..=2),
        1usize..=2,
        0usize..=3,
    )
        .prop_map(
            |(sellable_quotes, unstocked_quotes, n_unpriced, n_guides)| {
                let mut catalog = ShopCatalog::new();
                let mut sellable = Vec::new();
                for (id, (quote, zero_stock)) in (1..).zip(sellable_quotes) {
                    let product = ProductId(id);
                    let stock = if zero_stock {
                        Decimal::ZERO
                    } else {
                        Decimal::from(id * 10)
                    };
                    catalog = catalog
                        .with_stock(product, stock)
                        .with_price(product, quote);
                    sellable.push(product);
                }
                let mut without_stock = Vec::new();
                for (id, quote) in (101..).zip(unstocked_quotes) {
                    catalog = catalog.with_price(ProductId(id), quote);
                    without_stock.push(ProductId(id));
                }
                let mut without_price = Vec::new();
                for id in (201..).take(n_unpriced) {
                    catalog = catalog.with_stock(ProductId(id), Decimal::ONE);
                    without_price.push(ProductId(id));
                }
                let floor_priced = ProductId(301);
                let floor = price(Decimal::new(9_900, 2));
                let floor_quote = PriceQuote {
                    listing_price: floor,
                    retail_price: floor,
                    lowest_retail_price: floor,
                };
                catalog = catalog
                    .with_stock(floor_priced, Decimal::ONE)
                    .with_price(floor_priced, floor_quote);
                let guides: Vec<GuiderNumber> = (1..=n_guides)
                    .map(|n| GuiderNumber::new(format!("D-330100-{n:02}")))
                    .collect();
                for guide in &guides {
                    catalog = catalog.with_guide(guide.clone());
                }
                GeneratedCatalog {
                    catalog,
                    sellable,
                    without_stock,
                    without_price,
                    guides,
                    floor_priced,
                }
            },
        )
}

/// A discount pair: none (absent or both 0), or `rate / base` with `0 <= rate <= base`.
pub fn discount() -> impl Strategy<Value = (Option<Decimal>, Option<Decimal>)> {
    prop_oneof![
        Just((None, None)),
        Just((Some(Decimal::ZERO), Some(Decimal::ZERO))),
        (decimal_in(1, 100), 0u32..=100).prop_map(|(base, percent)| {
            let rate = (base * Decimal::from(percent) / Decimal::from(100)).trunc_with_scale(4);
            (Some(rate), Some(base))
        }),
    ]
}

/// A valid line for one of the catalog's sellable products. A discount that would go below
/// the floor is replaced by no discount, so the line always passes.
pub fn valid_line(generated: &GeneratedCatalog) -> impl Strategy<Value = SellLineDraft> + use<> {
    let catalog = generated.catalog.clone();
    (
        select(generated.sellable.clone()),
        decimal_in(1, 1_000),
        discount(),
        text(20),
    )
        .prop_map(move |(product, amount, (rate, base), unit)| {
            let quote = catalog.prices.get(&product).copied();
            let retail = quote.map_or(Decimal::ZERO, |q| q.retail_price.get());
            let floor_met = quote.is_some_and(|q| {
                Discount::new(rate.unwrap_or_default(), base.unwrap_or_default())
                    .ok()
                    .and_then(|discount| discount.fraction().ok())
                    .is_some_and(|f| meets_floor(q.retail_price, f, q.lowest_retail_price))
            });
            let (rate, base) = if floor_met {
                (rate, base)
            } else {
                (None, None)
            };
            SellLineDraft {
                product_id: Some(product.0),
                amount: Some(amount),
                discount_rate: rate,
                discount_base: base,
                retail_price: Some(retail),
                unit,
                standard: None,
            }
        })
}

/// Optional text of up to `max` characters, Chinese and XML special characters included.
pub fn text(max: usize) -> impl Strategy<Value = Option<String>> {
    const CHARS: &[char] = &[
        'a', 'Z', '0', '9', ' ', '老', '王', '杭', '州', '<', '>', '&', '"', '\'', '-',
    ];
    let chars = proptest::collection::vec(select(CHARS), 1..=max.clamp(1, 12));
    proptest::option::of(chars.prop_map(|chars| chars.into_iter().collect()))
}

/// A valid bill for the catalog: 1 to `max_lines` lines (the same product may repeat), a known
/// guide or none, and optional header fields.
pub fn valid_bill(
    generated: &GeneratedCatalog,
    max_lines: usize,
) -> impl Strategy<Value = SellBillDraft> + use<> {
    let guides = generated.guides.clone();
    let guide = if guides.is_empty() {
        Just(None).boxed()
    } else {
        proptest::option::of(select(guides).prop_map(|g| g.as_str().to_owned())).boxed()
    };
    (
        "[A-Z]{1,3}-[0-9]{1,8}",
        guide,
        text(100),
        text(30),
        proptest::option::of(select(vec!["1", "2", "3"])),
        proptest::collection::vec(
            valid_line(generated),
            1..=max_lines.clamp(1, BILL_LINES_MAX),
        ),
    )
        .prop_map(
            |(sender, guider, memory, guest_name, deliver, details)| SellBillDraft {
                sender_bill_num: Some(sender),
                guider_number: guider,
                memory,
                guest_name,
                deliver_address: (deliver == Some("2")).then(|| "文一路 1 号".to_owned()),
                plan_deliver_type: deliver.map(str::to_owned),
                details,
                ..SellBillDraft::default()
            },
        )
}

/// Each way a bill can be invalid, and the kind it must be refused with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// No `SenderBillNum` (1002).
    MissingSenderBillNum,
    /// `GuestName` over 30 characters (1003).
    GuestNameTooLong,
    /// An `Amount` with 5 decimal places (1003).
    TooManyDecimals,
    /// 501 lines (1004).
    TooManyLines,
    /// A product without a warehouse record (2001).
    NoStockRecord,
    /// A product without a price quote (2002).
    NoPriceQuote,
    /// A `RetailPrice` other than the shop's (2003).
    RetailPriceMismatch,
    /// A discount below the floor (2004).
    BelowLowestRetailPrice,
    /// A discount rate above its base (2005).
    InvalidDiscount,
    /// An unknown guide (2006).
    UnknownGuide,
}

impl Defect {
    /// Every defect.
    pub const ALL: [Defect; 10] = [
        Defect::MissingSenderBillNum,
        Defect::GuestNameTooLong,
        Defect::TooManyDecimals,
        Defect::TooManyLines,
        Defect::NoStockRecord,
        Defect::NoPriceQuote,
        Defect::RetailPriceMismatch,
        Defect::BelowLowestRetailPrice,
        Defect::InvalidDiscount,
        Defect::UnknownGuide,
    ];

    /// The kind a bill with only this defect is refused with.
    pub fn kind(self) -> ErrorKind {
        match self {
            Defect::MissingSenderBillNum => ErrorKind::MissingField,
            Defect::GuestNameTooLong | Defect::TooManyDecimals => ErrorKind::InvalidField,
            Defect::TooManyLines => ErrorKind::TooManyItems,
            Defect::NoStockRecord => ErrorKind::NoStockRecord,
            Defect::NoPriceQuote => ErrorKind::NoPriceQuote,
            Defect::RetailPriceMismatch => ErrorKind::RetailPriceMismatch,
            Defect::BelowLowestRetailPrice => ErrorKind::BelowLowestRetailPrice,
            Defect::InvalidDiscount => ErrorKind::InvalidDiscount,
            Defect::UnknownGuide => ErrorKind::UnknownGuide,
        }
    }
}

/// A bill with exactly one defect, the defect, and the line it was put on (for line defects).
pub fn invalid_bill(
    generated: &GeneratedCatalog,
) -> impl Strategy<Value = (SellBillDraft, Defect, Option<usize>)> + use<> {
    let generated = generated.clone();
    (
        valid_bill(&generated, 8),
        select(Defect::ALL.to_vec()),
        any::<proptest::sample::Index>(),
    )
        .prop_map(move |(bill, defect, index)| {
            let line_index = index.index(bill.details.len());
            let broken = break_bill(bill, defect, line_index, &generated);
            let line_no = is_line_defect(defect).then_some(line_index + 1);
            (broken, defect, line_no)
        })
}

fn is_line_defect(defect: Defect) -> bool {
    matches!(
        defect,
        Defect::NoStockRecord
            | Defect::NoPriceQuote
            | Defect::RetailPriceMismatch
            | Defect::BelowLowestRetailPrice
            | Defect::InvalidDiscount
    )
}

fn break_bill(
    mut bill: SellBillDraft,
    defect: Defect,
    line_index: usize,
    generated: &GeneratedCatalog,
) -> SellBillDraft {
    let catalog = &generated.catalog;
    let Some(line) = bill.details.get_mut(line_index) else {
        return bill;
    };
    match defect {
        Defect::MissingSenderBillNum => bill.sender_bill_num = None,
        Defect::GuestNameTooLong => bill.guest_name = Some("老".repeat(31)),
        Defect::TooManyDecimals => line.amount = Some(Decimal::new(100_001, 5)),
        Defect::TooManyLines => {
            let line = line.clone();
            bill.details = vec![line; BILL_LINES_MAX + 1];
        }
        Defect::NoStockRecord => line.product_id = generated.without_stock.first().map(|p| p.0),
        Defect::NoPriceQuote => line.product_id = generated.without_price.first().map(|p| p.0),
        Defect::RetailPriceMismatch => {
            line.retail_price = line.retail_price.map(|p| p + Decimal::new(1, 2));
        }
        Defect::BelowLowestRetailPrice => {
            let floor = catalog
                .prices
                .get(&generated.floor_priced)
                .map(|q| q.retail_price.get());
            line.product_id = Some(generated.floor_priced.0);
            line.retail_price = floor;
            line.discount_rate = Some(Decimal::from(9));
            line.discount_base = Some(Decimal::from(10));
        }
        Defect::InvalidDiscount => {
            line.discount_rate = Some(Decimal::from(11));
            line.discount_base = Some(Decimal::from(10));
        }
        Defect::UnknownGuide => bill.guider_number = Some("D-000000-99".to_owned()),
    }
    bill
}
