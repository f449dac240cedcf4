//! `AddOrUpdate` cases (CONTRACT §5): creation, replay, replacement, the refusals, the catalog
//! checks, and idempotency keyed by customer unit.

use std::sync::Arc;

use posbridge_domain::ErrorKind;
use posbridge_domain::catalog::CatalogFailure;
use posbridge_domain::ids::{GuiderNumber, ProductId, SenderBillNum, ShopId};
use posbridge_domain::sell_bill::{
    BillEventKind, BillRecord, BillState, HistoryEntry, SellBillContent, SellBillError,
};

use super::fixtures::{
    ChannelAccount, all_bills, all_events, at, by_num, by_sender, ch_s001, ch_s002, ch_s101,
    changed, content, create, d, discounted, draft, line, money, pay, read_bill, refused, replayed,
    scarves, seed, validated,
};
use crate::api::Store;

/// Asserts that a fresh read of `bill` (by number and by key) answers exactly `bill`.
pub(crate) async fn assert_stored(store: &Arc<dyn Store>, bill: &BillRecord) {
    let by_number = read_bill(store, &bill.customer, &by_num(&bill.bill_num)).await;
    assert_eq!(
        by_number.as_ref(),
        Some(bill),
        "read by BillNum after the write"
    );
    let key = bill.content.sender_bill_num.as_str();
    let by_key = read_bill(store, &bill.customer, &by_sender(key)).await;
    assert_eq!(
        by_key.as_ref(),
        Some(bill),
        "read by SenderBillNum after the write"
    );
}

async fn add(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    content: &SellBillContent,
    seconds: i64,
) -> crate::OpResult<crate::model::BillChange, SellBillError> {
    store
        .add_or_update_bill(&account.actor, &account.channel, content, at(seconds))
        .await
}

/// A new key creates an `Initial` bill at version 1 with a fresh `BillNum`, priced exactly, with
/// the price snapshot of the shop, one history entry and `bill.created`.
pub async fn add_or_update_creates_a_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    // Product 2 has a zero-quantity stock record at S001: still sellable.
    let sent = content(
        "P-1",
        vec![
            line(1, "2", "99.00"),
            discounted(2, "3", "50.00", "9", "10"),
        ],
    );
    let bill = changed(
        add(&store, &account, &sent, 1).await.expect("create"),
        BillEventKind::Created,
    );
    let num = bill.bill_num.as_str();
    assert!(
        !num.is_empty() && num.chars().count() <= 32,
        "BillNum {num:?}"
    );
    assert_eq!(bill.state, BillState::Initial);
    assert_eq!(bill.version, 1);
    assert_eq!(bill.customer, account.channel.customer);
    assert_eq!(bill.shop_id, ShopId::new("S001"));
    assert_eq!(bill.content, sent);
    assert!(bill.payments.is_empty());
    assert_eq!(bill.paid_amount, money("0"));
    assert_eq!((bill.created_at, bill.updated_at), (at(1), at(1)));
    // 2 × 99.00 = 198.00; 3 × 50.00 × 9/10 = 135.00 (gross 150.00).
    assert_eq!(bill.priced.totals.total, money("333.00"));
    assert_eq!(bill.priced.totals.discount, money("15.00"));
    let lines = &bill.priced.lines;
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0].line_no, lines[1].line_no), (1, 2));
    assert_eq!(lines[0].line_amount, money("198.00"));
    assert_eq!(lines[1].line_amount, money("135.00"));
    assert_eq!(lines[1].discounted_price(), d("45"));
    let snapshot = lines[0].snapshot;
    assert_eq!(
        (snapshot.listing_price.get(), snapshot.retail_price.get()),
        (d("128.00"), d("99.00"))
    );
    assert_eq!(snapshot.lowest_retail_price.get(), d("79.00"));
    assert_eq!(
        bill.history,
        vec![HistoryEntry {
            sequence: 1,
            version: 1,
            state: BillState::Initial,
            event: BillEventKind::Created,
            at: at(1),
        }]
    );
    assert_stored(&store, &bill).await;

    let other = create(&store, &account, &scarves("P-2", "1"), at(2)).await;
    assert_ne!(
        other.bill_num, bill.bill_num,
        "every bill gets its own BillNum"
    );
    assert_eq!(
        all_bills(&store, account.customer()).await,
        vec![other, bill]
    );
}

/// The same key with identical content is a replay answering the bill as it is now, also after a
/// payment (`PartPaid`); equal values spelt otherwise are identical content; a replay changes
/// nothing and writes no event.
pub async fn add_or_update_replays_identical_content(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let sent = scarves("P-1", "2");
    let bill = create(&store, &account, &sent, at(1)).await;

    // Equal as values: 2.0 scarves at 99.0 is the same content as 2 at 99.00.
    let respelt = content("P-1", vec![line(1, "2.0", "99.0")]);
    let again = replayed(add(&store, &account, &respelt, 2).await.expect("replay"));
    assert_eq!(again, bill, "a replay answers the bill unchanged");
    assert_eq!(
        all_events(&store).await.len(),
        1,
        "a replay writes no event"
    );

    let paid = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("50.00"),
            at(3),
        )
        .await,
        BillEventKind::PaymentReceived,
    );
    let after_payment = replayed(add(&store, &account, &sent, 4).await.expect("replay"));
    assert_eq!(after_payment.state, BillState::PartPaid);
    assert_eq!(after_payment, paid, "the replay answers the current state");
    assert_eq!(after_payment.version, 1);
    assert_eq!(all_events(&store).await.len(), 2);
    assert_eq!(
        all_bills(&store, account.customer()).await,
        vec![paid.clone()]
    );
    assert_stored(&store, &paid).await;
}

/// Other content on an `Initial` bill replaces it: same `BillNum`, version 2, new totals,
/// `bill.updated`; a bill with payments refuses other content (3002) and stays as it was.
pub async fn add_or_update_replaces_an_initial_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &scarves("P-1", "1"), at(1)).await;
    let mut other = validated(draft("P-1", vec![line(1, "3", "99.00")]));
    other.memory = Some("three".into());
    let updated = changed(
        add(&store, &account, &other, 2).await.expect("update"),
        BillEventKind::Updated,
    );
    assert_eq!(updated.bill_num, bill.bill_num);
    assert_eq!((updated.version, updated.state), (2, BillState::Initial));
    assert_eq!(updated.content, other);
    assert_eq!(updated.priced.totals.total, money("297.00"));
    assert_eq!((updated.created_at, updated.updated_at), (at(1), at(2)));
    assert_eq!(updated.history.len(), 2);
    assert_eq!(updated.history[1].version, 2);
    assert_stored(&store, &updated).await;

    let part = changed(
        pay(
            &store,
            &account,
            &bill.bill_num,
            "PAY-1",
            Some("1.00"),
            at(3),
        )
        .await,
        BillEventKind::PaymentReceived,
    );
    let n_events = all_events(&store).await.len();
    let error = refused(add(&store, &account, &scarves("P-1", "5"), 4).await);
    assert_eq!(
        error,
        SellBillError::NotEditable {
            bill_num: bill.bill_num.clone(),
            state: BillState::PartPaid,
        }
    );
    assert_eq!(error.kind(), ErrorKind::BillNotEditable);
    assert_stored(&store, &part).await;
    assert_eq!(
        all_events(&store).await.len(),
        n_events,
        "a refusal writes no event"
    );

    // A paid bill refuses too, with its state.
    pay(&store, &account, &bill.bill_num, "PAY-2", None, at(5)).await;
    let error = refused(add(&store, &account, &scarves("P-1", "5"), 6).await);
    assert_eq!(
        error,
        SellBillError::NotEditable {
            bill_num: bill.bill_num,
            state: BillState::Paid,
        }
    );
}

/// A deleted bill refuses both its identical content and other content (3003): the key stays
/// bound and the bill is not resurrected.
pub async fn add_or_update_refuses_a_deleted_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let sent = scarves("P-1", "1");
    let bill = create(&store, &account, &sent, at(1)).await;
    let deleted = changed(
        store
            .delete_or_close_bill(
                &account.actor,
                account.customer(),
                &by_num(&bill.bill_num),
                at(2),
            )
            .await
            .expect("delete"),
        BillEventKind::Deleted,
    );
    let n_events = all_events(&store).await.len();
    let expected = SellBillError::DeletedOrClosed {
        bill_num: bill.bill_num.clone(),
        state: BillState::Deleted,
    };
    assert_eq!(refused(add(&store, &account, &sent, 3).await), expected);
    assert_eq!(
        refused(add(&store, &account, &scarves("P-1", "2"), 4).await),
        expected
    );
    assert_stored(&store, &deleted).await;
    assert_eq!(all_bills(&store, account.customer()).await, vec![deleted]);
    assert_eq!(all_events(&store).await.len(), n_events);
}

/// The key of a bill sent from an account of another shop of the same customer unit is 4005,
/// whatever the content; the bill stays with its shop.
pub async fn add_or_update_refuses_another_shop(store: Arc<dyn Store>) {
    seed(&store).await;
    let sent = scarves("P-1", "1");
    let bill = create(&store, &ch_s001(), &sent, at(1)).await;
    let other_shop = ch_s002();
    let expected = SellBillError::OtherShop {
        sender_bill_num: SenderBillNum::new("P-1"),
    };
    assert_eq!(refused(add(&store, &other_shop, &sent, 2).await), expected);
    assert_eq!(
        refused(add(&store, &other_shop, &scarves("P-1", "2"), 3).await),
        expected
    );
    assert_eq!(expected.kind(), ErrorKind::OwnerMismatch);
    assert_stored(&store, &bill).await;
    assert_eq!(all_events(&store).await.len(), 1);
    // The other shop's own keys work.
    let own = create(&store, &other_shop, &scarves("P-2", "1"), at(4)).await;
    assert_eq!(own.shop_id, ShopId::new("S002"));
}

/// Lines failing against the shop's catalog are refused with the first failure named, and
/// nothing is stored: no bill, no key, no event; a refused update leaves the bill as it was.
pub async fn add_or_update_refuses_catalog_failures(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let mut unknown_guide = validated(draft("P-5", vec![line(1, "1", "99.00")]));
    unknown_guide.guider_number = Some(GuiderNumber::new("D-999"));
    let cases: Vec<(SellBillContent, CatalogFailure)> = vec![
        (
            // Product 3 has a price at S001 but no stock record.
            content("P-1", vec![line(1, "1", "99.00"), line(3, "1", "20.00")]),
            CatalogFailure::NoStockRecord {
                line_no: 2,
                product_id: ProductId(3),
            },
        ),
        (
            content("P-2", vec![line(1, "1", "98.00")]),
            CatalogFailure::RetailPriceMismatch {
                line_no: 1,
                product_id: ProductId(1),
                expected: d("99.00"),
                given: d("98.00"),
            },
        ),
        (
            // 99.00 × 7/10 = 69.30, below the floor 79.00.
            content("P-3", vec![discounted(1, "1", "99.00", "7", "10")]),
            CatalogFailure::BelowLowestRetailPrice {
                line_no: 1,
                product_id: ProductId(1),
                discounted_price: d("69.3"),
                lowest_retail_price: d("79.00"),
            },
        ),
        (
            content("P-4", vec![line(9, "1", "99.00")]),
            CatalogFailure::NoStockRecord {
                line_no: 1,
                product_id: ProductId(9),
            },
        ),
        (
            unknown_guide,
            CatalogFailure::UnknownGuide {
                guider_number: GuiderNumber::new("D-999"),
            },
        ),
    ];
    for (sent, expected) in cases {
        let error = refused(add(&store, &account, &sent, 1).await);
        let SellBillError::Rejected(rejection) = &error else {
            panic!("expected a catalog rejection for {sent:?}, got {error:?}");
        };
        assert_eq!(rejection.first(), &expected);
        let key = sent.sender_bill_num.as_str();
        assert_eq!(
            read_bill(&store, account.customer(), &by_sender(key)).await,
            None
        );
    }
    // At S002 product 3 has a stock record but no price quote.
    let error = refused(
        add(
            &store,
            &ch_s002(),
            &content("P-6", vec![line(3, "1", "20.00")]),
            1,
        )
        .await,
    );
    assert_eq!(error.kind(), ErrorKind::NoPriceQuote);
    assert_eq!(all_bills(&store, account.customer()).await, vec![]);
    assert_eq!(all_events(&store).await, vec![]);

    // The refused keys are still free.
    let bill = create(&store, &account, &scarves("P-1", "1"), at(2)).await;
    let error = refused(
        add(
            &store,
            &account,
            &content("P-1", vec![line(3, "1", "20.00")]),
            3,
        )
        .await,
    );
    assert_eq!(error.kind(), ErrorKind::NoStockRecord);
    assert_stored(&store, &bill).await;
    assert_eq!(all_events(&store).await.len(), 1);
}

/// The key is (customer unit, `SenderBillNum`): another customer unit's bill with the same
/// `SenderBillNum` is a separate bill, and each unit sees only its own.
pub async fn add_or_update_keys_by_customer_unit(store: Arc<dyn Store>) {
    seed(&store).await;
    let first = create(&store, &ch_s001(), &scarves("P-1", "1"), at(1)).await;
    let second = create(&store, &ch_s101(), &scarves("P-1", "2"), at(2)).await;
    assert_ne!(first.bill_num, second.bill_num);
    assert_eq!(second.customer, ch_s101().channel.customer);
    assert_eq!(second.version, 1);
    assert_stored(&store, &first).await;
    assert_stored(&store, &second).await;
    assert_eq!(all_bills(&store, ch_s001().customer()).await, vec![first]);
    assert_eq!(all_bills(&store, ch_s101().customer()).await, vec![second]);
}
