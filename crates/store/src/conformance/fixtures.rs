//! Fixtures of the conformance suite: one master data document, the accounts acting on it, and
//! builders of bills, payments, settlements and clerk batches that take a line or two each.
//!
//! The world: merchant 2 with shops `S001` and `S002`, merchant 3 with shop `S101`; customer
//! units `TA/C001` (rebate rate 0.30) and `TA/C002` (0.25); products 1 (scarf, 99.00, floor
//! 79.00), 2 (fan, 50.00, floor 40.00) and 3 (tea, 20.00, floor 15.00). At `S001` product 2 has
//! a zero-quantity stock record and product 3 a price but no stock record; at `S002` product 3 has
//! a stock record but no price.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::Arc;

use posbridge_domain::amounts::{RebateRate, UnitPrice};
use posbridge_domain::calendar::{CivilDateTime, Timestamp};
use posbridge_domain::catalog::PriceQuote;
use posbridge_domain::clerk::{Clerk, ClerkType};
use posbridge_domain::ids::{
    BillNum, CustomerUnit, GuiderNumber, MerchantId, PayNum, ProductId, ShopId,
};
use posbridge_domain::master::{
    Account, AccountScope, Callback, CustomerUnitEntry, Guide, MasterData, Merchant, PriceRecord,
    Product, Shop, StockRecord,
};
use posbridge_domain::money::Money;
use posbridge_domain::sell_bill::{
    BillEventKind, BillRecord, BillRef, Channel, Outcome, PayType, PaymentRequest, SellBillContent,
    SellBillDraft, SellLineDraft,
};
use posbridge_domain::settlement::{SettlementContent, SettlementDetailDraft, SettlementDraft};
use rust_decimal::Decimal;

use crate::api::{Actor, Store};
use crate::error::{OpError, OpResult};
use crate::model::{BillChange, BillQuery, EventFilter, EventSubject, OutboxEvent};

/// 2024-05-01T00:00:00Z, the instant every fixture time counts from.
pub const T0_MS: i64 = 1_714_521_600_000;

/// The instant `seconds` after [`T0_MS`].
pub fn at(seconds: i64) -> Timestamp {
    Timestamp(T0_MS + seconds * 1000)
}

/// A decimal from its text.
pub fn d(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|_| panic!("bad decimal {text}"))
}

/// A money amount from its text.
pub fn money(text: &str) -> Money {
    Money::new(d(text)).expect("valid money")
}

/// A unit price from its text.
pub fn price(text: &str) -> UnitPrice {
    UnitPrice::new(d(text)).expect("valid price")
}

/// The token hash of account number `n` (any fixed value will do: the store only keeps hashes).
pub fn token(n: u8) -> [u8; 32] {
    [n; 32]
}

/// Customer unit `TA/C001` (rebate rate 0.30).
pub fn c001() -> CustomerUnit {
    CustomerUnit::new("TA", "C001")
}

/// Customer unit `TA/C002` (rebate rate 0.25).
pub fn c002() -> CustomerUnit {
    CustomerUnit::new("TA", "C002")
}

/// The shops the ERP account `erp-1` may change: `S001` and `S002`.
pub fn erp_shops() -> BTreeSet<ShopId> {
    [ShopId::new("S001"), ShopId::new("S002")].into()
}

/// A channel account of the fixture: who acts, and for which shop and customer unit.
#[derive(Debug, Clone)]
pub struct ChannelAccount {
    /// The account, as the outbox names it.
    pub actor: Actor,
    /// Its shop and customer unit.
    pub channel: Channel,
}

impl ChannelAccount {
    fn new(id: &str, shop: &str, customer: CustomerUnit) -> ChannelAccount {
        ChannelAccount {
            actor: Actor::new(id),
            channel: Channel {
                shop_id: ShopId::new(shop),
                customer,
            },
        }
    }

    /// The account's customer unit.
    pub fn customer(&self) -> &CustomerUnit {
        &self.channel.customer
    }
}

/// `ch-s001-c001`: shop `S001`, customer unit `TA/C001`, token 1.
pub fn ch_s001() -> ChannelAccount {
    ChannelAccount::new("ch-s001-c001", "S001", c001())
}

/// `ch-s002-c001`: shop `S002`, customer unit `TA/C001` (the same unit), token 2.
pub fn ch_s002() -> ChannelAccount {
    ChannelAccount::new("ch-s002-c001", "S002", c001())
}

/// `ch-s101-c002`: shop `S101` of merchant 3, customer unit `TA/C002`, token 3.
pub fn ch_s101() -> ChannelAccount {
    ChannelAccount::new("ch-s101-c002", "S101", c002())
}

/// The merchant account of merchant 2, `m-2`.
pub fn m2() -> Actor {
    Actor::new("m-2")
}

fn quote(listing: &str, retail: &str, lowest: &str) -> PriceQuote {
    PriceQuote {
        listing_price: price(listing),
        retail_price: price(retail),
        lowest_retail_price: price(lowest),
    }
}

fn product(id: i64, name: &str) -> Product {
    Product {
        id: ProductId(id),
        bar_code: Some(format!("690123456789{id}")),
        name: name.into(),
        standard: Some("std".into()),
        unit: Some("pc".into()),
        producing_area: Some("Hangzhou".into()),
        quality_level: Some("A".into()),
        sell_type: Some("normal".into()),
    }
}

/// The fixture's master data document (see the module documentation).
pub fn master_data() -> MasterData {
    let shop = |id: &str, merchant: i64| Shop {
        id: ShopId::new(id),
        merchant_id: MerchantId(merchant),
        name: format!("Shop {id}"),
    };
    let unit = |unit: CustomerUnit, name: &str, rate: &str| CustomerUnitEntry {
        unit,
        name: name.into(),
        rebate_rate: RebateRate::new(d(rate)).expect("valid rate"),
    };
    let guide = |number: &str, customer: CustomerUnit| Guide {
        number: GuiderNumber::new(number),
        name: format!("Guide {number}"),
        customer,
    };
    let stock = |shop: &str, product: i64, quantity: &str| StockRecord {
        shop_id: ShopId::new(shop),
        product_id: ProductId(product),
        quantity: d(quantity),
    };
    let scarf = || quote("128.00", "99.00", "79.00");
    let fan = || quote("60.00", "50.00", "40.00");
    let tea = || quote("30.00", "20.00", "15.00");
    let priced = |shop: &str, product: i64, quote: PriceQuote| PriceRecord {
        shop_id: ShopId::new(shop),
        product_id: ProductId(product),
        quote,
    };
    let channel = |account: ChannelAccount, n: u8, callback: Option<Callback>| Account {
        id: account.actor.account_id.clone(),
        scope: AccountScope::Channel {
            shop_id: account.channel.shop_id.clone(),
            customer: account.channel.customer.clone(),
        },
        token_sha256: Some(token(n)),
        callback,
    };
    let merchant_account = |id: &str, merchant: i64, n: u8, callback: Option<Callback>| Account {
        id: id.into(),
        scope: AccountScope::Merchant {
            merchant_id: MerchantId(merchant),
        },
        token_sha256: Some(token(n)),
        callback,
    };
    let hook = |secret: Option<&str>| Callback {
        url: "http://127.0.0.1:9000/hook".into(),
        secret: secret.map(str::to_owned),
    };
    MasterData {
        merchants: vec![
            Merchant {
                id: MerchantId(2),
                name: "West Lake Silk".into(),
            },
            Merchant {
                id: MerchantId(3),
                name: "Dragon Well Tea".into(),
            },
        ],
        shops: vec![shop("S001", 2), shop("S002", 2), shop("S101", 3)],
        customer_units: vec![
            unit(c001(), "Sunny Travel", "0.30"),
            unit(c002(), "Moon Travel", "0.25"),
        ],
        guides: vec![guide("D-330100-01", c001()), guide("D-330100-02", c002())],
        products: vec![
            product(1, "Silk scarf"),
            product(2, "Silk fan"),
            product(3, "Tea"),
        ],
        stock: vec![
            stock("S001", 1, "10"),
            stock("S001", 2, "0"),
            stock("S002", 1, "5"),
            stock("S002", 2, "5"),
            stock("S002", 3, "1"),
            stock("S101", 1, "5"),
            stock("S101", 3, "5"),
        ],
        prices: vec![
            priced("S001", 1, scarf()),
            priced("S001", 2, fan()),
            priced("S001", 3, tea()),
            priced("S002", 1, scarf()),
            priced("S002", 2, fan()),
            priced("S101", 1, scarf()),
            priced("S101", 3, tea()),
        ],
        accounts: vec![
            channel(ch_s001(), 1, Some(hook(Some("ch-secret")))),
            channel(ch_s002(), 2, None),
            channel(ch_s101(), 3, None),
            merchant_account("m-2", 2, 4, Some(hook(None))),
            merchant_account("m-3", 3, 5, None),
            Account {
                id: "erp-1".into(),
                scope: AccountScope::Erp {
                    app_key: "erp-app-1".into(),
                    secret: "erp-secret-1".into(),
                    customer_id: "stub-cust-code".into(),
                    shop_ids: erp_shops(),
                },
                token_sha256: None,
                callback: None,
            },
        ],
    }
}

/// Imports [`master_data`] at [`at`]`(0)`.
pub async fn seed(store: &Arc<dyn Store>) {
    store
        .import_master_data(&master_data(), at(0))
        .await
        .expect("importing the fixture's master data");
}

/// A bill line of `amount` × `product` at `retail`, without discount.
pub fn line(product: i64, amount: &str, retail: &str) -> SellLineDraft {
    SellLineDraft {
        product_id: Some(product),
        amount: Some(d(amount)),
        retail_price: Some(d(retail)),
        ..SellLineDraft::default()
    }
}

/// A bill line with the discount `rate / base`.
pub fn discounted(
    product: i64,
    amount: &str,
    retail: &str,
    rate: &str,
    base: &str,
) -> SellLineDraft {
    SellLineDraft {
        discount_rate: Some(d(rate)),
        discount_base: Some(d(base)),
        ..line(product, amount, retail)
    }
}

/// The draft of bill `sender` with these lines and no header fields besides the key.
pub fn draft(sender: &str, lines: Vec<SellLineDraft>) -> SellBillDraft {
    SellBillDraft {
        sender_bill_num: Some(sender.into()),
        details: lines,
        ..SellBillDraft::default()
    }
}

/// The validated content of a draft.
pub fn validated(draft: SellBillDraft) -> SellBillContent {
    draft
        .validate()
        .expect("fixture bill passes field validation")
}

/// Bill `sender` with these lines.
pub fn content(sender: &str, lines: Vec<SellLineDraft>) -> SellBillContent {
    validated(draft(sender, lines))
}

/// Bill `sender` of `amount` scarves (product 1) at 99.00: `amount × 99.00` in total.
pub fn scarves(sender: &str, amount: &str) -> SellBillContent {
    content(sender, vec![line(1, amount, "99.00")])
}

/// Bill `sender` of two fans (product 2) at 50.00: 100.00 in total.
pub fn hundred(sender: &str) -> SellBillContent {
    content(sender, vec![line(2, "2", "50.00")])
}

/// A reference to a bill by its `BillNum`.
pub fn by_num(bill_num: &BillNum) -> BillRef {
    BillRef {
        bill_num: Some(bill_num.clone()),
        sender_bill_num: None,
    }
}

/// A reference to a bill by its `SenderBillNum`.
pub fn by_sender(sender: &str) -> BillRef {
    BillRef::parse(None, Some(sender)).expect("valid reference")
}

/// A cash payment `pay_num` of `amount` (absent: whatever is outstanding).
pub fn payment(pay_num: &str, amount: Option<&str>) -> PaymentRequest {
    PaymentRequest {
        pay_num: PayNum::new(pay_num),
        amount: amount.map(money),
        pay_type: Some(PayType::Cash),
        memory: None,
    }
}

/// The error of a refused operation; fails the test on success or on a store failure.
#[track_caller]
pub fn refused<T: Debug, E: Debug>(result: OpResult<T, E>) -> E {
    match result {
        Err(OpError::Refused(error)) => error,
        other => panic!("expected the operation to be refused, got {other:?}"),
    }
}

/// Asserts that a bill operation changed the bill with an event of `kind` whose sequence is the
/// bill's history length, and answers the bill.
#[track_caller]
pub fn changed(change: BillChange, kind: BillEventKind) -> BillRecord {
    let Outcome::Changed(event) = &change.outcome else {
        panic!("expected a {kind} change, got {:?}", change.outcome);
    };
    assert_eq!(event.kind(), kind, "event kind");
    assert_eq!(event.bill_num, change.bill.bill_num, "event bill");
    assert_eq!(
        usize::try_from(event.sequence()).expect("small"),
        change.bill.history.len(),
        "the event is the last history entry"
    );
    assert_eq!(
        change.bill.history.last(),
        Some(&event.entry),
        "last history entry"
    );
    change.bill
}

/// Asserts that a bill operation was a replay, and answers the bill.
#[track_caller]
pub fn replayed(change: BillChange) -> BillRecord {
    assert_eq!(change.outcome, Outcome::Replayed, "expected a replay");
    change.bill
}

/// Creates bill `content` through `account` at `now`, asserting `bill.created`.
pub async fn create(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    content: &SellBillContent,
    now: Timestamp,
) -> BillRecord {
    let change = store
        .add_or_update_bill(&account.actor, &account.channel, content, now)
        .await
        .expect("creating a bill");
    changed(change, BillEventKind::Created)
}

/// Pays `amount` (absent: the rest) on a bill of `account`'s customer unit.
pub async fn pay(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    bill_num: &BillNum,
    pay_num: &str,
    amount: Option<&str>,
    now: Timestamp,
) -> BillChange {
    store
        .pay_bill(
            &account.actor,
            account.customer(),
            &by_num(bill_num),
            &payment(pay_num, amount),
            now,
        )
        .await
        .expect("paying a bill")
}

/// Creates bill `content` and pays it in full: a `Paid` bill to settle.
pub async fn paid_bill(
    store: &Arc<dyn Store>,
    account: &ChannelAccount,
    content: &SellBillContent,
    now: Timestamp,
) -> BillRecord {
    let bill = create(store, account, content, now).await;
    let change = pay(store, account, &bill.bill_num, "PAY-ALL", None, now).await;
    changed(change, BillEventKind::Paid)
}

/// The bill of `customer` that `bill` names, as a fresh read sees it.
pub async fn read_bill(
    store: &Arc<dyn Store>,
    customer: &CustomerUnit,
    bill: &BillRef,
) -> Option<BillRecord> {
    store.bill(customer, bill).await.expect("reading a bill")
}

/// Every bill of `customer` (one page of up to 500), newest first.
pub async fn all_bills(store: &Arc<dyn Store>, customer: &CustomerUnit) -> Vec<BillRecord> {
    let query = BillQuery {
        limit: 500,
        ..BillQuery::default()
    };
    let page = store
        .list_bills(customer, &query)
        .await
        .expect("listing bills");
    assert_eq!(page.next_cursor, None, "fixtures never exceed one page");
    page.bills
}

/// Every event of the outbox (up to 10 000), oldest first.
pub async fn all_events(store: &Arc<dyn Store>) -> Vec<OutboxEvent> {
    let filter = EventFilter {
        limit: 10_000,
        ..EventFilter::default()
    };
    store.events(&filter).await.expect("listing events")
}

/// The events of one subject, oldest first.
pub async fn events_of(store: &Arc<dyn Store>, subject: EventSubject) -> Vec<OutboxEvent> {
    let filter = EventFilter {
        subject: Some(subject),
        limit: 10_000,
        ..EventFilter::default()
    };
    store.events(&filter).await.expect("listing events")
}

/// The merchant a fixture shop belongs to.
pub fn merchant_of(shop: &ShopId) -> MerchantId {
    match shop.as_str() {
        "S101" => MerchantId(3),
        _ => MerchantId(2),
    }
}

/// A settlement `bill_num` over the sell bill `sell`, one detail per `(product, amount,
/// cal_price)`, prices copied from the bill's snapshot; merchant, shop and customer unit are the
/// sell bill's.
pub fn settlement(
    bill_num: &str,
    sell: &BillRecord,
    details: &[(i64, &str, &str)],
) -> SettlementContent {
    let details = details
        .iter()
        .zip(1..)
        .map(|(&(product, amount, cal_price), auto_id)| {
            let snapshot = sell
                .priced
                .lines
                .iter()
                .find(|l| l.line.product_id == ProductId(product))
                .map_or_else(|| quote("1", "1", "1"), |l| l.snapshot);
            SettlementDetailDraft {
                sell_bill_num: Some(sell.bill_num.to_string()),
                auto_id: Some(auto_id),
                product_id: Some(product),
                amount: Some(d(amount)),
                listing_price: Some(snapshot.listing_price.get()),
                retail_price: Some(snapshot.retail_price.get()),
                lowest_retail_price: Some(snapshot.lowest_retail_price.get()),
                cal_price: Some(d(cal_price)),
                product_name: Some(format!("product {product}")),
                ..SettlementDetailDraft::default()
            }
        })
        .collect();
    SettlementDraft {
        bill_num: Some(bill_num.into()),
        merchant_id: Some(merchant_of(&sell.shop_id).0),
        shop_id: Some(sell.shop_id.to_string()),
        happen_date: Some("20240501".into()),
        happen_time: Some("120000".into()),
        customer_type: Some(sell.customer.customer_type.clone()),
        customer_id: Some(sell.customer.customer_id.clone()),
        cal_user_type: Some("2".into()),
        details,
        ..SettlementDraft::default()
    }
    .validate()
    .expect("fixture settlement passes field validation")
}

/// A cashier `code` named `name` at `store`, without contact or times.
pub fn clerk(store: &str, code: &str, name: &str) -> Clerk {
    Clerk::new(ShopId::new(store), code, name, ClerkType::Syy)
}

/// `clerk` whose `latestUpdateTime` is `time` (`YYYY-MM-DD hh:mm:ss`).
pub fn updated_at(mut clerk: Clerk, time: &str) -> Clerk {
    clerk.latest_update_time = Some(CivilDateTime::parse(time).expect("valid time"));
    clerk
}

/// `clerk` with one extended property, to make otherwise equal clerks differ.
pub fn with_prop(mut clerk: Clerk, key: &str, value: &str) -> Clerk {
    clerk.extend_props = BTreeMap::from([(key.to_owned(), value.to_owned())]);
    clerk
}
