//! A shop's catalog as plain data, and the reasons a bill line fails against it (2001–2006).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::amounts::UnitPrice;
use crate::error_kind::ErrorKind;
use crate::ids::{GuiderNumber, ProductId};
use crate::pricing::InvalidDiscount;
use crate::rejection::{Failure, Rejection};

/// A shop's price quote for one product. A bill line keeps a copy of it as its snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PriceQuote {
    /// `ListingPrice`: the price on the tag.
    pub listing_price: UnitPrice,
    /// `RetailPrice`: the price a bill line must carry.
    pub retail_price: UnitPrice,
    /// `LowestRetailPrice`: the floor a discount may not go below.
    pub lowest_retail_price: UnitPrice,
}

/// What the rules need to know about one shop when a bill is submitted: which products have a
/// warehouse record (quantity may be zero), their current price quotes, and the known guides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShopCatalog {
    /// Stock records by product; the quantity is informational (zero stock is allowed).
    pub stock: BTreeMap<ProductId, Decimal>,
    /// Current price quotes by product.
    pub prices: BTreeMap<ProductId, PriceQuote>,
    /// Known guide numbers.
    pub guides: BTreeSet<GuiderNumber>,
}

impl ShopCatalog {
    /// An empty catalog.
    pub fn new() -> Self {
        ShopCatalog::default()
    }

    /// Adds a stock record.
    pub fn with_stock(mut self, product: ProductId, quantity: Decimal) -> Self {
        self.stock.insert(product, quantity);
        self
    }

    /// Adds a price quote.
    pub fn with_price(mut self, product: ProductId, quote: PriceQuote) -> Self {
        self.prices.insert(product, quote);
        self
    }

    /// Adds a known guide.
    pub fn with_guide(mut self, guide: GuiderNumber) -> Self {
        self.guides.insert(guide);
        self
    }
}

/// Why one line (or the bill's guide) fails against the catalog. `line_no` counts from 1, as the
/// bill view's `LineNo` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogFailure {
    /// 2001: no warehouse record for the product at the shop.
    #[error("line {line_no}: product {product_id} has no warehouse record at the shop")]
    NoStockRecord {
        /// The failing line.
        line_no: usize,
        /// Its product.
        product_id: ProductId,
    },
    /// 2002: no price quote for the product at the shop.
    #[error("line {line_no}: product {product_id} has no price quote at the shop")]
    NoPriceQuote {
        /// The failing line.
        line_no: usize,
        /// Its product.
        product_id: ProductId,
    },
    /// 2003: `RetailPrice` differs from the shop's current retail price.
    #[error(
        "line {line_no}: RetailPrice {given} of product {product_id} differs from the shop's current retail price {expected}"
    )]
    RetailPriceMismatch {
        /// The failing line.
        line_no: usize,
        /// Its product.
        product_id: ProductId,
        /// The shop's current retail price.
        expected: Decimal,
        /// The price on the line.
        given: Decimal,
    },
    /// 2005: the discount pair is not a valid fraction.
    #[error("line {line_no}: {reason}")]
    InvalidDiscount {
        /// The failing line.
        line_no: usize,
        /// The pair and why it is invalid.
        reason: InvalidDiscount,
    },
    /// 2004: the discounted unit price is below the lowest retail price.
    #[error(
        "line {line_no}: discounted price {discounted_price} of product {product_id} is below the lowest retail price {lowest_retail_price}"
    )]
    BelowLowestRetailPrice {
        /// The failing line.
        line_no: usize,
        /// Its product.
        product_id: ProductId,
        /// `RetailPrice × DiscountRate / DiscountBase`, for the message.
        discounted_price: Decimal,
        /// The shop's floor.
        lowest_retail_price: Decimal,
    },
    /// 2006: the bill's `GuiderNumber` is not a known guide.
    #[error("unknown guide number {guider_number}")]
    UnknownGuide {
        /// The number sent.
        guider_number: GuiderNumber,
    },
}

impl CatalogFailure {
    /// The kind of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CatalogFailure::NoStockRecord { .. } => ErrorKind::NoStockRecord,
            CatalogFailure::NoPriceQuote { .. } => ErrorKind::NoPriceQuote,
            CatalogFailure::RetailPriceMismatch { .. } => ErrorKind::RetailPriceMismatch,
            CatalogFailure::InvalidDiscount { .. } => ErrorKind::InvalidDiscount,
            CatalogFailure::BelowLowestRetailPrice { .. } => ErrorKind::BelowLowestRetailPrice,
            CatalogFailure::UnknownGuide { .. } => ErrorKind::UnknownGuide,
        }
    }
}

/// Every failure of one bill against the catalog, lines in order, then the guide.
pub type CatalogRejection = Rejection<CatalogFailure>;

impl Failure for CatalogFailure {
    fn kind(&self) -> ErrorKind {
        CatalogFailure::kind(self)
    }
}
