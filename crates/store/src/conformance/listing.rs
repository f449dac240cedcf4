//! `Get` and `List` cases (CONTRACT §5): scoping by customer unit, newest first, cursor paging and
//! the state and creation time filters.

use std::sync::Arc;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{BillNum, CustomerUnit};
use posbridge_domain::sell_bill::{BillRecord, BillState};

use super::fixtures::{
    all_bills, at, by_num, by_sender, ch_s001, ch_s002, ch_s101, create, pay, read_bill, scarves,
    seed,
};
use crate::api::Store;
use crate::model::{BillCursor, BillPage, BillQuery};

async fn page(store: &Arc<dyn Store>, customer: &CustomerUnit, query: BillQuery) -> BillPage {
    store
        .list_bills(customer, &query)
        .await
        .expect("listing bills")
}

fn nums(bills: &[BillRecord]) -> Vec<String> {
    bills
        .iter()
        .map(|b| b.content.sender_bill_num.to_string())
        .collect()
}

/// Creates `P-1` … `P-n` through `ch-s001-c001`, `P-i` at second `i`.
async fn create_many(store: &Arc<dyn Store>, n: i64) -> Vec<BillRecord> {
    let mut bills = Vec::new();
    for i in 1..=n {
        let sent = scarves(&format!("P-{i}"), "1");
        bills.push(create(store, &ch_s001(), &sent, at(i)).await);
    }
    bills
}

/// A customer unit reads and lists only its own bills, whichever of its accounts created them;
/// by either key, another unit's bill does not exist.
pub async fn get_and_list_are_scoped_to_the_customer_unit(store: Arc<dyn Store>) {
    seed(&store).await;
    let mine = create(&store, &ch_s001(), &scarves("P-1", "1"), at(1)).await;
    let mine_too = create(&store, &ch_s002(), &scarves("P-2", "1"), at(2)).await;
    let theirs = create(&store, &ch_s101(), &scarves("P-1", "1"), at(3)).await;
    let c001 = ch_s001().channel.customer;
    let c002 = ch_s101().channel.customer;
    assert_eq!(
        read_bill(&store, &c001, &by_sender("P-1")).await.as_ref(),
        Some(&mine)
    );
    assert_eq!(
        read_bill(&store, &c002, &by_sender("P-1")).await.as_ref(),
        Some(&theirs)
    );
    assert_eq!(
        read_bill(&store, &c001, &by_num(&mine_too.bill_num))
            .await
            .as_ref(),
        Some(&mine_too)
    );
    assert_eq!(
        read_bill(&store, &c001, &by_num(&theirs.bill_num)).await,
        None
    );
    assert_eq!(
        read_bill(&store, &c002, &by_num(&mine.bill_num)).await,
        None
    );
    assert_eq!(read_bill(&store, &c002, &by_sender("P-2")).await, None);
    let unknown = by_num(&BillNum::new("NO-SUCH-BILL"));
    assert_eq!(read_bill(&store, &c001, &unknown).await, None);
    assert_eq!(all_bills(&store, &c001).await, vec![mine_too, mine]);
    assert_eq!(all_bills(&store, &c002).await, vec![theirs]);
    assert_eq!(
        all_bills(&store, &CustomerUnit::new("TA", "C404")).await,
        vec![]
    );
}

/// Seven bills listed three at a time come newest first in pages of 3, 3 and 1, each page's
/// cursor leading to the next and the last page having none.
pub async fn list_bills_pages_newest_first(store: Arc<dyn Store>) {
    seed(&store).await;
    let bills = create_many(&store, 7).await;
    create(&store, &ch_s101(), &scarves("P-8", "1"), at(8)).await;
    let customer = ch_s001().channel.customer;
    let mut newest_first = bills.clone();
    newest_first.reverse();

    let mut cursor: Option<BillCursor> = None;
    let mut pages = Vec::new();
    for _ in 0..3 {
        let query = BillQuery {
            cursor,
            limit: 3,
            ..BillQuery::default()
        };
        let got = page(&store, &customer, query).await;
        cursor = got.next_cursor;
        pages.push(got.bills);
    }
    assert_eq!(cursor, None, "the last page has no cursor");
    assert_eq!(
        pages.iter().map(|p| nums(p)).collect::<Vec<_>>(),
        vec![
            vec!["P-7", "P-6", "P-5"],
            vec!["P-4", "P-3", "P-2"],
            vec!["P-1"]
        ]
    );
    assert_eq!(
        pages.concat(),
        newest_first,
        "pages hold the bills as stored"
    );

    for limit in [7, 500] {
        let query = BillQuery {
            limit,
            ..BillQuery::default()
        };
        let all = page(&store, &customer, query).await;
        assert_eq!(all.next_cursor, None, "limit {limit}");
        assert_eq!(all.bills, newest_first, "limit {limit}");
    }
    let query = BillQuery {
        limit: 6,
        ..BillQuery::default()
    };
    let first = page(&store, &customer, query).await;
    assert_eq!(first.bills.len(), 6);
    let query = BillQuery {
        limit: 6,
        cursor: Some(first.next_cursor.expect("a seventh bill follows")),
        ..BillQuery::default()
    };
    let rest = page(&store, &customer, query).await;
    assert_eq!(
        (nums(&rest.bills), rest.next_cursor),
        (vec!["P-1".to_owned()], None)
    );
}

/// The state filter keeps bills in that state; `created_from` and `created_to` are inclusive
/// bounds on the creation time (not the last change); filters combine, also with paging.
pub async fn list_bills_filters_by_state_and_creation_time(store: Arc<dyn Store>) {
    seed(&store).await;
    let bills = create_many(&store, 7).await;
    let account = ch_s001();
    let customer = account.channel.customer.clone();
    let num = |i: usize| bills[i - 1].bill_num.clone();
    pay(&store, &account, &num(2), "PAY-1", None, at(20)).await;
    pay(&store, &account, &num(3), "PAY-1", Some("1.00"), at(21)).await;
    pay(&store, &account, &num(5), "PAY-1", Some("1.00"), at(22)).await;
    for i in [4, 5] {
        store
            .delete_or_close_bill(&account.actor, &customer, &by_num(&num(i)), at(23))
            .await
            .expect("delete or close");
    }
    let query =
        |state: Option<BillState>, from: Option<Timestamp>, to: Option<Timestamp>| BillQuery {
            state,
            created_from: from,
            created_to: to,
            limit: 500,
            ..BillQuery::default()
        };
    let cases: Vec<(BillQuery, Vec<&str>)> = vec![
        (
            query(Some(BillState::Initial), None, None),
            vec!["P-7", "P-6", "P-1"],
        ),
        (query(Some(BillState::Paid), None, None), vec!["P-2"]),
        (query(Some(BillState::PartPaid), None, None), vec!["P-3"]),
        (query(Some(BillState::Deleted), None, None), vec!["P-4"]),
        (query(Some(BillState::Closed), None, None), vec!["P-5"]),
        (
            query(None, Some(at(3)), Some(at(5))),
            vec!["P-5", "P-4", "P-3"],
        ),
        (query(None, Some(at(6)), None), vec!["P-7", "P-6"]),
        (query(None, None, Some(at(2))), vec!["P-2", "P-1"]),
        (query(None, Some(at(20)), None), vec![]),
        (
            query(Some(BillState::Initial), Some(at(1)), Some(at(3))),
            vec!["P-1"],
        ),
        (query(Some(BillState::Paid), Some(at(3)), None), vec![]),
    ];
    for (query, expect) in cases {
        let got = page(&store, &customer, query.clone()).await;
        assert_eq!(nums(&got.bills), expect, "{query:?}");
        assert_eq!(got.next_cursor, None, "{query:?}");
        for bill in &got.bills {
            assert_eq!(
                read_bill(&store, &customer, &by_num(&bill.bill_num))
                    .await
                    .as_ref(),
                Some(bill)
            );
        }
    }
    let first = page(
        &store,
        &customer,
        BillQuery {
            limit: 2,
            ..query(Some(BillState::Initial), None, None)
        },
    )
    .await;
    assert_eq!(nums(&first.bills), vec!["P-7", "P-6"]);
    let rest = page(
        &store,
        &customer,
        BillQuery {
            limit: 2,
            cursor: Some(first.next_cursor.expect("P-1 follows")),
            ..query(Some(BillState::Initial), None, None)
        },
    )
    .await;
    assert_eq!(
        (nums(&rest.bills), rest.next_cursor),
        (vec!["P-1".to_owned()], None)
    );
}
