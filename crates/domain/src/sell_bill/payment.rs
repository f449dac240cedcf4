//! Payments and references to an existing bill (`PayBill`, `DeleteOrClose`).

use std::fmt;

use rust_decimal::Decimal;

use crate::calendar::Timestamp;
use crate::field::{FieldError, FieldPath, FieldProblem, optional_text, required_text};
use crate::ids::{BillNum, PayNum, SenderBillNum};
use crate::limits::sell_bill as len;
use crate::money::Money;

/// How a payment was made (`PayType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayType {
    /// `Cash`
    Cash,
    /// `Card`
    Card,
    /// `WeChat`
    WeChat,
    /// `Alipay`
    Alipay,
    /// `Prepaid`
    Prepaid,
    /// `Other`
    Other,
}

impl PayType {
    /// The wire spellings.
    pub const NAMES: &'static [&'static str] =
        &["Cash", "Card", "WeChat", "Alipay", "Prepaid", "Other"];
    const ALL: [PayType; 6] = [
        PayType::Cash,
        PayType::Card,
        PayType::WeChat,
        PayType::Alipay,
        PayType::Prepaid,
        PayType::Other,
    ];

    /// Reads a spelling, ignoring case (`wechat` is `WeChat`).
    pub fn parse(text: &str) -> Option<PayType> {
        PayType::ALL
            .into_iter()
            .find(|pay_type| pay_type.as_str().eq_ignore_ascii_case(text))
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PayType::Cash => "Cash",
            PayType::Card => "Card",
            PayType::WeChat => "WeChat",
            PayType::Alipay => "Alipay",
            PayType::Prepaid => "Prepaid",
            PayType::Other => "Other",
        }
    }
}

impl fmt::Display for PayType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which bill a `PayBill` or `DeleteOrClose` means: by `BillNum`, by `SenderBillNum`, or by both,
/// in which case they must name the same bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillRef {
    /// `BillNum`, the server's number.
    pub bill_num: Option<BillNum>,
    /// `SenderBillNum`, the partner's key.
    pub sender_bill_num: Option<SenderBillNum>,
}

impl BillRef {
    /// Reads the two keys; at least one is required.
    ///
    /// ```
    /// use posbridge_domain::sell_bill::BillRef;
    ///
    /// assert!(BillRef::parse(None, Some("P-1")).is_ok());
    /// let err = BillRef::parse(None, Some("")).unwrap_err();
    /// assert_eq!(err.to_string(), "required field BillNum or SenderBillNum is missing");
    /// ```
    pub fn parse(
        bill_num: Option<&str>,
        sender_bill_num: Option<&str>,
    ) -> Result<BillRef, FieldError> {
        let bill_num = optional_text(bill_num, &FieldPath::new("BillNum"), len::BILL_NUM_MAX)?;
        let sender_bill_num = optional_text(
            sender_bill_num,
            &FieldPath::new("SenderBillNum"),
            len::SENDER_BILL_NUM_MAX,
        )?;
        if bill_num.is_none() && sender_bill_num.is_none() {
            return Err(FieldError::missing(&FieldPath::new(
                "BillNum or SenderBillNum",
            )));
        }
        Ok(BillRef {
            bill_num: bill_num.map(BillNum::new),
            sender_bill_num: sender_bill_num.map(SenderBillNum::new),
        })
    }

    /// Whether a bill with these keys is the one meant: every key given must match.
    pub fn names(&self, bill_num: &BillNum, sender_bill_num: &SenderBillNum) -> bool {
        self.bill_num
            .as_ref()
            .is_none_or(|wanted| wanted == bill_num)
            && self
                .sender_bill_num
                .as_ref()
                .is_none_or(|wanted| wanted == sender_bill_num)
    }
}

/// A `PayBill` request as a wire reader fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentDraft {
    /// `BillNum`.
    pub bill_num: Option<String>,
    /// `SenderBillNum`.
    pub sender_bill_num: Option<String>,
    /// `PayNum`, required, at most 32 characters.
    pub pay_num: Option<String>,
    /// `PayAmount`; absent means the outstanding amount.
    pub pay_amount: Option<Decimal>,
    /// `PayType`.
    pub pay_type: Option<String>,
    /// `Memory`, at most 100 characters.
    pub memory: Option<String>,
}

/// A validated payment request: the content compared when a `PayNum` comes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// `PayNum`: the partner's key of the payment, unique per bill.
    pub pay_num: PayNum,
    /// `PayAmount` as sent; absent pays whatever is outstanding.
    pub amount: Option<Money>,
    /// `PayType`.
    pub pay_type: Option<PayType>,
    /// `Memory`.
    pub memory: Option<String>,
}

impl PaymentDraft {
    /// Checks every field: the bill reference, `PayNum`, `PayAmount` (0 or more, at most 2
    /// places: money is paid in cents), `PayType` and `Memory`.
    ///
    /// ```
    /// use posbridge_domain::sell_bill::PaymentDraft;
    ///
    /// let draft = PaymentDraft {
    ///     bill_num: Some("B1".into()),
    ///     pay_num: Some("PAY-1".into()),
    ///     pay_amount: Some("10.005".parse().unwrap()),
    ///     ..PaymentDraft::default()
    /// };
    /// let err = draft.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "field PayAmount has 3 decimal places, at most 2 are allowed");
    /// ```
    pub fn validate(&self) -> Result<(BillRef, PaymentRequest), FieldError> {
        let bill = BillRef::parse(self.bill_num.as_deref(), self.sender_bill_num.as_deref())?;
        let pay_num = required_text(
            self.pay_num.as_deref(),
            &FieldPath::new("PayNum"),
            len::PAY_NUM_MAX,
        )?;
        let amount = self
            .pay_amount
            .map(|value| {
                Money::new(value)
                    .map_err(|problem| FieldError::invalid(&FieldPath::new("PayAmount"), problem))
            })
            .transpose()?;
        let pay_type = match self.pay_type.as_deref() {
            None | Some("") => None,
            Some(text) => Some(PayType::parse(text).ok_or_else(|| {
                FieldError::invalid(
                    &FieldPath::new("PayType"),
                    FieldProblem::NotOneOf {
                        allowed: PayType::NAMES,
                    },
                )
            })?),
        };
        let memory = optional_text(
            self.memory.as_deref(),
            &FieldPath::new("Memory"),
            len::PAY_MEMORY_MAX,
        )?;
        Ok((
            bill,
            PaymentRequest {
                pay_num: PayNum::new(pay_num),
                amount,
                pay_type,
                memory,
            },
        ))
    }
}

/// A payment the bill accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The request as accepted.
    pub request: PaymentRequest,
    /// The amount paid: the requested one, or what was outstanding when none was requested.
    pub amount: Money,
    /// When it was accepted.
    pub paid_at: Timestamp,
}

impl Payment {
    /// Whether `request`, arriving again under this payment's `PayNum`, is the same payment.
    ///
    /// Type and memory must be equal, and the amount either equal as sent or, when the new
    /// request names an amount, equal to the amount that was paid (an absent amount meant
    /// "what is outstanding", which is exactly what was paid).
    pub fn is_same_as(&self, request: &PaymentRequest) -> bool {
        self.request.pay_num == request.pay_num
            && self.request.pay_type == request.pay_type
            && self.request.memory == request.memory
            && (self.request.amount == request.amount || request.amount == Some(self.amount))
    }
}
