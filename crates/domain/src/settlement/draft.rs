//! A settlement submission as plain data, and its field validation (1002, 1003, 1004).

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::content::{CalUserType, ProductInfo, SettlementContent, SettlementDetail};
use crate::amounts::{Quantity, UnitPrice};
use crate::calendar::{CivilDate, CivilTime};
use crate::field::{
    FieldError, FieldPath, FieldProblem, check_item_count, optional_text, required, required_text,
};
use crate::ids::{BillNum, CustomerUnit, MerchantId, ProductId, ShopId};
use crate::limits::{CountLimits, settlement as len};

/// A settlement as a wire reader fills it in: every field optional, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettlementDraft {
    /// `BillNum`, required.
    pub bill_num: Option<String>,
    /// `MerchantId`, required.
    pub merchant_id: Option<i64>,
    /// `ShopId`, required.
    pub shop_id: Option<String>,
    /// `HappenDate`, required, `yyyyMMdd`.
    pub happen_date: Option<String>,
    /// `HappenTime`, required, `HHmmss`.
    pub happen_time: Option<String>,
    /// `CustomerType`, required.
    pub customer_type: Option<String>,
    /// `CustomerId`, required.
    pub customer_id: Option<String>,
    /// `CalUserType`, required, `1` or `2`.
    pub cal_user_type: Option<String>,
    /// `Memory`, at most 100 characters.
    pub memory: Option<String>,
    /// `IsPayByCash`: `Y`, `N`, `1` or `0`; absent means `N`.
    pub is_pay_by_cash: Option<String>,
    /// `Details`: 1 to 500.
    pub details: Vec<SettlementDetailDraft>,
}

/// A settlement detail as a wire reader fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettlementDetailDraft {
    /// `BillNum`.
    pub bill_num: Option<String>,
    /// `SellBillNum`, required.
    pub sell_bill_num: Option<String>,
    /// `AutoId`, required.
    pub auto_id: Option<i64>,
    /// `MerchantId`; 0 counts as absent.
    pub merchant_id: Option<i64>,
    /// `ShopId`.
    pub shop_id: Option<String>,
    /// `ProductId`, required.
    pub product_id: Option<i64>,
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
    /// `Amount`, required, greater than 0.
    pub amount: Option<Decimal>,
    /// `ListingPrice`, required.
    pub listing_price: Option<Decimal>,
    /// `RetailPrice`, required.
    pub retail_price: Option<Decimal>,
    /// `LowestRetailPrice`, required.
    pub lowest_retail_price: Option<Decimal>,
    /// `CalPrice`, required.
    pub cal_price: Option<Decimal>,
}

impl SettlementDraft {
    /// Checks every field and returns the content, or the first field error in document order,
    /// allowing the contract's 500 details ([`CountLimits::DEFAULT`]; see
    /// [`validate_within`](Self::validate_within) for a server's own count).
    ///
    /// ```
    /// use posbridge_domain::settlement::SettlementDraft;
    ///
    /// let draft = SettlementDraft {
    ///     bill_num: Some("JS-1".into()),
    ///     merchant_id: Some(2),
    ///     shop_id: Some("S001".into()),
    ///     happen_date: Some("20230229".into()),
    ///     ..SettlementDraft::default()
    /// };
    /// let err = draft.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "field HappenDate must be a real date or time formatted yyyyMMdd");
    /// ```
    pub fn validate(&self) -> Result<SettlementContent, FieldError> {
        self.validate_within(CountLimits::DEFAULT)
    }

    /// [`validate`](Self::validate), allowing at most `limits.details()` details: more is
    /// [`FieldError::TooMany`] (1004).
    pub fn validate_within(&self, limits: CountLimits) -> Result<SettlementContent, FieldError> {
        let path = FieldPath::new;
        let bill_num = required_text(
            self.bill_num.as_deref(),
            &path("BillNum"),
            len::BILL_NUM_MAX,
        )?;
        let merchant_id = MerchantId(required(self.merchant_id, &path("MerchantId"))?);
        let shop_id = required_text(self.shop_id.as_deref(), &path("ShopId"), len::SHOP_ID_MAX)?;
        let happen_date = parse_required(
            &self.happen_date,
            "HappenDate",
            CivilDate::parse_compact,
            FieldProblem::BadDateTime { layout: "yyyyMMdd" },
        )?;
        let happen_time = parse_required(
            &self.happen_time,
            "HappenTime",
            CivilTime::parse_compact,
            FieldProblem::BadDateTime { layout: "HHmmss" },
        )?;
        let customer_type = required_text(
            self.customer_type.as_deref(),
            &path("CustomerType"),
            len::CUSTOMER_KEY_MAX,
        )?;
        let customer_id = required_text(
            self.customer_id.as_deref(),
            &path("CustomerId"),
            len::CUSTOMER_KEY_MAX,
        )?;
        let cal_user_type = parse_required(
            &self.cal_user_type,
            "CalUserType",
            CalUserType::parse,
            FieldProblem::NotOneOf {
                allowed: CalUserType::CODES,
            },
        )?;
        let memory = optional_text(self.memory.as_deref(), &path("Memory"), len::MEMORY_MAX)?;
        let is_pay_by_cash = match self.is_pay_by_cash.as_deref() {
            None | Some("") | Some("N") | Some("0") => false,
            Some("Y") | Some("1") => true,
            Some(_) => {
                return Err(FieldError::invalid(
                    &path("IsPayByCash"),
                    FieldProblem::NotOneOf {
                        allowed: &["Y", "N", "1", "0"],
                    },
                ));
            }
        };
        let details = self.details(limits.details())?;
        Ok(SettlementContent {
            bill_num,
            merchant_id,
            shop_id: ShopId::new(shop_id),
            happen_date,
            happen_time,
            customer: CustomerUnit::new(customer_type, customer_id),
            cal_user_type,
            memory,
            is_pay_by_cash,
            details,
        })
    }

    fn details(&self, max_details: usize) -> Result<Vec<SettlementDetail>, FieldError> {
        let field = FieldPath::new("Details");
        check_item_count(self.details.len(), &field, max_details)?;
        let mut auto_ids = BTreeSet::new();
        let mut details = Vec::with_capacity(self.details.len());
        for (index, draft) in self.details.iter().enumerate() {
            let path = field.at(index);
            let detail = draft.validate(&path)?;
            if !auto_ids.insert(detail.auto_id) {
                let problem = FieldProblem::Duplicate {
                    value: detail.auto_id.to_string(),
                };
                return Err(FieldError::invalid(&path.member("AutoId"), problem));
            }
            details.push(detail);
        }
        Ok(details)
    }
}

impl SettlementDetailDraft {
    fn validate(&self, path: &FieldPath) -> Result<SettlementDetail, FieldError> {
        let text = |value: &Option<String>, name: &str, max| {
            optional_text(value.as_deref(), &path.member(name), max)
        };
        let price = |value: Option<Decimal>, name: &str| -> Result<UnitPrice, FieldError> {
            let field = path.member(name);
            let value = required(value, &field)?;
            UnitPrice::new(value).map_err(|p| FieldError::invalid(&field, p))
        };
        let bill_num = text(&self.bill_num, "BillNum", len::BILL_NUM_MAX)?;
        let sell_bill_num = required_text(
            self.sell_bill_num.as_deref(),
            &path.member("SellBillNum"),
            len::SELL_BILL_NUM_MAX,
        )?;
        let auto_id = required(self.auto_id, &path.member("AutoId"))?;
        let merchant_id = self.merchant_id.filter(|id| *id != 0).map(MerchantId);
        let shop_id = text(&self.shop_id, "ShopId", len::SHOP_ID_MAX)?.map(ShopId::new);
        let product_id = ProductId(required(self.product_id, &path.member("ProductId"))?);
        let info = ProductInfo {
            bar_code: text(&self.bar_code, "BarCode", len::BAR_CODE_MAX)?,
            sell_type: text(&self.sell_type, "SellType", len::INFO_TEXT_MAX)?,
            product_name: text(&self.product_name, "ProductName", len::PRODUCT_NAME_MAX)?,
            standard: text(&self.standard, "Standard", len::INFO_TEXT_MAX)?,
            producing_area: text(&self.producing_area, "ProducingArea", len::INFO_TEXT_MAX)?,
            quality_level: text(&self.quality_level, "QualityLevel", len::INFO_TEXT_MAX)?,
            unit: text(&self.unit, "Unit", len::INFO_TEXT_MAX)?,
        };
        let amount_field = path.member("Amount");
        let amount = required(self.amount, &amount_field)?;
        let amount = Quantity::new(amount).map_err(|p| FieldError::invalid(&amount_field, p))?;
        Ok(SettlementDetail {
            bill_num,
            sell_bill_num: BillNum::new(sell_bill_num),
            auto_id,
            merchant_id,
            shop_id,
            product_id,
            amount,
            listing_price: price(self.listing_price, "ListingPrice")?,
            retail_price: price(self.retail_price, "RetailPrice")?,
            lowest_retail_price: price(self.lowest_retail_price, "LowestRetailPrice")?,
            cal_price: price(self.cal_price, "CalPrice")?,
            info,
        })
    }
}

/// A required coded field: absent or empty is 1002, unreadable is 1003 with `problem`.
fn parse_required<T>(
    value: &Option<String>,
    name: &str,
    parse: fn(&str) -> Option<T>,
    problem: FieldProblem,
) -> Result<T, FieldError> {
    let field = FieldPath::new(name);
    let text = required(value.as_deref().filter(|v| !v.is_empty()), &field)?;
    parse(text).ok_or_else(|| FieldError::invalid(&field, problem))
}
