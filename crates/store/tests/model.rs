//! The store against the domain's reference model of a bill: random sequences of AddOrUpdate,
//! PayBill, DeleteOrClose and replays, each sent through the store (its transaction, its
//! documents, its keys) and to the model, must give the same answers: state, paid amount,
//! version, replay or the same refusal. Runs on SQLite; the conformance suite covers the
//! backends' agreement.

// A test: failures panic; the clock only makes names unique.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use posbridge_domain::ErrorKind;
use posbridge_domain::amounts::RebateRate;
use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{CustomerUnit, MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    Account, AccountScope, CustomerUnitEntry, Guide, MasterData, Merchant, PriceRecord, Product,
    Shop, StockRecord,
};
use posbridge_domain::sell_bill::{BillRef, Channel, Outcome, PaymentDraft, SellBillError};
use posbridge_domain::testing::bills::GeneratedCatalog;
use posbridge_domain::testing::model::{
    BillModel, BillOp, BillRequest, ModelAnswer, Scenario, scenario,
};
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use posbridge_store::{Actor, OpError, Store};
use proptest::prelude::*;
use rust_decimal::Decimal;

const SHOPS: [&str; 2] = ["S1", "S2"];

fn unit() -> CustomerUnit {
    CustomerUnit::new("TA", "C1")
}

fn channel(shop: &str) -> Channel {
    Channel {
        shop_id: ShopId::new(shop),
        customer: unit(),
    }
}

/// Master data holding the generated catalog at both shops of one merchant.
fn master_data(generated: &GeneratedCatalog) -> MasterData {
    let catalog = &generated.catalog;
    let products: BTreeSet<ProductId> = catalog
        .stock
        .keys()
        .chain(catalog.prices.keys())
        .copied()
        .collect();
    let mut data = MasterData {
        merchants: vec![Merchant {
            id: MerchantId(1),
            name: "m".into(),
        }],
        customer_units: vec![CustomerUnitEntry {
            unit: unit(),
            name: "u".into(),
            rebate_rate: RebateRate::new(Decimal::ZERO).unwrap(),
        }],
        guides: catalog
            .guides
            .iter()
            .map(|number| Guide {
                number: number.clone(),
                name: "g".into(),
                customer: unit(),
            })
            .collect(),
        products: products
            .iter()
            .map(|id| Product {
                id: *id,
                bar_code: None,
                name: format!("p{id}"),
                standard: None,
                unit: None,
                producing_area: None,
                quality_level: None,
                sell_type: None,
            })
            .collect(),
        ..MasterData::default()
    };
    for shop in SHOPS {
        let shop_id = ShopId::new(shop);
        data.shops.push(Shop {
            id: shop_id.clone(),
            merchant_id: MerchantId(1),
            name: shop.into(),
        });
        for (product, quantity) in &catalog.stock {
            data.stock.push(StockRecord {
                shop_id: shop_id.clone(),
                product_id: *product,
                quantity: *quantity,
            });
        }
        for (product, quote) in &catalog.prices {
            data.prices.push(PriceRecord {
                shop_id: shop_id.clone(),
                product_id: *product,
                quote: *quote,
            });
        }
        data.accounts.push(Account {
            id: format!("ch-{shop}"),
            scope: AccountScope::Channel {
                shop_id,
                customer: unit(),
            },
            token_sha256: Some([shop.len() as u8 + shop.as_bytes()[1]; 32]),
            callback: None,
        });
    }
    data
}

fn scratch() -> std::path::PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!(
        "posbridge-model-{}-{}-{nanos}.db",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// What the store answered: (state, paid, version, replay) or the refusal's kind.
type Answer = Result<(posbridge_domain::sell_bill::BillState, Decimal, u32, bool), ErrorKind>;

async fn send(store: &SqliteStore, request: &BillRequest, key: &str, now: Timestamp) -> Answer {
    let by_key = BillRef::parse(None, Some(key)).unwrap();
    let result = match request {
        BillRequest::Submit { draft, other_shop } => {
            let shop = if *other_shop { SHOPS[1] } else { SHOPS[0] };
            let content = draft.validate().map_err(|e| e.kind())?;
            store
                .add_or_update_bill(
                    &Actor::new(format!("ch-{shop}")),
                    &channel(shop),
                    &content,
                    now,
                )
                .await
        }
        BillRequest::Pay(draft) => {
            let draft = PaymentDraft {
                bill_num: None,
                sender_bill_num: Some(key.into()),
                ..draft.clone()
            };
            let (_, payment) = draft.validate().map_err(|e| e.kind())?;
            store
                .pay_bill(&Actor::new("ch-S1"), &unit(), &by_key, &payment, now)
                .await
        }
        BillRequest::DeleteOrClose => {
            store
                .delete_or_close_bill(&Actor::new("ch-S1"), &unit(), &by_key, now)
                .await
        }
    };
    match result {
        Ok(change) => Ok((
            change.bill.state,
            change.bill.paid_amount.get(),
            change.bill.version,
            change.outcome == Outcome::Replayed,
        )),
        Err(OpError::Refused(error)) => Err(SellBillError::kind(&error)),
        Err(OpError::Store(error)) => panic!("store failed: {error}"),
    }
}

async fn run(scenario: &Scenario) -> Result<(), TestCaseError> {
    let path = scratch();
    let store = SqliteStore::open(&path, SqliteOptions::default())
        .await
        .unwrap();
    store
        .import_master_data(&master_data(&scenario.catalog), Timestamp(0))
        .await
        .unwrap();
    let key = scenario.submissions[0]
        .sender_bill_num
        .clone()
        .unwrap_or_default();
    let mut model = BillModel::new();
    let mut successes: Vec<BillRequest> = Vec::new();
    let mut events = 0;
    for (step, op) in scenario.ops.iter().enumerate() {
        let request = match op {
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
                pay_num: Some(format!("PAY-{pay_num}")),
                pay_amount: amount.resolve(model.outstanding()),
                memory: memory.map(str::to_owned),
                ..PaymentDraft::default()
            }),
            BillOp::DeleteOrClose => BillRequest::DeleteOrClose,
            BillOp::Replay { index } if !successes.is_empty() => {
                successes[index % successes.len()].clone()
            }
            BillOp::Replay { .. } => continue,
        };
        let now = Timestamp(i64::try_from(step).unwrap_or_default() + 1);
        let got = send(&store, &request, &key, now).await;
        let expected = model.apply(&request);
        match (&got, &expected) {
            (
                Ok((state, paid, version, replay)),
                ModelAnswer::Ok {
                    state: s,
                    paid: p,
                    version: v,
                    replay: r,
                },
            ) => {
                prop_assert_eq!(
                    (state, paid, version, replay),
                    (s, p, v, r),
                    "step {}: {:?}",
                    step,
                    request
                );
                if !replay {
                    events += 1;
                }
                successes.push(request);
            }
            (Err(kind), ModelAnswer::Err(expected)) => {
                prop_assert_eq!(kind, expected, "step {}", step)
            }
            _ => prop_assert!(
                false,
                "step {}: {:?} gave {:?}, the model {:?}",
                step,
                request,
                got,
                expected
            ),
        }
    }
    // One stored bill, and one outbox event per change: replays and refusals add none.
    let page = store
        .list_bills(
            &unit(),
            &posbridge_store::model::BillQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    prop_assert_eq!(page.bills.len(), 1);
    let stored_events = store
        .events(&posbridge_store::model::EventFilter::default())
        .await
        .unwrap();
    prop_assert_eq!(stored_events.len(), events);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_store_answers_like_the_reference_model(scenario in scenario(16)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(&scenario))?;
    }
}
