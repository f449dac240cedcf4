//! Identifiers of master data and bills.
//!
//! They are thin wrappers: validation of submitted identifiers happens where they are read
//! (`SenderBillNum` length, for example), and server-assigned ones come in already made.

use std::fmt;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// A shop (`ShopId`; the Qimen `storeCode`).
    ShopId
);
text_id!(
    /// A sell bill's server-assigned number (`BillNum`), unique and never reused.
    BillNum
);
text_id!(
    /// A sell bill's key chosen by the partner (`SenderBillNum`), unique per customer unit.
    SenderBillNum
);
text_id!(
    /// A payment's key chosen by the partner (`PayNum`), unique per bill.
    PayNum
);
text_id!(
    /// A guide's licence number (`GuiderNumber`).
    GuiderNumber
);

/// A product (`ProductId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductId(pub i64);

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A merchant (`MerchantId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MerchantId(pub i64);

impl fmt::Display for MerchantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A customer unit: a travel agency or similar body (`CustomerType` + `CustomerId`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CustomerUnit {
    /// `CustomerType`.
    pub customer_type: String,
    /// `CustomerId`.
    pub customer_id: String,
}

impl CustomerUnit {
    /// A customer unit by its two-part key.
    pub fn new(customer_type: impl Into<String>, customer_id: impl Into<String>) -> Self {
        CustomerUnit {
            customer_type: customer_type.into(),
            customer_id: customer_id.into(),
        }
    }
}

impl fmt::Display for CustomerUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.customer_type, self.customer_id)
    }
}
