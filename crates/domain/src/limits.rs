//! Every bound the rules enforce, named once.
//!
//! Lengths count Unicode scalar values (characters), not bytes, as CONTRACT §5 says.
//! Bounds that the contract leaves open are chosen here and recorded in `docs/decisions.md`.

/// Most decimal places any submitted decimal may carry, after trailing zeros are dropped.
pub const DECIMAL_PLACES_MAX: u32 = 4;

/// Decimal places of every money amount the rules produce (and of submitted payments).
pub const MONEY_PLACES: u32 = 2;

/// Every submitted decimal, and every amount computed from them, lies strictly below this
/// magnitude: 10^12.
pub const MAGNITUDE_LIMIT: i64 = 1_000_000_000_000;

/// Most lines of one sell bill, and most details of one settlement.
pub const BILL_LINES_MAX: usize = 500;

/// Most clerks in one Qimen synchronisation request.
pub const CLERKS_MAX: usize = 500;

/// Sell bill header field lengths (seed 001).
pub mod sell_bill {
    /// `SenderBillNum`, the partner's key of the bill.
    pub const SENDER_BILL_NUM_MAX: usize = 32;
    /// `BillNum`, the server-assigned bill number.
    pub const BILL_NUM_MAX: usize = 32;
    /// `GuiderNumber`, the guide's licence number.
    pub const GUIDER_NUMBER_MAX: usize = 20;
    /// `Memory`, the bill's note.
    pub const MEMORY_MAX: usize = 100;
    /// `GuestMobile`.
    pub const GUEST_MOBILE_MAX: usize = 20;
    /// `GuestName`.
    pub const GUEST_NAME_MAX: usize = 30;
    /// `GuestCeriCode`, the guest's identity document number.
    pub const GUEST_CERI_CODE_MAX: usize = 20;
    /// `DeliverAddress`.
    pub const DELIVER_ADDRESS_MAX: usize = 50;
    /// `GuestMemory`, the guest's message.
    pub const GUEST_MEMORY_MAX: usize = 50;
    /// A line's `Unit` (the contract leaves it open; chosen).
    pub const UNIT_MAX: usize = 20;
    /// A line's `Standard` (the contract leaves it open; chosen).
    pub const STANDARD_MAX: usize = 50;
    /// `PayNum`, the partner's key of a payment.
    pub const PAY_NUM_MAX: usize = 32;
    /// A payment's `Memory`.
    pub const PAY_MEMORY_MAX: usize = 100;
}

/// Settlement field lengths (seed 002 gives none but `Memory`; the rest are chosen).
pub mod settlement {
    /// `BillNum`, the merchant's key of the settlement.
    pub const BILL_NUM_MAX: usize = 32;
    /// `ShopId`.
    pub const SHOP_ID_MAX: usize = 32;
    /// `CustomerType` and `CustomerId`.
    pub const CUSTOMER_KEY_MAX: usize = 32;
    /// `Memory`.
    pub const MEMORY_MAX: usize = 100;
    /// A detail's `SellBillNum`.
    pub const SELL_BILL_NUM_MAX: usize = 32;
    /// A detail's `BarCode`.
    pub const BAR_CODE_MAX: usize = 32;
    /// A detail's `ProductName`.
    pub const PRODUCT_NAME_MAX: usize = 100;
    /// A detail's `SellType`, `Standard`, `ProducingArea`, `QualityLevel` and `Unit`.
    pub const INFO_TEXT_MAX: usize = 50;
}

/// Clerk field lengths (seed 000 gives `clerkCode` and `clerkName` via CONTRACT §7; the rest
/// are chosen).
pub mod clerk {
    /// `storeCode` (a shop id).
    pub const STORE_CODE_MAX: usize = 32;
    /// `clerkCode`, unique per store.
    pub const CLERK_CODE_MAX: usize = 32;
    /// `sourceClerkCode`, the ERP's own code.
    pub const SOURCE_CLERK_CODE_MAX: usize = 32;
    /// `clerkName`.
    pub const CLERK_NAME_MAX: usize = 50;
    /// Short contact fields: `name`, `career`, `province`, `city`, `area`, `town`.
    pub const CONTACT_SHORT_MAX: usize = 50;
    /// Phone-like contact fields: `zipCode`, `tel`, `mobile`, `fax`.
    pub const CONTACT_PHONE_MAX: usize = 30;
    /// `email`.
    pub const CONTACT_EMAIL_MAX: usize = 100;
    /// `detailAddress`.
    pub const CONTACT_ADDRESS_MAX: usize = 200;
    /// Entries of `extendProps`.
    pub const EXTEND_PROPS_MAX: usize = 50;
    /// An `extendProps` key.
    pub const EXTEND_PROP_KEY_MAX: usize = 64;
    /// An `extendProps` value.
    pub const EXTEND_PROP_VALUE_MAX: usize = 1000;
}
