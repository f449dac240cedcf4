//! A reference model of the sell bill state machine, and random operation sequences.
//!
//! The model restates CONTRACT §5 as directly as possible, with plain decimals and no shared
//! code with [`crate::sell_bill`] beyond the state names and error kinds, so that comparing the
//! two on random sequences checks the aggregate. A downstream suite can drive its own system
//! with the same sequences and compare against the model.

use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

use super::bills::{GeneratedCatalog, catalog, valid_bill};
use super::decimals::reference_amount;
use crate::error_kind::ErrorKind;
use crate::sell_bill::{BillState, PaymentDraft, SellBillDraft};

/// How much a generated payment asks for, resolved against what is outstanding when it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayAmount {
    /// `PayAmount` absent: pay what is outstanding.
    Outstanding,
    /// This percentage (1 to 100) of what is outstanding, rounded down to the cent.
    Percent(u8),
    /// One cent more than is outstanding.
    OverByACent,
    /// Exactly 0.
    Zero,
}

impl PayAmount {
    /// The `PayAmount` to send when `outstanding` is outstanding.
    pub fn resolve(self, outstanding: Decimal) -> Option<Decimal> {
        match self {
            PayAmount::Outstanding => None,
            PayAmount::Percent(percent) => {
                let part = outstanding * Decimal::from(percent) / Decimal::from(100);
                Some(part.trunc_with_scale(2))
            }
            PayAmount::OverByACent => Some(outstanding + Decimal::new(1, 2)),
            PayAmount::Zero => Some(Decimal::ZERO),
        }
    }
}

/// One generated operation on a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillOp {
    /// AddOrUpdate with the scenario's `content`-th submission (modulo their number), from the
    /// bill's own shop or from another shop of the same customer unit.
    Submit {
        /// Which submission.
        content: usize,
        /// Whether it comes from another shop (4005 once the bill exists).
        other_shop: bool,
    },
    /// PayBill with `PayNum` `PAY-<pay_num>`; few numbers, so that they repeat.
    Pay {
        /// The payment key's number.
        pay_num: u8,
        /// The amount.
        amount: PayAmount,
        /// `Memory`, so that a reused `PayNum` sometimes carries other content.
        memory: Option<&'static str>,
    },
    /// DeleteOrClose.
    DeleteOrClose,
    /// Sends again, unchanged, the `index`-th (modulo their number) request that succeeded so far.
    Replay {
        /// Which earlier success.
        index: usize,
    },
}

/// A catalog, several submissions of one bill (same `SenderBillNum`), and operations.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The shop's catalog; every submission is valid against it.
    pub catalog: GeneratedCatalog,
    /// Submissions sharing one `SenderBillNum`.
    pub submissions: Vec<SellBillDraft>,
    /// The operations, in order.
    pub ops: Vec<BillOp>,
}

/// One operation as concretely sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillRequest {
    /// AddOrUpdate.
    Submit {
        /// The bill as sent.
        draft: SellBillDraft,
        /// Whether it comes from another shop of the same customer unit.
        other_shop: bool,
    },
    /// PayBill.
    Pay(PaymentDraft),
    /// DeleteOrClose.
    DeleteOrClose,
}

/// Operations: submissions, payments (amounts of every kind, repeating `PayNum`s), deletes or
/// closes, and replays of earlier successes.
pub fn bill_op() -> impl Strategy<Value = BillOp> {
    prop_oneof![
        3 => (0usize..4, proptest::bool::weighted(0.1))
            .prop_map(|(content, other_shop)| BillOp::Submit { content, other_shop }),
        4 => (0u8..4, pay_amount(), proptest::option::of(select(vec!["cash", "找零"])))
            .prop_map(|(pay_num, amount, memory)| BillOp::Pay { pay_num, amount, memory }),
        1 => Just(BillOp::DeleteOrClose),
        2 => (0usize..16).prop_map(|index| BillOp::Replay { index }),
    ]
}

/// A sequence of 1 to `max` payments on one bill: repeating `PayNum`s, amounts of every kind
/// (absent, parts, too much, zero) and memos that make a reused `PayNum` differ.
pub fn payment_sequence(max: usize) -> impl Strategy<Value = Vec<BillOp>> {
    let payment = (
        0u8..4,
        pay_amount(),
        proptest::option::of(select(vec!["cash", "找零"])),
    )
        .prop_map(|(pay_num, amount, memory)| BillOp::Pay {
            pay_num,
            amount,
            memory,
        });
    proptest::collection::vec(payment, 1..=max.max(1))
}

fn pay_amount() -> impl Strategy<Value = PayAmount> {
    prop_oneof![
        3 => Just(PayAmount::Outstanding),
        4 => (1u8..=100).prop_map(PayAmount::Percent),
        1 => Just(PayAmount::OverByACent),
        1 => Just(PayAmount::Zero),
    ]
}

/// A scenario: a catalog, 1 to 4 submissions of one bill, and 1 to `max_ops` operations starting
/// with a submission.
pub fn scenario(max_ops: usize) -> impl Strategy<Value = Scenario> {
    catalog().prop_flat_map(move |generated| {
        let submissions = proptest::collection::vec(valid_bill(&generated, 5), 1..=4);
        let ops = proptest::collection::vec(bill_op(), 0..max_ops.max(1));
        (Just(generated), submissions, ops).prop_map(|(catalog, mut submissions, mut ops)| {
            let key = submissions.first().and_then(|s| s.sender_bill_num.clone());
            for submission in &mut submissions {
                submission.sender_bill_num.clone_from(&key);
            }
            ops.insert(
                0,
                BillOp::Submit {
                    content: 0,
                    other_shop: false,
                },
            );
            Scenario {
                catalog,
                submissions,
                ops,
            }
        })
    })
}

/// What the model answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelAnswer {
    /// Success: the bill's state, paid amount and version afterwards, and whether it was a replay.
    Ok {
        /// State after the operation.
        state: BillState,
        /// Paid amount after the operation.
        paid: Decimal,
        /// Content version after the operation.
        version: u32,
        /// Whether nothing changed.
        replay: bool,
    },
    /// Refused with this kind.
    Err(ErrorKind),
}

#[derive(Debug, Clone)]
struct ModelPayment {
    pay_num: String,
    requested: Option<Decimal>,
    memory: Option<String>,
    amount: Decimal,
}

#[derive(Debug, Clone)]
struct ModelBillState {
    content: ContentKey,
    total: Decimal,
    paid: Decimal,
    state: BillState,
    version: u32,
    payments: Vec<ModelPayment>,
}

/// A submission's content as the contract compares it: absent discounts count as 0, empty text
/// as absent.
type ContentKey = String;

/// The reference model of one bill.
#[derive(Debug, Clone, Default)]
pub struct BillModel {
    bill: Option<ModelBillState>,
}

impl BillModel {
    /// A model with no bill yet.
    pub fn new() -> Self {
        BillModel::default()
    }

    /// What is outstanding now (0 without a bill).
    pub fn outstanding(&self) -> Decimal {
        self.bill
            .as_ref()
            .map_or(Decimal::ZERO, |bill| bill.total - bill.paid)
    }

    /// Applies one request, which must be valid at field level and against the catalog.
    pub fn apply(&mut self, request: &BillRequest) -> ModelAnswer {
        match request {
            BillRequest::Submit { draft, other_shop } => self.submit(draft, *other_shop),
            BillRequest::Pay(payment) => self.pay(payment),
            BillRequest::DeleteOrClose => self.delete_or_close(),
        }
    }

    fn submit(&mut self, draft: &SellBillDraft, other_shop: bool) -> ModelAnswer {
        let content = content_key(draft);
        let Some(bill) = &mut self.bill else {
            if other_shop {
                // A new key from another shop simply creates the bill for that shop; the model
                // only follows one shop's bill, so generated scenarios never do this.
                return ModelAnswer::Err(ErrorKind::OwnerMismatch);
            }
            let total = model_total(draft);
            let created = ModelBillState {
                content,
                total,
                paid: Decimal::ZERO,
                state: BillState::Initial,
                version: 1,
                payments: Vec::new(),
            };
            let answer = answer(&created, false);
            self.bill = Some(created);
            return answer;
        };
        if other_shop {
            return ModelAnswer::Err(ErrorKind::OwnerMismatch);
        }
        if matches!(bill.state, BillState::Deleted | BillState::Closed) {
            return ModelAnswer::Err(ErrorKind::BillDeletedOrClosed);
        }
        if bill.content == content {
            return answer(bill, true);
        }
        if !bill.payments.is_empty() {
            return ModelAnswer::Err(ErrorKind::BillNotEditable);
        }
        bill.content = content;
        bill.total = model_total(draft);
        bill.version += 1;
        answer(bill, false)
    }

    fn pay(&mut self, payment: &PaymentDraft) -> ModelAnswer {
        let Some(bill) = &mut self.bill else {
            return ModelAnswer::Err(ErrorKind::BillNotFound);
        };
        let pay_num = payment.pay_num.clone().unwrap_or_default();
        if let Some(earlier) = bill.payments.iter().find(|p| p.pay_num == pay_num) {
            let same_amount = earlier.requested == payment.pay_amount
                || payment.pay_amount == Some(earlier.amount);
            return if same_amount && earlier.memory == payment.memory {
                answer(bill, true)
            } else {
                ModelAnswer::Err(ErrorKind::PayNumReused)
            };
        }
        if matches!(bill.state, BillState::Deleted | BillState::Closed) {
            return ModelAnswer::Err(ErrorKind::BillDeletedOrClosed);
        }
        let outstanding = bill.total - bill.paid;
        let amount = payment.pay_amount.unwrap_or(outstanding);
        if bill.state == BillState::Paid || amount > outstanding {
            return ModelAnswer::Err(ErrorKind::PaymentExceedsOutstanding);
        }
        if amount == Decimal::ZERO && outstanding > Decimal::ZERO {
            return ModelAnswer::Err(ErrorKind::InvalidField);
        }
        bill.paid += amount;
        bill.state = if bill.paid == bill.total {
            BillState::Paid
        } else {
            BillState::PartPaid
        };
        bill.payments.push(ModelPayment {
            pay_num,
            requested: payment.pay_amount,
            memory: payment.memory.clone(),
            amount,
        });
        answer(bill, false)
    }

    fn delete_or_close(&mut self) -> ModelAnswer {
        let Some(bill) = &mut self.bill else {
            return ModelAnswer::Err(ErrorKind::BillNotFound);
        };
        match bill.state {
            BillState::Initial => bill.state = BillState::Deleted,
            BillState::PartPaid => bill.state = BillState::Closed,
            BillState::Paid => return ModelAnswer::Err(ErrorKind::PaidBillNotClosable),
            BillState::Deleted | BillState::Closed => return answer(bill, true),
        }
        answer(bill, false)
    }
}

fn answer(bill: &ModelBillState, replay: bool) -> ModelAnswer {
    ModelAnswer::Ok {
        state: bill.state,
        paid: bill.paid,
        version: bill.version,
        replay,
    }
}

/// The bill total the contract defines: the sum of each line's exact amount rounded half up.
fn model_total(draft: &SellBillDraft) -> Decimal {
    draft
        .details
        .iter()
        .map(|line| {
            let rate = line.discount_rate.unwrap_or_default();
            let base = line.discount_base.unwrap_or_default();
            let (rate, base) = if rate.is_zero() && base.is_zero() {
                (Decimal::ONE, Decimal::ONE)
            } else {
                (rate, base)
            };
            reference_amount(
                line.amount.unwrap_or_default(),
                line.retail_price.unwrap_or_default(),
                rate,
                base,
            )
        })
        .sum()
}

fn content_key(draft: &SellBillDraft) -> ContentKey {
    let text = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let number = |value: Option<Decimal>| value.unwrap_or_default().normalize().to_string();
    let lines: Vec<String> = draft
        .details
        .iter()
        .map(|line| {
            format!(
                "{:?}|{}|{}|{}|{}|{:?}|{:?}",
                line.product_id,
                number(line.amount),
                number(line.discount_rate),
                number(line.discount_base),
                number(line.retail_price),
                text(&line.unit),
                text(&line.standard),
            )
        })
        .collect();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        text(&draft.sender_bill_num),
        text(&draft.guider_number),
        text(&draft.memory),
        draft.member_id,
        text(&draft.guest_mobile),
        text(&draft.guest_name),
        text(&draft.guest_ceri_code),
        text(&draft.plan_deliver_type),
        text(&draft.deliver_address),
        text(&draft.guest_memory),
        lines,
    )
}
