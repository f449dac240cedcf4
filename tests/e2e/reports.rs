//! A day of random business through the real server, then `posbridge report daily|rebates` on
//! its database: every figure equals an independent sum kept by the test in whole cents.

use std::collections::BTreeMap;

use posbridge_domain::calendar::Timestamp;
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use serde_json::Value;

use crate::bodies::*;
use crate::http::post;
use crate::server::{DEMO, Scratch, Server, posbridge, run_ok};

/// A product of the demo catalog at one shop: id, retail, listing and lowest price in cents.
type Product = (i64, i64, i64, i64);

/// A channel of the demo: token, shop, customer id, rebate rate in per cent, its products.
type Channel = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [Product],
);

/// The demo catalog.
const SHOPS: [Channel; 2] = [
    (
        CHANNEL_S001,
        "S001",
        "C001",
        30,
        &[(1, 9_900, 12_800, 7_900), (3, 23_800, 26_800, 20_000)],
    ),
    (
        "demo-channel-s002",
        "S002",
        "C002",
        25,
        &[(1, 10_500, 12_800, 8_500), (3, 24_800, 26_800, 21_000)],
    ),
];

/// A small deterministic generator (xorshift), so a failure replays.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// What the test expects of one report row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Expected {
    created: i64,
    paid: i64,
    deleted: i64,
    closed: i64,
    total: i64,
    paid_amount: i64,
}

/// A member of a report row as text, whether written as a number or a string.
fn field(row: &Value, name: &str) -> String {
    match &row[name] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn report(args: &[&str]) -> Value {
    let output = posbridge().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_random_day_adds_up_in_both_reports() {
    let scratch = Scratch::new("reports");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    let addr = server.addr;
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut daily: BTreeMap<&str, Expected> = BTreeMap::new();
    // Per customer id: (settlements, sales, cal, rebate) in cents.
    let mut rebates: BTreeMap<&str, (i64, i64, i64, i64)> = BTreeMap::new();
    let today = format_rfc3339(Timestamp(now_ms()), UtcOffset::CHINA)[..10].replace('-', "");

    for n in 0..40 {
        let (token, shop, customer, rate, products) = SHOPS[dice.below(2) as usize];
        let (product, retail, listing, lowest) = products[dice.below(2) as usize];
        let amount = 1 + dice.below(3) as i64;
        let sender = format!("DAY-{n}");
        let body = format!(
            r#"{{"SenderBillNum":"{sender}","PlanDeliverType":"1","Details":[{{"ProductId":{product},
               "Amount":{amount},"RetailPrice":"{}"}}]}}"#,
            money(retail)
        );
        let bill = post(addr, ADD, token, &body).await.expect(0).tag("BillNum");
        let total = amount * retail;
        let row = daily.entry(shop).or_default();
        row.created += 1;
        row.total += total;
        let pay = |pay_num: &str, cents: i64| payment(&bill, pay_num, &money(cents));
        match dice.below(5) {
            0 => {}
            1 => {
                post(addr, PAY, token, &pay("P1", 1_000)).await.expect(0);
                row.paid_amount += 1_000;
            }
            2 => {
                post(addr, PAY, token, &pay("P1", total)).await.expect(0);
                row.paid += 1;
                row.paid_amount += total;
                // Settle one unit at a cal price of lowest + 1.00.
                let cal = lowest + 100;
                let settlement = format!(
                    r#"{{"BillNum":"CAL-{n}","MerchantId":2,"ShopId":"{shop}","HappenDate":"{today}",
                        "HappenTime":"120000","CustomerType":"TA","CustomerId":"{customer}",
                        "CalUserType":"2","Details":[{{"SellBillNum":"{bill}","AutoId":1,
                        "ProductId":{product},"Amount":1,"ListingPrice":{},"RetailPrice":{},
                        "LowestRetailPrice":{},"CalPrice":{},"ProductName":"p"}}]}}"#,
                    money(listing),
                    money(retail),
                    money(lowest),
                    money(cal)
                );
                post(addr, SETTLE, MERCHANT_2, &settlement).await.expect(0);
                let entry = rebates.entry(customer).or_default();
                entry.0 += 1;
                entry.1 += retail;
                entry.2 += cal;
                // round_half_up(cal × rate %, 2) in cents.
                entry.3 += (cal * rate + 50) / 100;
            }
            3 => {
                let close = format!(r#"{{"BillNum":"{bill}"}}"#);
                post(addr, "/api/Pos/Sell/Bill/DeleteOrClose", token, &close)
                    .await
                    .expect(0);
                row.deleted += 1;
                row.total -= total;
            }
            _ => {
                post(addr, PAY, token, &pay("P1", 1_000)).await.expect(0);
                let close = format!(r#"{{"BillNum":"{bill}"}}"#);
                post(addr, "/api/Pos/Sell/Bill/DeleteOrClose", token, &close)
                    .await
                    .expect(0);
                row.closed += 1;
                row.paid_amount += 1_000;
            }
        }
    }
    server.terminate();
    assert!(server.wait().success());
    let after = format_rfc3339(Timestamp(now_ms()), UtcOffset::CHINA)[..10].replace('-', "");
    if after != today {
        // The business day turned during the run: the bills straddle two days, and this run
        // cannot compare one day's report with them. (A window of seconds, once a day.)
        return;
    }

    let day = report(&[
        "report",
        "daily",
        "--date",
        &today,
        "--json",
        "--database",
        &url,
    ]);
    let rows = day["rows"].as_array().unwrap();
    assert_eq!(rows.len(), daily.len(), "{day}");
    for row in rows {
        let shop = field(row, "shopId");
        let expected = &daily[shop.as_str()];
        let got = Expected {
            created: row["billsCreated"].as_i64().unwrap(),
            paid: row["billsPaid"].as_i64().unwrap(),
            deleted: row["billsDeleted"].as_i64().unwrap(),
            closed: row["billsClosed"].as_i64().unwrap(),
            total: cents(&field(row, "totalAmount")),
            paid_amount: cents(&field(row, "paidAmount")),
        };
        assert_eq!(&got, expected, "{shop}");
        assert_eq!(field(row, "discountAmount"), "0.00");
    }

    let rebate = report(&[
        "report",
        "rebates",
        "--from",
        &today,
        "--to",
        &today,
        "--json",
        "--database",
        &url,
    ]);
    let rows = rebate["rows"].as_array().unwrap();
    assert_eq!(rows.len(), rebates.len(), "{rebate}");
    for row in rows {
        let customer = field(row, "customerId");
        let (count, sales, cal, rebate) = rebates[customer.as_str()];
        assert_eq!(row["settlements"].as_i64().unwrap(), count);
        assert_eq!(cents(&field(row, "salesAmount")), sales);
        assert_eq!(cents(&field(row, "calAmount")), cal);
        assert_eq!(cents(&field(row, "rebateAmount")), rebate, "{customer}");
    }

    // The same rows as CSV: a header and one line per row.
    let csv = posbridge()
        .args([
            "report",
            "daily",
            "--date",
            &today,
            "--csv",
            "--database",
            &url,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("shopId,customerType,customerId,billsCreated,"));
    assert_eq!(text.lines().count(), 1 + daily.len());
}

/// `12.30` as 1230.
fn cents(text: &str) -> i64 {
    let (units, fraction) = text.split_once('.').unwrap_or((text, "00"));
    units.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
