//! `PayBill` and `DeleteOrClose` cases (CONTRACT §5): states, amounts, `PayNum` idempotency,
//! bill references and customer unit scoping.

use std::sync::Arc;

use posbridge_domain::ids::{BillNum, PayNum};
use posbridge_domain::sell_bill::{BillEventKind, BillRef, BillState, PayType, SellBillError};

use super::bills::assert_stored;
use super::fixtures::{
    ChannelAccount, all_events, at, by_num, by_sender, ch_s001, ch_s002, ch_s101, changed, create,
    money, pay, payment, read_bill, refused, replayed, scarves, seed,
};
use crate::OpResult;
use crate::api::Store;
use crate::model::BillChange;

async fn pay_ref(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    bill: &BillRef,
    pay_num: &str,
    amount: Option<&str>,
    seconds: i64,
) -> OpResult<BillChange, SellBillError> {
    store
        .pay_bill(
            &account.actor,
            account.customer(),
            bill,
            &payment(pay_num, amount),
            at(seconds),
        )
        .await
}

async fn close(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    bill: &BillRef,
    seconds: i64,
) -> OpResult<BillChange, SellBillError> {
    store
        .delete_or_close_bill(&account.actor, account.customer(), bill, at(seconds))
        .await
}

/// A part payment makes the bill `PartPaid` (`bill.payment_received`), the rest makes it `Paid`
/// (`bill.paid`); then nothing is outstanding (3004).
pub async fn pay_bill_part_then_full(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &scarves("P-1", "2"), at(1)).await;
    let part = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("50.00"),
            at(2),
        )
        .await,
        BillEventKind::PaymentReceived,
    );
    assert_eq!(part.state, BillState::PartPaid);
    assert_eq!(part.paid_amount, money("50.00"));
    assert_eq!(part.payments.len(), 1);
    assert_eq!(part.payments[0].amount, money("50.00"));
    assert_eq!(part.payments[0].paid_at, at(2));
    assert_eq!(part.payments[0].request, payment("PAY-1", Some("50.00")));
    assert_eq!(part.version, 1, "payments keep the version");
    assert_stored(&store, &part).await;

    let full = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-2",
            Some("148.00"),
            at(3),
        )
        .await,
        BillEventKind::Paid,
    );
    assert_eq!(full.state, BillState::Paid);
    assert_eq!(full.paid_amount, money("198.00"));
    assert_eq!(full.paid_amount, full.priced.totals.total);
    assert_eq!(full.payments.len(), 2);
    assert_stored(&store, &full).await;

    let error = refused(
        pay_ref(
            &store,
            &account,
            &by_num(&bill.bill_num),
            "PAY-3",
            Some("0.01"),
            4,
        )
        .await,
    );
    assert_eq!(
        error,
        SellBillError::ExceedsOutstanding {
            bill_num: bill.bill_num.clone(),
            requested: money("0.01"),
            outstanding: money("0.00"),
        }
    );
    assert_stored(&store, &full).await;
    assert_eq!(all_events(&store).await.len(), 3);
}

/// A payment without an amount pays what is outstanding; repeating it, with or without the amount
/// it paid, is a replay.
pub async fn pay_bill_without_amount_pays_the_rest(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &scarves("P-1", "2"), at(1)).await;
    pay(
        &store,
        &account,
        &bill.bill_num,
        "PAY-1",
        Some("48.00"),
        at(2),
    )
    .await;
    let full = changed(
        pay(&store, &account, &bill.bill_num, "PAY-2", None, at(3)).await,
        BillEventKind::Paid,
    );
    assert_eq!(full.payments[1].amount, money("150.00"));
    assert_eq!(
        full.payments[1].request.amount, None,
        "the request is kept as sent"
    );
    assert_eq!(full.paid_amount, money("198.00"));
    let again = replayed(pay(&store, &account, &bill.bill_num, "PAY-2", None, at(4)).await);
    assert_eq!(again, full);
    let named = replayed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-2",
            Some("150.00"),
            at(5),
        )
        .await,
    );
    assert_eq!(named, full);
    assert_eq!(all_events(&store).await.len(), 3, "replays write no event");
}

/// The same `PayNum` with the same content is a replay answering the current state; with other
/// content it is 3005, in any state.
pub async fn pay_bill_replays_and_refuses_reused_pay_num(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &scarves("P-1", "2"), at(1)).await;
    let part = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("50.00"),
            at(2),
        )
        .await,
        BillEventKind::PaymentReceived,
    );
    let again = replayed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("50.0"),
            at(3),
        )
        .await,
    );
    assert_eq!(again, part);
    let reused = SellBillError::PayNumReused {
        bill_num: bill.bill_num.clone(),
        pay_num: PayNum::new("PAY-1"),
    };
    let by_amount = pay_ref(
        &store,
        &account,
        &by_num(&bill.bill_num),
        "PAY-1",
        Some("60.00"),
        4,
    )
    .await;
    assert_eq!(refused(by_amount), reused);
    let mut other_type = payment("PAY-1", Some("50.00"));
    other_type.pay_type = Some(PayType::WeChat);
    let by_type = store
        .pay_bill(
            &account.actor,
            account.customer(),
            &by_num(&bill.bill_num),
            &other_type,
            at(5),
        )
        .await;
    assert_eq!(refused(by_type), reused);
    assert_stored(&store, &part).await;
    assert_eq!(all_events(&store).await.len(), 2);

    let paid = changed(
        pay(&store, &account, &bill.bill_num, "PAY-2", None, at(6)).await,
        BillEventKind::Paid,
    );
    let late = replayed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("50.00"),
            at(7),
        )
        .await,
    );
    assert_eq!(
        late.state,
        BillState::Paid,
        "a replay answers the current state"
    );
    assert_eq!(late, paid);
    let late_other = pay_ref(
        &store,
        &account,
        &by_num(&bill.bill_num),
        "PAY-1",
        Some("1.00"),
        8,
    )
    .await;
    assert_eq!(refused(late_other), reused);
}

/// A payment above the outstanding amount is 3004 and changes nothing; a deleted bill refuses new
/// payments with 3003.
pub async fn pay_bill_refuses_above_outstanding(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &scarves("P-1", "2"), at(1)).await;
    let error = refused(
        pay_ref(
            &store,
            &account,
            &by_num(&bill.bill_num),
            "PAY-1",
            Some("198.01"),
            2,
        )
        .await,
    );
    assert_eq!(
        error,
        SellBillError::ExceedsOutstanding {
            bill_num: bill.bill_num.clone(),
            requested: money("198.01"),
            outstanding: money("198.00"),
        }
    );
    assert_stored(&store, &bill).await;
    assert_eq!(
        all_events(&store).await.len(),
        1,
        "a refusal writes no event"
    );
    // The refused PayNum is still free.
    let part = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("98.00"),
            at(3),
        )
        .await,
        BillEventKind::PaymentReceived,
    );
    let error = refused(
        pay_ref(
            &store,
            &account,
            &by_num(&bill.bill_num),
            "PAY-2",
            Some("100.01"),
            4,
        )
        .await,
    );
    assert_eq!(
        error,
        SellBillError::ExceedsOutstanding {
            bill_num: bill.bill_num.clone(),
            requested: money("100.01"),
            outstanding: money("100.00"),
        }
    );
    assert_stored(&store, &part).await;

    let other = create(&store, &account, &scarves("P-2", "1"), at(5)).await;
    close(&store, &account, &by_num(&other.bill_num), 6)
        .await
        .expect("delete");
    let error = refused(
        pay_ref(
            &store,
            &account,
            &by_num(&other.bill_num),
            "PAY-1",
            Some("1.00"),
            7,
        )
        .await,
    );
    assert_eq!(
        error,
        SellBillError::DeletedOrClosed {
            bill_num: other.bill_num,
            state: BillState::Deleted,
        }
    );
}

/// A bill is named by `BillNum`, by `SenderBillNum`, or by both when they agree; both naming
/// different bills, or a key naming nothing, is 3001.
pub async fn pay_bill_finds_bills_by_either_key(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let first = create(&store, &account, &scarves("P-1", "2"), at(1)).await;
    let second = create(&store, &account, &scarves("P-2", "2"), at(2)).await;
    let paid = changed(
        pay_ref(
            &store,
            &account,
            &by_sender("P-1"),
            "PAY-1",
            Some("10.00"),
            3,
        )
        .await
        .expect("pay by SenderBillNum"),
        BillEventKind::PaymentReceived,
    );
    assert_eq!(paid.bill_num, first.bill_num);
    let both = BillRef::parse(Some(second.bill_num.as_str()), Some("P-2")).expect("reference");
    let paid = changed(
        pay_ref(&store, &account, &both, "PAY-1", Some("10.00"), 4)
            .await
            .expect("pay by both"),
        BillEventKind::PaymentReceived,
    );
    assert_eq!(paid.bill_num, second.bill_num);

    let crossed = BillRef::parse(Some(first.bill_num.as_str()), Some("P-2")).expect("reference");
    assert_eq!(
        refused(pay_ref(&store, &account, &crossed, "PAY-9", Some("1.00"), 5).await),
        SellBillError::NotFound
    );
    assert_eq!(
        refused(close(&store, &account, &crossed, 5).await),
        SellBillError::NotFound
    );
    assert_eq!(read_bill(&store, account.customer(), &crossed).await, None);
    let missing = by_num(&BillNum::new("NO-SUCH-BILL"));
    assert_eq!(
        refused(pay_ref(&store, &account, &missing, "PAY-9", Some("1.00"), 6).await),
        SellBillError::NotFound
    );
    assert_eq!(
        refused(pay_ref(&store, &account, &by_sender("P-9"), "PAY-9", None, 7).await),
        SellBillError::NotFound
    );
    assert_eq!(all_events(&store).await.len(), 4);
    // Another channel account of the same customer unit may pay (and sees) the bill.
    let other_shop = ch_s002();
    let by_other = pay_ref(&store, &other_shop, &by_sender("P-1"), "PAY-2", None, 8).await;
    let paid = changed(
        by_other.expect("pay from the unit's other account"),
        BillEventKind::Paid,
    );
    assert_eq!(paid.bill_num, first.bill_num);
}

/// A bill of another customer unit does not exist for the caller: paying, closing and reading it
/// answer not found, by either key, and nothing changes.
pub async fn pay_bill_hides_other_customer_units(store: Arc<dyn Store>) {
    seed(&store).await;
    let owner = ch_s001();
    let bill = create(&store, &owner, &scarves("P-1", "2"), at(1)).await;
    let stranger = ch_s101();
    for reference in [by_num(&bill.bill_num), by_sender("P-1")] {
        let paying = pay_ref(&store, &stranger, &reference, "PAY-1", Some("1.00"), 2).await;
        assert_eq!(refused(paying), SellBillError::NotFound);
        assert_eq!(
            refused(close(&store, &stranger, &reference, 3).await),
            SellBillError::NotFound
        );
        assert_eq!(
            read_bill(&store, stranger.customer(), &reference).await,
            None
        );
    }
    assert_stored(&store, &bill).await;
    assert_eq!(all_events(&store).await.len(), 1);
}

/// `Initial` becomes `Deleted`, `PartPaid` becomes `Closed` (the paid part stands), `Paid` is
/// 3006; repeating a delete or close is a replay answering the same bill; a closed bill takes no
/// new payment (3003) but still replays an earlier one.
pub async fn delete_or_close_follows_the_state(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let initial = create(&store, &account, &scarves("P-1", "1"), at(1)).await;
    let deleted = changed(
        close(&store, &account, &by_num(&initial.bill_num), 2)
            .await
            .expect("delete"),
        BillEventKind::Deleted,
    );
    assert_eq!((deleted.state, deleted.version), (BillState::Deleted, 1));
    let again = replayed(
        close(&store, &account, &by_sender("P-1"), 3)
            .await
            .expect("repeat"),
    );
    assert_eq!(again, deleted);
    assert_stored(&store, &deleted).await;

    let part_paid = create(&store, &account, &scarves("P-2", "2"), at(4)).await;
    pay(
        &store,
        &account,
        &part_paid.bill_num,
        "PAY-1",
        Some("20.00"),
        at(5),
    )
    .await;
    let closed = changed(
        close(&store, &account, &by_sender("P-2"), 6)
            .await
            .expect("close"),
        BillEventKind::Closed,
    );
    assert_eq!(closed.state, BillState::Closed);
    assert_eq!(closed.paid_amount, money("20.00"), "the paid part stands");
    let again = replayed(
        close(&store, &account, &by_num(&part_paid.bill_num), 7)
            .await
            .expect("repeat"),
    );
    assert_eq!(again, closed);
    let new_payment = pay_ref(
        &store,
        &account,
        &by_sender("P-2"),
        "PAY-2",
        Some("1.00"),
        8,
    )
    .await;
    assert_eq!(
        refused(new_payment),
        SellBillError::DeletedOrClosed {
            bill_num: part_paid.bill_num.clone(),
            state: BillState::Closed,
        }
    );
    let old_payment = pay(
        &store,
        &account,
        &part_paid.bill_num,
        "PAY-1",
        Some("20.00"),
        at(9),
    )
    .await;
    assert_eq!(replayed(old_payment), closed);
    assert_stored(&store, &closed).await;

    let paid_bill = create(&store, &account, &scarves("P-3", "1"), at(10)).await;
    let paid = changed(
        pay(&store, &account, &paid_bill.bill_num, "PAY-1", None, at(11)).await,
        BillEventKind::Paid,
    );
    assert_eq!(
        refused(close(&store, &account, &by_num(&paid.bill_num), 12).await),
        SellBillError::PaidNotClosable {
            bill_num: paid.bill_num.clone(),
        }
    );
    assert_stored(&store, &paid).await;
    // 1 + 1 events for P-1, 1 + 1 + 1 for P-2, 1 + 1 for P-3.
    assert_eq!(all_events(&store).await.len(), 7);
}
