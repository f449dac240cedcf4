//! A sell bill's content as submitted and validated: the header and the lines.
//!
//! Two submissions are identical exactly when their contents are equal: fields compare as values
//! (`99.0` equals `99.00`), empty optional text equals absent text, and lines compare in order.

use crate::amounts::{Quantity, UnitPrice};
use crate::ids::{GuiderNumber, ProductId, SenderBillNum};
use crate::pricing::Discount;

/// How the goods reach the guest (`PlanDeliverType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanDeliverType {
    /// `1`: picked up on site.
    PickUpOnSite,
    /// `2`: sent by courier; a `DeliverAddress` is required.
    Courier,
    /// `3`: other.
    Other,
}

impl PlanDeliverType {
    /// The wire spellings, in order.
    pub const CODES: &'static [&'static str] = &["1", "2", "3"];

    /// Reads `1`, `2` or `3`.
    pub fn parse(code: &str) -> Option<PlanDeliverType> {
        match code {
            "1" => Some(PlanDeliverType::PickUpOnSite),
            "2" => Some(PlanDeliverType::Courier),
            "3" => Some(PlanDeliverType::Other),
            _ => None,
        }
    }

    /// The wire spelling.
    pub fn code(self) -> &'static str {
        match self {
            PlanDeliverType::PickUpOnSite => "1",
            PlanDeliverType::Courier => "2",
            PlanDeliverType::Other => "3",
        }
    }
}

/// A validated sell bill submission (`PosSellFromWebInterfaceParm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellBillContent {
    /// `SenderBillNum`: the partner's key of the bill.
    pub sender_bill_num: SenderBillNum,
    /// `GuiderNumber`: the guide bound to the bill.
    pub guider_number: Option<GuiderNumber>,
    /// `Memory`: the bill's note.
    pub memory: Option<String>,
    /// `MemberId`: the ticketing system's member, rarely present.
    pub member_id: Option<i64>,
    /// `GuestMobile`.
    pub guest_mobile: Option<String>,
    /// `GuestName`.
    pub guest_name: Option<String>,
    /// `GuestCeriCode`: the guest's identity document number.
    pub guest_ceri_code: Option<String>,
    /// `PlanDeliverType`.
    pub plan_deliver_type: Option<PlanDeliverType>,
    /// `DeliverAddress`: present whenever `plan_deliver_type` is courier.
    pub deliver_address: Option<String>,
    /// `GuestMemory`: the guest's message.
    pub guest_memory: Option<String>,
    /// `Details`: 1 to 500 lines, in the order sent; the same product may appear twice.
    pub lines: Vec<SellLine>,
}

/// A validated bill line (`PosSellFromWebInterfaceDetailParm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellLine {
    /// `ProductId`.
    pub product_id: ProductId,
    /// `Amount`: the quantity sold.
    pub amount: Quantity,
    /// `DiscountRate` / `DiscountBase` as sent; checked against the catalog stage (2005).
    pub discount: Discount,
    /// `RetailPrice`: must equal the shop's current retail price (2003).
    pub retail_price: UnitPrice,
    /// `Unit`, informational.
    pub unit: Option<String>,
    /// `Standard`, informational.
    pub standard: Option<String>,
}
