//! Rebate settlement cases (CONTRACT §6): amounts, idempotency on (merchant, `BillNum`), the
//! settled-quantity ledger, the sell bill checks, and the `settlement.created` event.

use std::sync::Arc;

use posbridge_domain::ErrorKind;
use posbridge_domain::field::FieldPath;
use posbridge_domain::ids::{BillNum, MerchantId, ProductId};
use posbridge_domain::sell_bill::BillState;
use posbridge_domain::settlement::{
    LineAllocation, NotSettleable, SettlementContent, SettlementError, SettlementFailure,
};

use super::fixtures::{
    all_events, at, ch_s001, ch_s002, content, create, d, discounted, events_of, line, m2, money,
    paid_bill, pay, price, refused, scarves, seed, settlement,
};
use crate::OpResult;
use crate::api::Store;
use crate::model::{EventPayload, EventStatus, EventSubject, SettlementChange};

pub(crate) async fn settle(
    store: &Arc<dyn Store>,
    content: &SettlementContent,
    seconds: i64,
) -> OpResult<SettlementChange, SettlementError> {
    store
        .add_settlement(&m2(), MerchantId(2), content, at(seconds))
        .await
}

/// The first failure of a refused settlement.
#[track_caller]
pub(crate) fn first_failure(error: &SettlementError) -> &SettlementFailure {
    match error {
        SettlementError::Rejected(rejection) => rejection.first(),
        other => panic!("expected a rejected settlement, got {other:?}"),
    }
}

/// A settlement over a paid bill is stored with the domain's amounts, read back by its merchant
/// only, replayed when identical (same id, no new event), refused with 4001 when its `BillNum`
/// comes with other content, and announced by one `settlement.created` event for the merchant.
pub async fn settlement_is_stored_with_its_amounts(store: Arc<dyn Store>) {
    seed(&store).await;
    let sent = content(
        "P-1",
        vec![
            line(1, "2", "99.00"),
            discounted(2, "3", "50.00", "9", "10"),
        ],
    );
    let sell = paid_bill(&store, &ch_s001(), &sent, at(1)).await;
    let n_events = all_events(&store).await.len();
    let submitted = settlement("JS-1", &sell, &[(1, "2", "10.00"), (2, "1", "5.55")]);
    let change = settle(&store, &submitted, 10).await.expect("settle");
    assert!(!change.replayed);
    let record = change.record;
    assert_eq!(record.merchant_id, MerchantId(2));
    assert_eq!(record.created_at, at(10));
    let accepted = &record.settlement;
    assert_eq!(accepted.content, submitted);
    assert_eq!(accepted.rebate_rate.get(), d("0.30"));
    // calAmount = 2 × 10.00 + 1 × 5.55 = 25.55; rebate = 25.55 × 0.30 = 7.665 → 7.67;
    // salesAmount = 2 × 99.00 + 1 × 50.00 × 9/10 = 198.00 + 45.00.
    assert_eq!(accepted.cal_amount, money("25.55"));
    assert_eq!(accepted.rebate_amount, money("7.67"));
    assert_eq!(accepted.sales_amount, money("243.00"));
    let details: Vec<_> = accepted
        .details
        .iter()
        .map(|x| (x.sales_amount, x.cal_amount, x.allocations.clone()))
        .collect();
    let allocation = |line_no, quantity| LineAllocation {
        line_no,
        quantity: d(quantity),
    };
    assert_eq!(
        details,
        vec![
            (money("198.00"), money("20.00"), vec![allocation(1, "2")]),
            (money("45.00"), money("5.55"), vec![allocation(2, "1")]),
        ]
    );

    let read = store.settlement(MerchantId(2), "JS-1").await.expect("read");
    assert_eq!(read.as_ref(), Some(&record));
    assert_eq!(
        store.settlement(MerchantId(3), "JS-1").await.expect("read"),
        None
    );
    assert_eq!(
        store
            .settlement(MerchantId(2), "JS-404")
            .await
            .expect("read"),
        None
    );

    let events = events_of(&store, EventSubject::Settlement(record.id)).await;
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = &events[0];
    assert_eq!(event.kind, "settlement.created");
    assert_eq!(event.account_id, "m-2");
    assert_eq!(
        (event.sequence, event.status, event.occurred_at),
        (1, EventStatus::Pending, at(10))
    );
    assert_eq!(
        event.payload,
        EventPayload::Settlement(Box::new(record.clone()))
    );
    assert_eq!(all_events(&store).await.len(), n_events + 1);

    let again = settle(&store, &submitted, 11).await.expect("replay");
    assert!(again.replayed);
    assert_eq!(
        again.record, record,
        "a replay answers the earlier settlement"
    );
    let other = settlement("JS-1", &sell, &[(1, "1", "10.00")]);
    let error = refused(settle(&store, &other, 12).await);
    assert_eq!(
        error,
        SettlementError::BillNumReused {
            bill_num: "JS-1".into()
        }
    );
    assert_eq!(error.kind(), ErrorKind::SettlementBillNumReused);
    assert_eq!(
        all_events(&store).await.len(),
        n_events + 1,
        "replay and refusal write no event"
    );
    let read = store.settlement(MerchantId(2), "JS-1").await.expect("read");
    assert_eq!(read, Some(record));
}

/// Settled quantities add up across settlements and across the details of one settlement, and
/// never exceed the quantity sold (4003, with the ledger's figures); a refused settlement stores
/// nothing, so its `BillNum` stays free.
pub async fn settlement_refuses_over_settling(store: Arc<dyn Store>) {
    seed(&store).await;
    let sell = paid_bill(&store, &ch_s001(), &scarves("P-1", "2"), at(1)).await;
    let first = settle(&store, &settlement("JS-1", &sell, &[(1, "1.5", "10")]), 2).await;
    assert!(!first.expect("within the quantity sold").replayed);

    let over = |settled: &str, requested: &str, index: usize| SettlementFailure::OverSettled {
        detail: FieldPath::new("Details").at(index),
        sell_bill_num: sell.bill_num.clone(),
        product_id: ProductId(1),
        sold: d("2"),
        settled: d(settled),
        requested: d(requested),
    };
    let error = refused(settle(&store, &settlement("JS-2", &sell, &[(1, "1", "10")]), 3).await);
    assert_eq!(error.kind(), ErrorKind::OverSettled);
    assert_eq!(first_failure(&error), &over("1.5", "1", 0));
    assert_eq!(
        store.settlement(MerchantId(2), "JS-2").await.expect("read"),
        None
    );

    // Two details of one settlement count together.
    let split = settlement("JS-2", &sell, &[(1, "0.25", "10"), (1, "0.5", "10")]);
    let error = refused(settle(&store, &split, 4).await);
    assert_eq!(first_failure(&error), &over("1.75", "0.5", 1));

    let rest = settle(&store, &settlement("JS-2", &sell, &[(1, "0.5", "10")]), 5).await;
    assert!(!rest.expect("exactly what is left").replayed);
    let error = refused(
        settle(
            &store,
            &settlement("JS-3", &sell, &[(1, "0.0001", "10")]),
            6,
        )
        .await,
    );
    assert_eq!(first_failure(&error), &over("2", "0.0001", 0));
    let n_settlements = all_events(&store)
        .await
        .iter()
        .filter(|e| e.kind == "settlement.created")
        .count();
    assert_eq!(n_settlements, 2);
}

/// Only a `Paid` sell bill of the header's shop and customer unit, with the product on it, at the
/// snapshot's prices, can be settled (4002, 4004), by its own merchant (4005); nothing is stored
/// when it cannot.
pub async fn settlement_requires_a_paid_bill_of_the_shop_and_unit(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let initial = create(&store, &account, &scarves("P-1", "1"), at(1)).await;
    let part_paid = create(&store, &account, &scarves("P-2", "2"), at(2)).await;
    let part_paid = pay(
        &store,
        &account,
        &part_paid.bill_num,
        "PAY-1",
        Some("1.00"),
        at(3),
    )
    .await
    .bill;
    let paid = paid_bill(&store, &account, &scarves("P-3", "1"), at(4)).await;
    let elsewhere = paid_bill(&store, &ch_s002(), &scarves("P-4", "1"), at(5)).await;
    let n_events = all_events(&store).await.len();

    let not_settleable = |bill: &BillNum, reason| SettlementFailure::NotSettleable {
        detail: FieldPath::new("Details").at(0),
        sell_bill_num: bill.clone(),
        reason,
    };
    let mut missing = settlement("JS-1", &paid, &[(1, "1", "10")]);
    missing.details[0].sell_bill_num = BillNum::new("NO-SUCH-BILL");
    // A bill of S002 named in a settlement of S001 is not found for it.
    let mut other_shop = settlement("JS-1", &elsewhere, &[(1, "1", "10")]);
    other_shop.shop_id = paid.shop_id.clone();
    let cases = [
        (
            settlement("JS-1", &initial, &[(1, "1", "10")]),
            not_settleable(
                &initial.bill_num,
                NotSettleable::NotPaid(BillState::Initial),
            ),
        ),
        (
            settlement("JS-1", &part_paid, &[(1, "1", "10")]),
            not_settleable(
                &part_paid.bill_num,
                NotSettleable::NotPaid(BillState::PartPaid),
            ),
        ),
        (
            missing,
            not_settleable(&BillNum::new("NO-SUCH-BILL"), NotSettleable::NotFound),
        ),
        (
            other_shop,
            not_settleable(&elsewhere.bill_num, NotSettleable::NotFound),
        ),
        (
            settlement("JS-1", &paid, &[(3, "1", "10")]),
            not_settleable(&paid.bill_num, NotSettleable::ProductNotSold(ProductId(3))),
        ),
    ];
    for (submitted, expected) in cases {
        let error = refused(settle(&store, &submitted, 6).await);
        assert_eq!(error.kind(), ErrorKind::SellBillNotSettleable, "{error:?}");
        assert_eq!(first_failure(&error), &expected);
    }
    let mut wrong_price = settlement("JS-1", &paid, &[(1, "1", "10")]);
    wrong_price.details[0].retail_price = price("98.00");
    assert_eq!(
        refused(settle(&store, &wrong_price, 7).await).kind(),
        ErrorKind::SettlementPriceMismatch
    );
    let above_retail = settlement("JS-1", &paid, &[(1, "1", "99.01")]);
    assert_eq!(
        refused(settle(&store, &above_retail, 7).await).kind(),
        ErrorKind::SettlementPriceMismatch
    );
    let mut not_mine = settlement("JS-1", &paid, &[(1, "1", "10")]);
    not_mine.merchant_id = MerchantId(3);
    assert_eq!(
        refused(settle(&store, &not_mine, 8).await).kind(),
        ErrorKind::OwnerMismatch
    );
    let as_merchant_3 = store
        .add_settlement(
            &crate::Actor::new("m-3"),
            MerchantId(3),
            &settlement("JS-1", &paid, &[(1, "1", "10")]),
            at(8),
        )
        .await;
    assert_eq!(refused(as_merchant_3).kind(), ErrorKind::OwnerMismatch);

    assert_eq!(
        store.settlement(MerchantId(2), "JS-1").await.expect("read"),
        None
    );
    assert_eq!(
        store.settlement(MerchantId(3), "JS-1").await.expect("read"),
        None
    );
    assert_eq!(
        all_events(&store).await.len(),
        n_events,
        "refusals write no event"
    );
    // Nothing was settled: the whole quantity is still there.
    let full = settle(&store, &settlement("JS-1", &paid, &[(1, "1", "99.00")]), 9).await;
    assert_eq!(
        full.expect("settle").record.settlement.cal_amount,
        money("99.00")
    );
}
