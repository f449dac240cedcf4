//! The sell bill aggregate: one bill, its operations, and the invariants they keep.

use super::content::SellBillContent;
use super::error::SellBillError;
use super::payment::{Payment, PaymentRequest};
use super::priced::{PricedBill, price_bill};
use super::state::{BillEvent, BillEventKind, BillState, HistoryEntry};
use crate::calendar::Timestamp;
use crate::catalog::ShopCatalog;
use crate::field::{FieldError, FieldPath, FieldProblem};
use crate::ids::{BillNum, CustomerUnit, ShopId};
use crate::money::Money;

/// The account submitting a bill: a channel account's shop and customer unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Channel {
    /// The shop the account sells for; a bill's shop is fixed when it is created.
    pub shop_id: ShopId,
    /// The customer unit the account belongs to; bills and their keys belong to it.
    pub customer: CustomerUnit,
}

/// Everything a bill holds, as plain data: what a store persists and restores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillRecord {
    /// `BillNum`, assigned by the server at creation.
    pub bill_num: BillNum,
    /// The owning customer unit; with `content.sender_bill_num` it is the idempotency key.
    pub customer: CustomerUnit,
    /// The shop, fixed at creation.
    pub shop_id: ShopId,
    /// The current state.
    pub state: BillState,
    /// Content revisions: 1 at creation, + 1 per update; payments and state changes keep it.
    pub version: u32,
    /// The current content as submitted.
    pub content: SellBillContent,
    /// The priced lines (with their price snapshots) and totals of the current content.
    pub priced: PricedBill,
    /// Accepted payments, in order.
    pub payments: Vec<Payment>,
    /// Sum of the payments.
    pub paid_amount: Money,
    /// One entry per successful change, in order.
    pub history: Vec<HistoryEntry>,
    /// When the bill was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A stored record that breaks a bill invariant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("inconsistent sell bill record: {0}")]
pub struct InconsistentBill(pub &'static str);

/// What a successful operation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The bill changed; the event is also the new last history entry.
    Changed(BillEvent),
    /// The request repeats one already applied: nothing changed, and the answer is the bill's
    /// current state.
    Replayed,
}

/// A sell bill. Every operation either succeeds and records exactly one history entry (or none,
/// for a replay), or fails and leaves the bill exactly as it was.
///
/// ```
/// use posbridge_domain::amounts::UnitPrice;
/// use posbridge_domain::calendar::Timestamp;
/// use posbridge_domain::catalog::{PriceQuote, ShopCatalog};
/// use posbridge_domain::ids::{BillNum, CustomerUnit, ProductId, ShopId};
/// use posbridge_domain::sell_bill::*;
/// use rust_decimal::Decimal;
///
/// let p = |s: &str| UnitPrice::new(s.parse().unwrap()).unwrap();
/// let catalog = ShopCatalog::new().with_stock(ProductId(1), Decimal::ZERO).with_price(
///     ProductId(1),
///     PriceQuote { listing_price: p("128"), retail_price: p("99"), lowest_retail_price: p("79") },
/// );
/// let channel = Channel { shop_id: ShopId::new("S001"), customer: CustomerUnit::new("TA", "C001") };
/// let draft = SellBillDraft {
///     sender_bill_num: Some("P-1".into()),
///     details: vec![SellLineDraft {
///         product_id: Some(1),
///         amount: Some(Decimal::from(2)),
///         retail_price: Some(Decimal::from(99)),
///         ..SellLineDraft::default()
///     }],
///     ..SellBillDraft::default()
/// };
/// let content = draft.validate().unwrap();
/// let (mut bill, created) =
///     SellBill::create(BillNum::new("B1"), &channel, content.clone(), &catalog, Timestamp(0)).unwrap();
/// assert_eq!(created.kind(), BillEventKind::Created);
/// assert_eq!(bill.record().priced.totals.total.to_string(), "198.00");
///
/// // The same content again is a replay.
/// let again = bill.add_or_update(&channel, content, &catalog, Timestamp(1)).unwrap();
/// assert_eq!(again, Outcome::Replayed);
///
/// // Pay part, then close: the paid part stands.
/// let (_, part) = PaymentDraft {
///     bill_num: Some("B1".into()),
///     pay_num: Some("PAY-1".into()),
///     pay_amount: Some(Decimal::from(50)),
///     ..PaymentDraft::default()
/// }
/// .validate()
/// .unwrap();
/// bill.pay(&part, Timestamp(2)).unwrap();
/// assert_eq!(bill.state(), BillState::PartPaid);
/// bill.delete_or_close(Timestamp(3)).unwrap();
/// assert_eq!(bill.state(), BillState::Closed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellBill {
    record: BillRecord,
}

impl SellBill {
    /// Creates a bill for a new key: the content is checked and priced against `catalog`, the
    /// bill starts `Initial` at version 1, and `bill.created` is recorded.
    pub fn create(
        bill_num: BillNum,
        channel: &Channel,
        content: SellBillContent,
        catalog: &ShopCatalog,
        now: Timestamp,
    ) -> Result<(SellBill, BillEvent), SellBillError> {
        let priced = price_bill(&content, catalog)?;
        let mut bill = SellBill {
            record: BillRecord {
                bill_num,
                customer: channel.customer.clone(),
                shop_id: channel.shop_id.clone(),
                state: BillState::Initial,
                version: 1,
                content,
                priced,
                payments: Vec::new(),
                paid_amount: Money::ZERO,
                history: Vec::new(),
                created_at: now,
                updated_at: now,
            },
        };
        let event = bill.record_change(BillEventKind::Created, now);
        Ok((bill, event))
    }

    /// AddOrUpdate on this bill's key.
    ///
    /// In order: a submission from another shop is refused (4005) whatever its content; a deleted
    /// or closed bill refuses everything (3003); identical content is a replay; other content
    /// replaces the bill's (version + 1, `bill.updated`) only while it is `Initial` (else 3002)
    /// and only if it passes the catalog checks.
    pub fn add_or_update(
        &mut self,
        channel: &Channel,
        content: SellBillContent,
        catalog: &ShopCatalog,
        now: Timestamp,
    ) -> Result<Outcome, SellBillError> {
        let record = &self.record;
        if record.customer != channel.customer
            || record.content.sender_bill_num != content.sender_bill_num
        {
            return Err(SellBillError::NotFound);
        }
        if record.shop_id != channel.shop_id {
            return Err(SellBillError::OtherShop {
                sender_bill_num: content.sender_bill_num,
            });
        }
        if record.state.is_deleted_or_closed() {
            return Err(self.deleted_or_closed());
        }
        if record.content == content {
            return Ok(Outcome::Replayed);
        }
        if record.state != BillState::Initial {
            return Err(SellBillError::NotEditable {
                bill_num: record.bill_num.clone(),
                state: record.state,
            });
        }
        let priced = price_bill(&content, catalog)?;
        self.record.content = content;
        self.record.priced = priced;
        self.record.version += 1;
        Ok(Outcome::Changed(
            self.record_change(BillEventKind::Updated, now),
        ))
    }

    /// PayBill.
    ///
    /// A `PayNum` already on the bill is a replay when the request is the same payment
    /// ([`Payment::is_same_as`]) and 3005 otherwise, whatever the state. A new payment needs a
    /// bill that is neither deleted nor closed (3003) and something outstanding (3004 on a paid
    /// bill); its amount, the outstanding amount when absent, may not exceed what is outstanding
    /// (3004) and must be positive unless nothing is outstanding (a bill whose total is 0 is paid
    /// by a payment of 0). Reaching the total makes the bill `Paid` (`bill.paid`), otherwise it is
    /// `PartPaid` (`bill.payment_received`).
    pub fn pay(
        &mut self,
        request: &PaymentRequest,
        now: Timestamp,
    ) -> Result<Outcome, SellBillError> {
        let record = &self.record;
        if let Some(earlier) = record
            .payments
            .iter()
            .find(|p| p.request.pay_num == request.pay_num)
        {
            return if earlier.is_same_as(request) {
                Ok(Outcome::Replayed)
            } else {
                Err(SellBillError::PayNumReused {
                    bill_num: record.bill_num.clone(),
                    pay_num: request.pay_num.clone(),
                })
            };
        }
        if record.state.is_deleted_or_closed() {
            return Err(self.deleted_or_closed());
        }
        let outstanding = self.outstanding();
        let amount = request.amount.unwrap_or(outstanding);
        if record.state == BillState::Paid || amount > outstanding {
            return Err(SellBillError::ExceedsOutstanding {
                bill_num: record.bill_num.clone(),
                requested: amount,
                outstanding,
            });
        }
        if amount.is_zero() && !outstanding.is_zero() {
            return Err(SellBillError::Field(FieldError::invalid(
                &FieldPath::new("PayAmount"),
                FieldProblem::NotPositive,
            )));
        }
        // amount <= outstanding = total - paid, so the sum stays within the total.
        let paid_amount = record.paid_amount.checked_add(amount).map_err(|_| {
            SellBillError::ExceedsOutstanding {
                bill_num: record.bill_num.clone(),
                requested: amount,
                outstanding,
            }
        })?;
        let fully_paid = paid_amount == record.priced.totals.total;
        self.record.payments.push(Payment {
            request: request.clone(),
            amount,
            paid_at: now,
        });
        self.record.paid_amount = paid_amount;
        let (state, kind) = if fully_paid {
            (BillState::Paid, BillEventKind::Paid)
        } else {
            (BillState::PartPaid, BillEventKind::PaymentReceived)
        };
        self.record.state = state;
        Ok(Outcome::Changed(self.record_change(kind, now)))
    }

    /// DeleteOrClose: `Initial` becomes `Deleted` (`bill.deleted`), `PartPaid` becomes `Closed`
    /// (`bill.closed`, the paid part stands and the rest is waived), `Paid` refuses (3006), and a
    /// deleted or closed bill answers the same again (a replay).
    pub fn delete_or_close(&mut self, now: Timestamp) -> Result<Outcome, SellBillError> {
        let (state, kind) = match self.record.state {
            BillState::Initial => (BillState::Deleted, BillEventKind::Deleted),
            BillState::PartPaid => (BillState::Closed, BillEventKind::Closed),
            BillState::Paid => {
                return Err(SellBillError::PaidNotClosable {
                    bill_num: self.record.bill_num.clone(),
                });
            }
            BillState::Deleted | BillState::Closed => return Ok(Outcome::Replayed),
        };
        self.record.state = state;
        Ok(Outcome::Changed(self.record_change(kind, now)))
    }

    /// What remains to be paid: total minus paid, never negative.
    pub fn outstanding(&self) -> Money {
        let totals = self.record.priced.totals;
        totals
            .total
            .checked_sub(self.record.paid_amount)
            .unwrap_or(Money::ZERO)
    }

    /// The bill's number.
    pub fn bill_num(&self) -> &BillNum {
        &self.record.bill_num
    }

    /// The bill's state.
    pub fn state(&self) -> BillState {
        self.record.state
    }

    /// Everything the bill holds.
    pub fn record(&self) -> &BillRecord {
        &self.record
    }

    /// The bill as plain data, for storing.
    pub fn into_record(self) -> BillRecord {
        self.record
    }

    /// Rebuilds a bill from a stored record, checking its invariants.
    pub fn restore(record: BillRecord) -> Result<SellBill, InconsistentBill> {
        check_invariants(&record)?;
        Ok(SellBill { record })
    }

    fn deleted_or_closed(&self) -> SellBillError {
        SellBillError::DeletedOrClosed {
            bill_num: self.record.bill_num.clone(),
            state: self.record.state,
        }
    }

    fn record_change(&mut self, event: BillEventKind, now: Timestamp) -> BillEvent {
        let record = &mut self.record;
        let sequence =
            u32::try_from(record.history.len()).map_or(u32::MAX, |n| n.saturating_add(1));
        let entry = HistoryEntry {
            sequence,
            version: record.version,
            state: record.state,
            event,
            at: now,
        };
        record.history.push(entry);
        record.updated_at = now;
        BillEvent {
            bill_num: record.bill_num.clone(),
            entry,
        }
    }
}

/// The invariants every bill keeps, whatever sequence of operations built it:
/// paid ≤ total and paid = Σ payments; the state agrees with the payments (`Initial` and
/// `Deleted` have none, `PartPaid` and `Closed` some but less than the total, `Paid` exactly the
/// total); totals are the sums of the priced lines; lines are numbered 1, 2, …; the history
/// counts 1, 2, … and its last entry carries the current state and version.
pub fn check_invariants(record: &BillRecord) -> Result<(), InconsistentBill> {
    let totals = record.priced.totals;
    let payments = Money::sum(record.payments.iter().map(|p| p.amount))
        .map_err(|_| InconsistentBill("payments overflow"))?;
    if payments != record.paid_amount {
        return Err(InconsistentBill(
            "paid amount differs from the sum of payments",
        ));
    }
    if record.paid_amount > totals.total {
        return Err(InconsistentBill("paid amount exceeds the total"));
    }
    let has_payments = !record.payments.is_empty();
    let fully_paid = record.paid_amount == totals.total;
    let state_agrees = match record.state {
        BillState::Initial | BillState::Deleted => !has_payments,
        BillState::PartPaid | BillState::Closed => has_payments && !fully_paid,
        BillState::Paid => has_payments && fully_paid,
    };
    if !state_agrees {
        return Err(InconsistentBill("state disagrees with the payments"));
    }
    let lines = &record.priced.lines;
    let line_sums = Money::sum(lines.iter().map(|l| l.line_amount))
        .and_then(|total| Ok((total, Money::sum(lines.iter().map(|l| l.gross_amount))?)));
    match line_sums {
        Ok((total, gross))
            if total == totals.total && gross.checked_sub(total) == Ok(totals.discount) => {}
        _ => return Err(InconsistentBill("totals differ from the lines")),
    }
    if lines
        .iter()
        .enumerate()
        .any(|(i, line)| line.line_no != i + 1)
        || lines.len() != record.content.lines.len()
    {
        return Err(InconsistentBill(
            "lines are not numbered 1, 2, … or differ from the content",
        ));
    }
    let numbered = record
        .history
        .iter()
        .zip(1u32..)
        .all(|(entry, n)| entry.sequence == n);
    let last_agrees = record
        .history
        .last()
        .is_some_and(|last| last.state == record.state && last.version == record.version);
    if !numbered || !last_agrees || record.version == 0 {
        return Err(InconsistentBill(
            "history does not lead to the current state and version",
        ));
    }
    Ok(())
}
