//! Submits a sell bill, pays it and reads it back, against `posbridge serve --demo`.
//!
//! ```text
//! cargo run --release -- serve --demo            # in another terminal
//! cargo run -p posbridge-client --example sell_bill [SENDER_BILL_NUM] [json|xml|bson]
//! ```
//!
//! `POSBRIDGE_URL` (default `http://127.0.0.1:8080`) and `POSBRIDGE_TOKEN` (default the demo's
//! channel account of shop S001, `demo-channel-s001`) choose the server and account. Running it
//! twice with the same sender number shows idempotency: the same bill, the same payment.

use std::process::ExitCode;

use posbridge_client::{BillKey, Client, ClientError};
use posbridge_protocol::dto::{
    PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm, PosSellPayBillParm,
};
use posbridge_protocol::media::Format;
use rust_decimal::Decimal;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            // Business refusals exit 1, as the CLI does; anything else 2.
            ExitCode::from(if error.is_business() { 1 } else { 2 })
        }
    }
}

async fn run() -> Result<(), ClientError> {
    let url = env_or("POSBRIDGE_URL", "http://127.0.0.1:8080");
    let token = env_or("POSBRIDGE_TOKEN", "demo-channel-s001");
    let mut args = std::env::args().skip(1);
    let sender = args
        .next()
        .unwrap_or_else(|| format!("EXAMPLE-{}", std::process::id()));
    let format = match args.next().as_deref() {
        Some("xml") => Format::Xml,
        Some("bson") => Format::Bson,
        _ => Format::Json,
    };
    let client = Client::builder(url).token(token).format(format).build()?;

    // Two silk scarves at S001's retail price, one box of tea at 10 % off.
    let bill = PosSellFromWebInterfaceParm {
        sender_bill_num: Some(sender.clone()),
        guest_name: Some("Li Lei".to_owned()),
        plan_deliver_type: Some("1".to_owned()),
        details: Some(vec![
            line(1, Decimal::from(2), Decimal::new(9900, 2), None),
            line(3, Decimal::ONE, Decimal::new(23800, 2), Some((9, 10))),
        ]),
        ..Default::default()
    };
    let created = client.add_or_update(&bill).await?;
    println!(
        "submitted {sender} in {format:?}: BillNum {} state {}",
        created.bill_num.as_deref().unwrap_or("?"),
        created.bill_state.as_deref().unwrap_or("?")
    );

    // No PayAmount: pay what is outstanding. The PayNum makes the payment idempotent.
    let paid = client
        .pay_bill(&PosSellPayBillParm {
            sender_bill_num: Some(sender.clone()),
            pay_num: Some(format!("{sender}-PAY-1")),
            pay_type: Some("WeChat".to_owned()),
            ..Default::default()
        })
        .await?;
    println!(
        "paid: state {} total {} paid {}",
        text(&paid.bill_state),
        amount(paid.total_amount),
        amount(paid.paid_amount)
    );

    let view = client.get_bill(&BillKey::SenderBillNum(sender)).await?;
    println!(
        "bill {} version {} shop {} customer {}/{}: total {} discount {} paid {}",
        text(&view.bill_num),
        view.version.unwrap_or_default(),
        text(&view.shop_id),
        text(&view.customer_type),
        text(&view.customer_id),
        amount(view.total_amount),
        amount(view.discount_amount),
        amount(view.paid_amount)
    );
    for detail in view.details.unwrap_or_default() {
        println!(
            "  line {}: product {} × {} at {} (discounted {}) = {}",
            detail.line_no.unwrap_or_default(),
            detail.product_id.unwrap_or_default(),
            amount(detail.amount),
            amount(detail.retail_price),
            amount(detail.discounted_price),
            amount(detail.line_amount)
        );
    }
    for step in view.history.unwrap_or_default() {
        println!(
            "  {} {} at {}",
            text(&step.event),
            text(&step.bill_state),
            text(&step.at)
        );
    }
    Ok(())
}

fn line(
    product_id: i64,
    amount: Decimal,
    retail_price: Decimal,
    discount: Option<(i64, i64)>,
) -> PosSellFromWebInterfaceDetailParm {
    PosSellFromWebInterfaceDetailParm {
        product_id: Some(product_id),
        amount: Some(amount),
        retail_price: Some(retail_price),
        discount_rate: discount.map(|(rate, _)| Decimal::from(rate)),
        discount_base: discount.map(|(_, base)| Decimal::from(base)),
        ..Default::default()
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}

fn amount(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".to_owned(), |amount| amount.to_string())
}
