//! A sell bill submission as plain data, and its field validation (1002, 1003, 1004).

use rust_decimal::Decimal;

use super::content::{PlanDeliverType, SellBillContent, SellLine};
use crate::amounts::{Quantity, UnitPrice};
use crate::exact::round_product;
use crate::field::{
    FieldError, FieldPath, FieldProblem, check_item_count, optional_text, optional_text_at,
    required_text,
};
use crate::ids::{GuiderNumber, ProductId, SenderBillNum};
use crate::limits::{CountLimits, MAGNITUDE_LIMIT, sell_bill as len};
use crate::pricing::Discount;

/// A sell bill as a wire reader fills it in: every field optional, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SellBillDraft {
    /// `SenderBillNum`, required, at most 32 characters.
    pub sender_bill_num: Option<String>,
    /// `GuiderNumber`, at most 20 characters.
    pub guider_number: Option<String>,
    /// `Memory`, at most 100 characters.
    pub memory: Option<String>,
    /// `MemberId`.
    pub member_id: Option<i64>,
    /// `GuestMobile`, at most 20 characters.
    pub guest_mobile: Option<String>,
    /// `GuestName`, at most 30 characters.
    pub guest_name: Option<String>,
    /// `GuestCeriCode`, at most 20 characters.
    pub guest_ceri_code: Option<String>,
    /// `PlanDeliverType`: `1`, `2` or `3`.
    pub plan_deliver_type: Option<String>,
    /// `DeliverAddress`, at most 50 characters, required when `PlanDeliverType` is `2`.
    pub deliver_address: Option<String>,
    /// `GuestMemory`, at most 50 characters.
    pub guest_memory: Option<String>,
    /// `Details`: 1 to 500 lines.
    pub details: Vec<SellLineDraft>,
}

/// A bill line as a wire reader fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SellLineDraft {
    /// `ProductId`, required.
    pub product_id: Option<i64>,
    /// `Amount`, required, greater than 0.
    pub amount: Option<Decimal>,
    /// `DiscountRate`; absent counts as 0.
    pub discount_rate: Option<Decimal>,
    /// `DiscountBase`; absent counts as 0.
    pub discount_base: Option<Decimal>,
    /// `RetailPrice`, required, 0 or more.
    pub retail_price: Option<Decimal>,
    /// `Unit`.
    pub unit: Option<String>,
    /// `Standard`.
    pub standard: Option<String>,
}

impl SellBillDraft {
    /// Checks every field and returns the content, or the first field error in document order,
    /// allowing the contract's 500 lines ([`CountLimits::DEFAULT`]; see
    /// [`validate_within`](Self::validate_within) for a server's own count).
    ///
    /// Besides each field's own rule, the gross amount `Amount × RetailPrice` of every line and of
    /// the whole bill must stay below 10^12, so that no amount the bill produces can overflow.
    ///
    /// ```
    /// use posbridge_domain::sell_bill::{SellBillDraft, SellLineDraft};
    /// use posbridge_domain::field::FieldError;
    /// use rust_decimal::Decimal;
    ///
    /// let line = SellLineDraft {
    ///     product_id: Some(1),
    ///     amount: Some(Decimal::from(2)),
    ///     retail_price: Some("99.00".parse().unwrap()),
    ///     ..SellLineDraft::default()
    /// };
    /// let draft = SellBillDraft {
    ///     sender_bill_num: Some("P-1001".into()),
    ///     plan_deliver_type: Some("2".into()),
    ///     details: vec![line],
    ///     ..SellBillDraft::default()
    /// };
    /// // A courier delivery needs an address.
    /// let err = draft.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "required field DeliverAddress is missing");
    /// ```
    pub fn validate(&self) -> Result<SellBillContent, FieldError> {
        self.validate_within(CountLimits::DEFAULT)
    }

    /// [`validate`](Self::validate), allowing at most `limits.details()` lines: more is
    /// [`FieldError::TooMany`] (1004).
    ///
    /// ```
    /// use posbridge_domain::limits::CountLimits;
    /// use posbridge_domain::sell_bill::{SellBillDraft, SellLineDraft};
    /// use rust_decimal::Decimal;
    ///
    /// let line = SellLineDraft {
    ///     product_id: Some(1),
    ///     amount: Some(Decimal::from(2)),
    ///     retail_price: Some("99.00".parse().unwrap()),
    ///     ..SellLineDraft::default()
    /// };
    /// let draft = SellBillDraft {
    ///     sender_bill_num: Some("P-1001".into()),
    ///     details: vec![line; 3],
    ///     ..SellBillDraft::default()
    /// };
    /// let two = CountLimits::DEFAULT.with_details(2).unwrap();
    /// let err = draft.validate_within(two).unwrap_err();
    /// assert_eq!(err.to_string(), "field Details has 3 items, at most 2 are allowed");
    /// assert!(draft.validate().is_ok());
    /// ```
    pub fn validate_within(&self, limits: CountLimits) -> Result<SellBillContent, FieldError> {
        let text = |value: &Option<String>, name: &str, max| {
            optional_text(value.as_deref(), &FieldPath::new(name), max)
        };
        let sender_bill_num = required_text(
            self.sender_bill_num.as_deref(),
            &FieldPath::new("SenderBillNum"),
            len::SENDER_BILL_NUM_MAX,
        )?;
        let guider_number = text(&self.guider_number, "GuiderNumber", len::GUIDER_NUMBER_MAX)?;
        let memory = text(&self.memory, "Memory", len::MEMORY_MAX)?;
        let guest_mobile = text(&self.guest_mobile, "GuestMobile", len::GUEST_MOBILE_MAX)?;
        let guest_name = text(&self.guest_name, "GuestName", len::GUEST_NAME_MAX)?;
        let guest_ceri_code = text(
            &self.guest_ceri_code,
            "GuestCeriCode",
            len::GUEST_CERI_CODE_MAX,
        )?;
        let plan_deliver_type = self.plan_deliver_type()?;
        let deliver_address = text(
            &self.deliver_address,
            "DeliverAddress",
            len::DELIVER_ADDRESS_MAX,
        )?;
        if plan_deliver_type == Some(PlanDeliverType::Courier) && deliver_address.is_none() {
            return Err(FieldError::missing(&FieldPath::new("DeliverAddress")));
        }
        let guest_memory = text(&self.guest_memory, "GuestMemory", len::GUEST_MEMORY_MAX)?;
        let lines = self.lines(limits.details())?;
        Ok(SellBillContent {
            sender_bill_num: SenderBillNum::new(sender_bill_num),
            guider_number: guider_number.map(GuiderNumber::new),
            memory,
            member_id: self.member_id,
            guest_mobile,
            guest_name,
            guest_ceri_code,
            plan_deliver_type,
            deliver_address,
            guest_memory,
            lines,
        })
    }

    fn plan_deliver_type(&self) -> Result<Option<PlanDeliverType>, FieldError> {
        let field = FieldPath::new("PlanDeliverType");
        match self.plan_deliver_type.as_deref() {
            None | Some("") => Ok(None),
            Some(code) => PlanDeliverType::parse(code).map(Some).ok_or_else(|| {
                FieldError::invalid(
                    &field,
                    FieldProblem::NotOneOf {
                        allowed: PlanDeliverType::CODES,
                    },
                )
            }),
        }
    }

    fn lines(&self, max_lines: usize) -> Result<Vec<SellLine>, FieldError> {
        let details = FieldPath::new("Details");
        check_item_count(self.details.len(), &details, max_lines)?;
        let mut gross_total = Decimal::ZERO;
        let mut lines = Vec::with_capacity(self.details.len());
        for (index, draft) in self.details.iter().enumerate() {
            let line = draft.validate(index)?;
            gross_total += line_gross(&line, index)?;
            if gross_total >= Decimal::from(MAGNITUDE_LIMIT) {
                return Err(FieldError::invalid(&details, FieldProblem::AmountTooLarge));
            }
            lines.push(line);
        }
        Ok(lines)
    }
}

impl SellLineDraft {
    fn validate(&self, index: usize) -> Result<SellLine, FieldError> {
        // Paths are built only on failure: a 500-line bill must not format 3 500 of them.
        let at = |name: &str| FieldPath::new("Details").at(index).member(name);
        let invalid = |name: &'static str| {
            move |problem| FieldError::Invalid {
                field: at(name),
                problem,
            }
        };
        let product_id = self
            .product_id
            .ok_or_else(|| FieldError::missing(&at("ProductId")))?;
        let amount = self
            .amount
            .ok_or_else(|| FieldError::missing(&at("Amount")))
            .and_then(|amount| Quantity::new(amount).map_err(invalid("Amount")))?;
        let discount = Discount::new(
            self.discount_rate.unwrap_or(Decimal::ZERO),
            self.discount_base.unwrap_or(Decimal::ZERO),
        )
        .map_err(|err| FieldError::Invalid {
            field: at(err.part.field_name()),
            problem: err.problem,
        })?;
        let retail_price = self
            .retail_price
            .ok_or_else(|| FieldError::missing(&at("RetailPrice")))
            .and_then(|price| UnitPrice::new(price).map_err(invalid("RetailPrice")))?;
        let unit = optional_text_at(self.unit.as_deref(), len::UNIT_MAX, || at("Unit"))?;
        let standard = optional_text_at(self.standard.as_deref(), len::STANDARD_MAX, || {
            at("Standard")
        })?;
        Ok(SellLine {
            product_id: ProductId(product_id),
            amount,
            discount,
            retail_price,
            unit,
            standard,
        })
    }
}

/// `Amount × RetailPrice` of a line, which bounds every amount the line can produce.
fn line_gross(line: &SellLine, index: usize) -> Result<Decimal, FieldError> {
    round_product(line.amount.get(), line.retail_price.get())
        .filter(|gross| *gross < Decimal::from(MAGNITUDE_LIMIT))
        .ok_or_else(|| {
            let field = FieldPath::new("Details").at(index).member("Amount");
            FieldError::invalid(&field, FieldProblem::AmountTooLarge)
        })
}
