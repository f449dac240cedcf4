//! Properties of the bill aggregate: random operation sequences against the reference model,
//! and generated valid and invalid bills.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::fixture::{channel, other_shop};
use crate::calendar::Timestamp;
use crate::catalog::{CatalogFailure, ShopCatalog};
use crate::error_kind::ErrorKind;
use crate::ids::BillNum;
use crate::sell_bill::{
    BillState, Outcome, PaymentDraft, SellBill, SellBillDraft, SellBillError, check_invariants,
    price_bill,
};
use crate::testing::bills::{Defect, catalog, invalid_bill, valid_bill};
use crate::testing::decimals::reference_amount;
use crate::testing::model::{
    BillModel, BillOp, BillRequest, ModelAnswer, Scenario, payment_sequence, scenario,
};

/// Sends one request to the aggregate the way a server would: validate, then create or apply.
fn apply(
    bill: &mut Option<SellBill>,
    request: &BillRequest,
    catalog: &ShopCatalog,
    now: Timestamp,
) -> Result<Outcome, ErrorKind> {
    let result = match (request, bill.as_mut()) {
        (BillRequest::Submit { draft, other_shop }, existing) => {
            let from = if *other_shop {
                other_shop_channel()
            } else {
                channel()
            };
            let content = draft.validate().map_err(|e| e.kind())?;
            match existing {
                Some(bill) => bill.add_or_update(&from, content, catalog, now),
                None => SellBill::create(BillNum::new("B1"), &from, content, catalog, now).map(
                    |(created, event)| {
                        *bill = Some(created);
                        Outcome::Changed(event)
                    },
                ),
            }
        }
        (BillRequest::Pay(draft), Some(bill)) => {
            let (_, request) = draft.validate().map_err(|e| e.kind())?;
            bill.pay(&request, now)
        }
        (BillRequest::DeleteOrClose, Some(bill)) => bill.delete_or_close(now),
        (_, None) => Err(SellBillError::NotFound),
    };
    result.map_err(|err| err.kind())
}

fn other_shop_channel() -> crate::sell_bill::Channel {
    other_shop()
}

fn to_request(
    op: &BillOp,
    scenario: &Scenario,
    outstanding: Decimal,
    successes: &[BillRequest],
) -> Option<BillRequest> {
    Some(match op {
        BillOp::Submit {
            content,
            other_shop,
        } => BillRequest::Submit {
            draft: scenario.submissions[content % scenario.submissions.len()].clone(),
            other_shop: *other_shop,
        },
        BillOp::Pay {
            pay_num,
            amount,
            memory,
        } => BillRequest::Pay(PaymentDraft {
            bill_num: Some("B1".into()),
            pay_num: Some(format!("PAY-{pay_num}")),
            pay_amount: amount.resolve(outstanding),
            memory: memory.map(str::to_owned),
            ..PaymentDraft::default()
        }),
        BillOp::DeleteOrClose => BillRequest::DeleteOrClose,
        BillOp::Replay { index } if !successes.is_empty() => {
            successes[index % successes.len()].clone()
        }
        BillOp::Replay { .. } => return None,
    })
}

fn run(scenario: &Scenario) -> Result<(), TestCaseError> {
    let catalog = &scenario.catalog.catalog;
    let mut model = BillModel::new();
    let mut bill: Option<SellBill> = None;
    let mut successes: Vec<BillRequest> = Vec::new();
    for (step, op) in scenario.ops.iter().enumerate() {
        let outstanding = bill
            .as_ref()
            .map_or(Decimal::ZERO, |b| b.outstanding().get());
        prop_assert_eq!(outstanding, model.outstanding());
        let Some(request) = to_request(op, scenario, outstanding, &successes) else {
            continue;
        };
        let before = bill.clone();
        let now = Timestamp(i64::try_from(step).unwrap_or_default());
        let real = apply(&mut bill, &request, catalog, now);
        let expected = model.apply(&request);
        match (&real, &expected) {
            (
                Ok(outcome),
                ModelAnswer::Ok {
                    state,
                    paid,
                    version,
                    replay,
                },
            ) => {
                let record = bill.as_ref().map(SellBill::record);
                prop_assert_eq!(
                    record.map(|r| r.state),
                    Some(*state),
                    "step {}: {:?}",
                    step,
                    request
                );
                prop_assert_eq!(record.map(|r| r.paid_amount.get()), Some(*paid));
                prop_assert_eq!(record.map(|r| r.version), Some(*version));
                prop_assert_eq!(matches!(outcome, Outcome::Replayed), *replay);
            }
            (Err(kind), ModelAnswer::Err(expected_kind)) => prop_assert_eq!(kind, expected_kind),
            _ => prop_assert!(
                false,
                "step {}: {:?} gave {:?}, the model {:?}",
                step,
                request,
                real,
                expected
            ),
        }
        if !matches!(real, Ok(Outcome::Changed(_))) {
            prop_assert_eq!(
                &bill,
                &before,
                "a refused or replayed request changed the bill"
            );
        }
        if let Some(after) = &bill {
            prop_assert_eq!(check_invariants(after.record()), Ok(()));
            if let Some(before) = &before {
                check_monotonic(before, after)?;
            }
        }
        if real.is_ok() {
            check_replay_answers_again(&mut bill, &request, catalog, now)?;
            successes.push(request);
        }
    }
    Ok(())
}

/// Terminal states stay; content never changes after the first payment; paid never decreases.
fn check_monotonic(before: &SellBill, after: &SellBill) -> Result<(), TestCaseError> {
    if before.state().is_terminal() {
        prop_assert_eq!(after.state(), before.state());
    }
    if !before.record().payments.is_empty() {
        prop_assert_eq!(&after.record().content, &before.record().content);
        prop_assert_eq!(&after.record().priced, &before.record().priced);
    }
    prop_assert!(after.record().paid_amount >= before.record().paid_amount);
    Ok(())
}

/// Sending a request that just succeeded once more answers success and changes nothing.
fn check_replay_answers_again(
    bill: &mut Option<SellBill>,
    request: &BillRequest,
    catalog: &ShopCatalog,
    now: Timestamp,
) -> Result<(), TestCaseError> {
    let before = bill.clone();
    let again = apply(bill, request, catalog, now);
    prop_assert_eq!(again, Ok(Outcome::Replayed), "replaying {:?}", request);
    prop_assert_eq!(&*bill, &before);
    Ok(())
}

proptest! {
    #[test]
    fn random_operations_agree_with_the_model_and_keep_every_invariant(scenario in scenario(24)) {
        run(&scenario)?;
    }

    #[test]
    fn payment_sequences_never_overpay_and_agree_with_the_model(
        (catalog, submission, payments) in catalog().prop_flat_map(|c| {
            (Just(c.clone()), valid_bill(&c, 5), payment_sequence(12))
        }),
    ) {
        let mut ops = vec![BillOp::Submit { content: 0, other_shop: false }];
        ops.extend(payments);
        run(&Scenario { catalog, submissions: vec![submission], ops })?;
    }

    #[test]
    fn valid_bills_pass_and_total_the_exact_line_amounts(
        (generated, draft) in catalog().prop_flat_map(|c| (Just(c.clone()), valid_bill(&c, 20))),
    ) {
        let content = draft.validate().unwrap();
        let priced = price_bill(&content, &generated.catalog).unwrap();
        let expected: Decimal = draft.details.iter().map(|line| {
            let (rate, base) = match (line.discount_rate.unwrap_or_default(), line.discount_base.unwrap_or_default()) {
                (r, b) if r.is_zero() && b.is_zero() => (Decimal::ONE, Decimal::ONE),
                pair => pair,
            };
            reference_amount(line.amount.unwrap(), line.retail_price.unwrap(), rate, base)
        }).sum();
        prop_assert_eq!(priced.totals.total.get(), expected);
        prop_assert_eq!(priced.lines.len(), draft.details.len());
    }

    #[test]
    fn each_defect_is_refused_with_its_kind_and_changes_nothing(
        (generated, (draft, defect, line_no)) in catalog().prop_flat_map(|c| (Just(c.clone()), invalid_bill(&c))),
    ) {
        let result = draft
            .validate()
            .map_err(SellBillError::from)
            .and_then(|content| SellBill::create(BillNum::new("B1"), &channel(), content, &generated.catalog, Timestamp(0)));
        let err = result.err();
        prop_assert_eq!(err.as_ref().map(SellBillError::kind), Some(defect.kind()));
        if let (Some(SellBillError::Rejected(rejection)), Some(line_no)) = (&err, line_no) {
            let named = match rejection.first() {
                CatalogFailure::NoStockRecord { line_no, .. }
                | CatalogFailure::NoPriceQuote { line_no, .. }
                | CatalogFailure::RetailPriceMismatch { line_no, .. }
                | CatalogFailure::InvalidDiscount { line_no, .. }
                | CatalogFailure::BelowLowestRetailPrice { line_no, .. } => Some(*line_no),
                CatalogFailure::UnknownGuide { .. } => None,
            };
            prop_assert_eq!(named, Some(line_no));
        }
    }
}

proptest! {
    #[test]
    fn a_refused_update_leaves_the_bill_untouched_for_every_defect(
        (generated, valid, (mut invalid, defect, _)) in catalog()
            .prop_flat_map(|c| (Just(c.clone()), valid_bill(&c, 4), invalid_bill(&c))),
    ) {
        // Without a SenderBillNum the update would not reach the bill at all.
        prop_assume!(defect != Defect::MissingSenderBillNum);
        invalid.sender_bill_num.clone_from(&valid.sender_bill_num);
        let catalog = &generated.catalog;
        let submit = |draft: &SellBillDraft| BillRequest::Submit { draft: draft.clone(), other_shop: false };
        let mut bill = None;
        prop_assert!(apply(&mut bill, &submit(&valid), catalog, Timestamp(0)).is_ok());
        let before = bill.clone();
        prop_assert_eq!(apply(&mut bill, &submit(&invalid), catalog, Timestamp(1)), Err(defect.kind()));
        prop_assert_eq!(bill.as_ref().map(SellBill::state), Some(BillState::Initial));
        prop_assert_eq!(bill, before);
    }
}
