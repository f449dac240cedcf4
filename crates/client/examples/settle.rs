//! Settles a rebate against `posbridge serve --demo`: sells and pays a bill with the channel
//! account, then the merchant adds a settlement (CalculateBill/Add) over it and reads it back.
//!
//! ```text
//! cargo run --release -- serve --demo            # in another terminal
//! cargo run -p posbridge-client --example settle [SETTLEMENT_BILL_NUM]
//! ```
//!
//! `POSBRIDGE_URL` (default `http://127.0.0.1:8080`), `POSBRIDGE_TOKEN` (the merchant account,
//! default `demo-merchant-2`) and `POSBRIDGE_CHANNEL_TOKEN` (the seller, default
//! `demo-channel-s001`).

use std::process::ExitCode;

use posbridge_client::{Client, ClientError};
use posbridge_protocol::dto::{
    PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm, PosSellPayBillParm,
    UnPosAddGuiderCalculateDetailParm, UnPosCustomerCalculateAddParm,
};
use rust_decimal::Decimal;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(if error.is_business() { 1 } else { 2 })
        }
    }
}

async fn run() -> Result<(), ClientError> {
    let url = env_or("POSBRIDGE_URL", "http://127.0.0.1:8080");
    let number = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("JS-{}", std::process::id()));
    let seller = Client::builder(&url)
        .token(env_or("POSBRIDGE_CHANNEL_TOKEN", "demo-channel-s001"))
        .build()?;
    let merchant = Client::builder(&url)
        .token(env_or("POSBRIDGE_TOKEN", "demo-merchant-2"))
        .build()?;

    // A paid bill of three scarves at S001 (customer unit TA/C001).
    let sender = format!("{number}-SALE");
    let sold = seller
        .add_or_update(&PosSellFromWebInterfaceParm {
            sender_bill_num: Some(sender.clone()),
            details: Some(vec![PosSellFromWebInterfaceDetailParm {
                product_id: Some(1),
                amount: Some(Decimal::from(3)),
                retail_price: Some(Decimal::new(9900, 2)),
                ..Default::default()
            }]),
            ..Default::default()
        })
        .await?;
    let sell_bill_num = sold.bill_num.unwrap_or_default();
    seller
        .pay_bill(&PosSellPayBillParm {
            bill_num: Some(sell_bill_num.clone()),
            pay_num: Some(format!("{sender}-PAY")),
            pay_type: Some("Cash".to_owned()),
            ..Default::default()
        })
        .await?;
    println!("sold and paid sell bill {sell_bill_num} ({sender})");

    // Two of the three scarves are rebated at 90.00 each.
    let settlement = UnPosCustomerCalculateAddParm {
        bill_num: Some(number.clone()),
        merchant_id: Some(2),
        shop_id: Some("S001".to_owned()),
        happen_date: Some("20260105".to_owned()),
        happen_time: Some("153000".to_owned()),
        customer_type: Some("TA".to_owned()),
        customer_id: Some("C001".to_owned()),
        cal_user_type: Some("2".to_owned()),
        details: Some(vec![UnPosAddGuiderCalculateDetailParm {
            sell_bill_num: Some(sell_bill_num),
            auto_id: Some(1),
            product_id: Some(1),
            product_name: Some("Silk scarf".to_owned()),
            amount: Some(Decimal::from(2)),
            listing_price: Some(Decimal::new(12800, 2)),
            retail_price: Some(Decimal::new(9900, 2)),
            lowest_retail_price: Some(Decimal::new(7900, 2)),
            cal_price: Some(Decimal::new(9000, 2)),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let id = merchant.add_settlement(&settlement).await?;
    // The same BillNum and content again: the same id, nothing settled twice.
    let again = merchant.add_settlement(&settlement).await?;
    println!("settlement {number}: id {id} (replayed: id {again})");

    let view = merchant.get_settlement(&number).await?;
    let show = |value: Option<Decimal>| value.map_or_else(|| "-".to_owned(), |d| d.to_string());
    println!(
        "sales {} calculated {} rebate rate {} rebate {} created {}",
        show(view.sales_amount),
        show(view.cal_amount),
        show(view.rebate_rate),
        show(view.rebate_amount),
        view.created_at.as_deref().unwrap_or("-")
    );
    Ok(())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}
