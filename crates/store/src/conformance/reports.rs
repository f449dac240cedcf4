//! Report reads (CONTRACT §10): the bills of a creation window and the settlements of a
//! `HappenDate` range, with their filters, figures exactly as stored.

use std::sync::Arc;

use posbridge_domain::calendar::CivilDate;
use posbridge_domain::ids::ShopId;
use posbridge_domain::report::{BillFigures, SettlementFigures};
use posbridge_domain::sell_bill::BillState;

use super::fixtures::{at, by_num, ch_s001, ch_s002, create, paid_bill, scarves, seed, settlement};
use super::settlements::settle;
use crate::api::Store;

fn date(text: &str) -> CivilDate {
    CivilDate::parse_compact(text).expect("a fixture date")
}

/// Bills are selected by creation instant (`[from, to)`) and shop, counted by their state now;
/// settlements by `HappenDate` (inclusive) and customer id.
pub async fn report_figures_follow_windows_and_filters(store: Arc<dyn Store>) {
    seed(&store).await;
    let (s001, s002) = (ch_s001(), ch_s002());
    let paid = paid_bill(&store, &s001, &scarves("R-PAID", "2"), at(10)).await;
    let deleted = create(&store, &s001, &scarves("R-DEL", "1"), at(11)).await;
    store
        .delete_or_close_bill(
            &s001.actor,
            s001.customer(),
            &by_num(&deleted.bill_num),
            at(12),
        )
        .await
        .expect("delete");
    let other_shop = create(&store, &s002, &scarves("R-S002", "1"), at(13)).await;
    let too_late = create(&store, &s001, &scarves("R-LATE", "1"), at(20)).await;

    let window = store
        .bill_figures(at(10), at(20), None)
        .await
        .expect("bill figures");
    let mut states: Vec<(String, BillState)> = window
        .iter()
        .map(|f| (f.shop_id.to_string(), f.state))
        .collect();
    states.sort_by(|a, b| (a.0.as_str(), a.1.as_str()).cmp(&(b.0.as_str(), b.1.as_str())));
    assert_eq!(
        states,
        vec![
            ("S001".to_owned(), BillState::Deleted),
            ("S001".to_owned(), BillState::Paid),
            ("S002".to_owned(), BillState::Initial),
        ],
        "the window holds its three bills, not the one created at its end"
    );
    let of_paid = window
        .iter()
        .find(|f| f.state == BillState::Paid)
        .expect("the paid bill");
    assert_eq!(of_paid, &BillFigures::from(&paid_now(&store, &paid).await));
    assert!(
        !window.contains(&BillFigures::from(&too_late)),
        "[from, to) excludes `to`"
    );

    let s002_only = store
        .bill_figures(at(0), at(100), Some(&ShopId::new("S002")))
        .await
        .expect("bill figures of one shop");
    assert_eq!(s002_only, vec![BillFigures::from(&other_shop)]);

    let record = settle(
        &store,
        &settlement("R-JS-1", &paid, &[(1, "1", "10.00")]),
        30,
    )
    .await
    .expect("settle")
    .record;
    let expected = vec![SettlementFigures::from(&record.settlement)];
    let day = date("20240501");
    for (from, to, customer, wanted) in [
        (day, day, None, expected.clone()),
        (
            date("20240401"),
            date("20240531"),
            Some("C001"),
            expected.clone(),
        ),
        (date("20240502"), date("20240531"), None, Vec::new()),
        (date("20240401"), date("20240430"), None, Vec::new()),
        (day, day, Some("C002"), Vec::new()),
    ] {
        let found = store
            .settlement_figures(from, to, customer)
            .await
            .expect("settlement figures");
        assert_eq!(found, wanted, "{from}..={to} {customer:?}");
    }
}

/// The bill as stored now.
async fn paid_now(
    store: &Arc<dyn Store>,
    bill: &posbridge_domain::sell_bill::BillRecord,
) -> posbridge_domain::sell_bill::BillRecord {
    super::fixtures::read_bill(store, &bill.customer, &by_num(&bill.bill_num))
        .await
        .expect("the bill")
}
