//! Master data cases (CONTRACT §2, §3): import, round trip, upsert, all-or-nothing refusal and
//! account lookup.

use std::sync::Arc;

use posbridge_domain::catalog::CatalogFailure;
use posbridge_domain::ids::{MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    AccountScope, MasterData, MasterDataError, Merchant, Product, Shop,
};
use posbridge_domain::sell_bill::{SellBillContent, SellBillError};

use super::fixtures::{
    at, by_num, ch_s001, content, create, d, line, master_data, price, read_bill, refused, scarves,
    seed, token,
};
use crate::api::Store;

/// `data` with every list in key order, so documents compare whatever order a store lists in.
fn sorted(mut data: MasterData) -> MasterData {
    data.merchants.sort_by_key(|m| m.id);
    data.shops.sort_by(|a, b| a.id.cmp(&b.id));
    data.customer_units.sort_by(|a, b| a.unit.cmp(&b.unit));
    data.guides.sort_by(|a, b| a.number.cmp(&b.number));
    data.products.sort_by_key(|p| p.id);
    data.stock
        .sort_by(|a, b| (&a.shop_id, a.product_id).cmp(&(&b.shop_id, b.product_id)));
    data.prices
        .sort_by(|a, b| (&a.shop_id, a.product_id).cmp(&(&b.shop_id, b.product_id)));
    data.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    data
}

async fn stored(store: &Arc<dyn Store>) -> MasterData {
    sorted(store.master_data().await.expect("reading master data"))
}

fn n_entities(data: &MasterData) -> usize {
    data.merchants.len()
        + data.shops.len()
        + data.customer_units.len()
        + data.guides.len()
        + data.products.len()
        + data.stock.len()
        + data.prices.len()
        + data.accounts.len()
}

/// An imported document reads back entity for entity, accounts with their token hashes, and the
/// summary counts what was upserted.
pub async fn master_data_round_trips(store: Arc<dyn Store>) {
    assert_eq!(
        stored(&store).await,
        MasterData::default(),
        "a new store is empty"
    );
    let document = master_data();
    let summary = store
        .import_master_data(&document, at(0))
        .await
        .expect("import");
    assert_eq!(summary.upserted.get("merchants"), Some(&2), "{summary:?}");
    assert_eq!(summary.upserted.get("shops"), Some(&3), "{summary:?}");
    assert_eq!(
        summary.upserted.values().sum::<usize>(),
        n_entities(&document),
        "every entity is counted once: {summary:?}"
    );
    let back = stored(&store).await;
    assert_eq!(back, sorted(document.clone()));
    let with_hashes = back.accounts.iter().filter(|a| a.token_sha256.is_some());
    assert_eq!(
        with_hashes.count(),
        5,
        "channel and merchant accounts keep their hashes"
    );
}

/// A second import upserts by key: changed names and prices replace the stored ones, only the
/// quotes whose values changed count as changed, a new price applies to new bills at once, and a
/// bill created earlier keeps its snapshot.
pub async fn master_data_reimport_upserts(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let before = create(&store, &account, &scarves("P-OLD", "1"), at(1)).await;

    let again = store
        .import_master_data(&master_data(), at(2))
        .await
        .expect("identical re-import");
    assert_eq!(
        again.prices_changed, 0,
        "an identical document changes no price"
    );

    let mut changed = master_data();
    changed.merchants[0].name = "West Lake Silk Ltd".into();
    changed.products[0].name = "Silk scarf (large)".into();
    let s001_scarf = changed
        .prices
        .iter_mut()
        .find(|p| p.shop_id == ShopId::new("S001") && p.product_id == ProductId(1))
        .expect("S001 scarf price");
    s001_scarf.quote.retail_price = price("89.00");
    // Same value, other scale: not a change.
    changed.prices[1].quote.listing_price = price("60.0");
    let summary = store
        .import_master_data(&changed, at(3))
        .await
        .expect("changed re-import");
    assert_eq!(
        summary.prices_changed, 1,
        "only S001/1 changed: {summary:?}"
    );
    assert_eq!(stored(&store).await, sorted(changed));

    let stale = refused(
        store
            .add_or_update_bill(
                &account.actor,
                &account.channel,
                &scarves("P-NEW", "1"),
                at(4),
            )
            .await,
    );
    let SellBillError::Rejected(rejection) = &stale else {
        panic!("expected a catalog rejection, got {stale:?}");
    };
    assert_eq!(
        rejection.first(),
        &CatalogFailure::RetailPriceMismatch {
            line_no: 1,
            product_id: ProductId(1),
            expected: d("89.00"),
            given: d("99.00"),
        }
    );
    let fresh: SellBillContent = content("P-NEW", vec![line(1, "1", "89.00")]);
    let new_bill = create(&store, &account, &fresh, at(5)).await;
    assert_eq!(
        new_bill.priced.lines[0].snapshot.retail_price.get(),
        d("89.00")
    );
    let old = read_bill(&store, account.customer(), &by_num(&before.bill_num))
        .await
        .expect("old bill");
    assert_eq!(old, before, "an earlier bill keeps its price snapshot");
    assert_eq!(old.priced.lines[0].snapshot.retail_price.get(), d("99.00"));
}

/// A document with a reference to nothing is refused with the exact reference, and nothing of
/// it is stored, neither in an empty store nor in a seeded one.
pub async fn master_data_with_unknown_reference_is_refused(store: Arc<dyn Store>) {
    let mut bad = master_data();
    bad.shops.push(Shop {
        id: ShopId::new("S999"),
        merchant_id: MerchantId(99),
        name: "nowhere".into(),
    });
    let expected = MasterDataError::UnknownReference {
        entity: "shop",
        key: "S999".into(),
        target: "merchant",
        reference: "99".into(),
    };
    let error = refused(store.import_master_data(&bad, at(0)).await);
    assert_eq!(error, expected);
    assert_eq!(
        stored(&store).await,
        MasterData::default(),
        "nothing was stored"
    );

    seed(&store).await;
    let seeded = stored(&store).await;
    let partial = MasterData {
        merchants: vec![Merchant {
            id: MerchantId(7),
            name: "new merchant".into(),
        }],
        products: vec![Product {
            id: ProductId(9),
            bar_code: None,
            name: "new product".into(),
            standard: None,
            unit: None,
            producing_area: None,
            quality_level: None,
            sell_type: None,
        }],
        shops: vec![Shop {
            id: ShopId::new("S999"),
            merchant_id: MerchantId(99),
            name: "nowhere".into(),
        }],
        ..MasterData::default()
    };
    let error = refused(store.import_master_data(&partial, at(1)).await);
    assert_eq!(error, expected);
    assert_eq!(
        stored(&store).await,
        seeded,
        "the valid part was not stored either"
    );

    // References to entities stored earlier resolve.
    let later = MasterData {
        shops: vec![Shop {
            id: ShopId::new("S003"),
            merchant_id: MerchantId(2),
            name: "Shop S003".into(),
        }],
        ..MasterData::default()
    };
    store
        .import_master_data(&later, at(2))
        .await
        .expect("a shop of a stored merchant");
    let shops = stored(&store).await.shops;
    assert!(
        shops.iter().any(|s| s.id == ShopId::new("S003")),
        "{shops:?}"
    );
    assert_eq!(shops.len(), 4);
}

/// Channel and merchant accounts are found by their token hash, ERP accounts by their app key;
/// unknown ones are `None`.
pub async fn accounts_are_found_by_token_and_app_key(store: Arc<dyn Store>) {
    seed(&store).await;
    let document = master_data();
    for n in 1..=5 {
        let found = store
            .account_by_token(&token(n))
            .await
            .expect("lookup")
            .unwrap_or_else(|| panic!("account with token {n}"));
        let expected = document
            .accounts
            .iter()
            .find(|a| a.token_sha256 == Some(token(n)))
            .expect("fixture account");
        assert_eq!(&found, expected);
    }
    let merchant = store.account_by_token(&token(4)).await.expect("lookup");
    assert_eq!(
        merchant.map(|a| a.scope),
        Some(AccountScope::Merchant {
            merchant_id: MerchantId(2)
        })
    );
    assert_eq!(
        store.account_by_token(&token(9)).await.expect("lookup"),
        None
    );
    assert_eq!(
        store.account_by_token(&[0; 32]).await.expect("lookup"),
        None
    );

    let erp = store
        .account_by_app_key("erp-app-1")
        .await
        .expect("lookup")
        .expect("erp account");
    assert_eq!(erp.id, "erp-1");
    assert_eq!(
        Some(&erp),
        document.accounts.iter().find(|a| a.id == "erp-1")
    );
    assert_eq!(
        store.account_by_app_key("erp-app-2").await.expect("lookup"),
        None
    );
    assert_eq!(
        store
            .account_by_app_key("ch-s001-c001")
            .await
            .expect("lookup"),
        None
    );
}
