//! Reading a 500-line bill in each wire format, up to a validated domain draft: what the
//! protocol adds to one AddOrUpdate before the catalog checks.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p posbridge-protocol`).

// A bench whose fixed input stopped being valid must stop loudly, not measure an error path.
#![allow(clippy::expect_used)]

use posbridge_domain::sell_bill::SellBillDraft;
use posbridge_protocol::codec::{decode, encode};
use posbridge_protocol::dto::{PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm};
use posbridge_protocol::media::Format;
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

const LINES: i64 = 500;

fn bill() -> PosSellFromWebInterfaceParm {
    let details = (1..=LINES)
        .map(|id| PosSellFromWebInterfaceDetailParm {
            product_id: Some(id),
            amount: Some(Decimal::new(id * 3 + 1, 1)),
            discount_rate: Some(Decimal::new(85 + id % 15, 1)),
            discount_base: Some(Decimal::from(10)),
            retail_price: Some(Decimal::new(9_900 + id, 2)),
            unit: Some("件".into()),
            standard: Some("180x90".into()),
        })
        .collect();
    PosSellFromWebInterfaceParm {
        sender_bill_num: Some("P-BENCH-0001".into()),
        guest_name: Some("老王".into()),
        plan_deliver_type: Some("1".into()),
        details: Some(details),
        ..PosSellFromWebInterfaceParm::default()
    }
}

fn parse_and_validate(format: Format, body: &[u8]) {
    let parm: PosSellFromWebInterfaceParm = decode(format, body).expect("readable bill");
    SellBillDraft::from(&parm).validate().expect("valid bill");
}

/// Bytes to a validated draft, per format.
#[divan::bench(args = [Format::Json, Format::Xml, Format::Bson])]
fn read_500_line_bill(bencher: divan::Bencher, format: Format) {
    let body = encode(format, &bill()).expect("encodable bill");
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| parse_and_validate(format, divan::black_box(&body)));
}

/// A validated bill's answer-sized counterpart: writing the same bill, per format.
#[divan::bench(args = [Format::Json, Format::Xml, Format::Bson])]
fn write_500_line_bill(bencher: divan::Bencher, format: Format) {
    let bill = bill();
    bencher.bench(|| encode(format, divan::black_box(&bill)).expect("encodable bill"));
}
