//! A settlement as submitted and validated: the header and its details.
//!
//! Two submissions are identical exactly when their contents are equal, fields compared as
//! values. That comparison decides idempotency on (merchant, `BillNum`).

use crate::amounts::{Quantity, UnitPrice};
use crate::calendar::{CivilDate, CivilTime};
use crate::ids::{BillNum, CustomerUnit, MerchantId, ProductId, ShopId};

/// Who executes the rebate (`CalUserType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CalUserType {
    /// `1`: the platform (the lessor of the scenic area).
    Platform,
    /// `2`: the merchant.
    Merchant,
}

impl CalUserType {
    /// The wire spellings.
    pub const CODES: &'static [&'static str] = &["1", "2"];

    /// Reads `1` or `2`.
    pub fn parse(code: &str) -> Option<CalUserType> {
        match code {
            "1" => Some(CalUserType::Platform),
            "2" => Some(CalUserType::Merchant),
            _ => None,
        }
    }

    /// The wire spelling.
    pub fn code(self) -> &'static str {
        match self {
            CalUserType::Platform => "1",
            CalUserType::Merchant => "2",
        }
    }
}

/// A validated settlement submission (`UnPosCustomerCalculateAddParm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementContent {
    /// `BillNum`: the merchant's key of the settlement.
    pub bill_num: String,
    /// `MerchantId`.
    pub merchant_id: MerchantId,
    /// `ShopId`.
    pub shop_id: ShopId,
    /// `HappenDate`: the business date the settlement is reported under.
    pub happen_date: CivilDate,
    /// `HappenTime`.
    pub happen_time: CivilTime,
    /// `CustomerType` + `CustomerId`: the customer unit receiving the rebate.
    pub customer: CustomerUnit,
    /// `CalUserType`.
    pub cal_user_type: CalUserType,
    /// `Memory`.
    pub memory: Option<String>,
    /// `IsPayByCash` (`Y`/`1` yes, `N`/`0`/absent no).
    pub is_pay_by_cash: bool,
    /// `Details`: 1 to 500.
    pub details: Vec<SettlementDetail>,
}

/// A validated settlement detail (`UnPosAddGuiderCalculateDetailParm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementDetail {
    /// `BillNum`: empty or the header's.
    pub bill_num: Option<String>,
    /// `SellBillNum`: the server `BillNum` of the paid sell bill settled.
    pub sell_bill_num: BillNum,
    /// `AutoId`: unique within the settlement.
    pub auto_id: i64,
    /// `MerchantId`: 0/absent or the header's.
    pub merchant_id: Option<MerchantId>,
    /// `ShopId`: empty or the header's.
    pub shop_id: Option<ShopId>,
    /// `ProductId`: a product on the sell bill.
    pub product_id: ProductId,
    /// `Amount`: the quantity settled.
    pub amount: Quantity,
    /// `ListingPrice`: must equal the sell bill's snapshot.
    pub listing_price: UnitPrice,
    /// `RetailPrice`: must equal the sell bill's snapshot.
    pub retail_price: UnitPrice,
    /// `LowestRetailPrice`: must equal the sell bill's snapshot.
    pub lowest_retail_price: UnitPrice,
    /// `CalPrice`: the unit price the rebate is computed on, `0 <= CalPrice <= RetailPrice`.
    pub cal_price: UnitPrice,
    /// Informational fields, stored as sent.
    pub info: ProductInfo,
}

/// The informational product fields of a detail, stored as sent and never checked against
/// master data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductInfo {
    /// `BarCode`.
    pub bar_code: Option<String>,
    /// `SellType`.
    pub sell_type: Option<String>,
    /// `ProductName`.
    pub product_name: Option<String>,
    /// `Standard`.
    pub standard: Option<String>,
    /// `ProducingArea`.
    pub producing_area: Option<String>,
    /// `QualityLevel`.
    pub quality_level: Option<String>,
    /// `Unit`.
    pub unit: Option<String>,
}
