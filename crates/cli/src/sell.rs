//! `posbridge sell submit|pay|close FILE… | get` (CONTRACT §5, §12): a channel account's sell
//! bill calls against a running server, through `posbridge-client`. Each FILE is the request
//! body (`PosSellFromWebInterfaceParm`, `PosSellPayBillParm`, `PosSellDeleteOrCloseParm`) in
//! JSON, XML or BSON, sent in `--format`.

use std::path::PathBuf;

use clap::Subcommand;
use posbridge_client::{BillKey, Client};
use posbridge_protocol::dto::{
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm, PosSellFromWebInterfaceResult,
    PosSellPayBillParm,
};

use crate::failure::Failure;
use crate::remote::{Account, read_all, send_all};
use crate::views;

/// Which sell bill call.
#[derive(Debug, Subcommand)]
pub enum SellCommand {
    /// AddOrUpdate: create (or replace while Initial) the bill of each FILE.
    Submit {
        /// Sell bill documents (PosSellFromWebInterfaceParm), .json, .xml or .bson.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        account: Account,
    },
    /// PayBill: record the payment of each FILE.
    Pay {
        /// Payment documents (PosSellPayBillParm), .json, .xml or .bson.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        account: Account,
    },
    /// DeleteOrClose: delete an Initial bill, close a PartPaid one.
    Close {
        /// Documents naming the bill (PosSellDeleteOrCloseParm), .json, .xml or .bson.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        account: Account,
    },
    /// Get: one bill with its lines, payments and history.
    Get {
        /// The server's BillNum.
        #[arg(
            value_name = "BILLNUM",
            required_unless_present = "sender_bill_num",
            conflicts_with = "sender_bill_num"
        )]
        bill_num: Option<String>,
        /// The partner's SenderBillNum instead.
        #[arg(long, value_name = "S")]
        sender_bill_num: Option<String>,
        #[command(flatten)]
        account: Account,
    },
}

/// Runs a sell command.
pub async fn run(command: SellCommand) -> Result<(), Failure> {
    match command {
        SellCommand::Submit { files, account } => {
            let documents = read_all::<PosSellFromWebInterfaceParm>(&files, "sell bill")?;
            let client = account.client()?;
            let (client, account) = (&client, &account);
            send_all(documents, |bill| async move {
                let result = client
                    .add_or_update(&bill)
                    .await
                    .map_err(|err| account.server.failure(&err, "the bill"))?;
                if account.server.json {
                    return views::json(&result);
                }
                Ok(described(client, &result).await)
            })
            .await
        }
        SellCommand::Pay { files, account } => {
            let documents = read_all::<PosSellPayBillParm>(&files, "payment")?;
            let client = account.client()?;
            let (client, account) = (&client, &account);
            send_all(documents, |payment| async move {
                let result = client
                    .pay_bill(&payment)
                    .await
                    .map_err(|err| account.server.failure(&err, "the payment"))?;
                if account.server.json {
                    return views::json(&result);
                }
                let text = |value: &Option<String>| value.clone().unwrap_or_default();
                let amount = |value: Option<rust_decimal::Decimal>| {
                    value.map_or_else(String::new, |d| d.to_string())
                };
                Ok(format!(
                    "bill {} {} (SenderBillNum {}): payment {}, paid {} of {}",
                    text(&result.bill_num),
                    text(&result.bill_state),
                    text(&result.sender_bill_num),
                    text(&result.pay_num),
                    amount(result.paid_amount),
                    amount(result.total_amount),
                ))
            })
            .await
        }
        SellCommand::Close { files, account } => {
            let documents = read_all::<PosSellDeleteOrCloseParm>(&files, "bill reference")?;
            let client = account.client()?;
            let (client, account) = (&client, &account);
            send_all(documents, |bill| async move {
                let result = client
                    .delete_or_close(&bill)
                    .await
                    .map_err(|err| account.server.failure(&err, "the request"))?;
                if account.server.json {
                    return views::json(&result);
                }
                Ok(described(client, &result).await)
            })
            .await
        }
        SellCommand::Get {
            bill_num,
            sender_bill_num,
            account,
        } => {
            let key = match (bill_num, sender_bill_num) {
                (Some(bill_num), _) => BillKey::BillNum(bill_num),
                (None, Some(sender)) => BillKey::SenderBillNum(sender),
                (None, None) => return Err(Failure::usage("give a BILLNUM or --sender-bill-num")),
            };
            let client = account.client()?;
            let view = client
                .get_bill(&key)
                .await
                .map_err(|err| account.server.failure(&err, "the request"))?;
            if account.server.json {
                println!("{}", views::json(&view)?);
            } else {
                print!("{}", views::bill_details(&view));
            }
            Ok(())
        }
    }
}

/// `bill B… Initial (SenderBillNum X), total 198.00, paid 0.00`: the bill as it is now (a Get
/// after the change), or only what the answer says when the Get fails.
async fn described(client: &Client, result: &PosSellFromWebInterfaceResult) -> String {
    if let Some(bill_num) = &result.bill_num
        && let Ok(view) = client.get_bill(&BillKey::BillNum(bill_num.clone())).await
    {
        return views::bill_line(&view);
    }
    format!(
        "bill {} {} (SenderBillNum {})",
        result.bill_num.as_deref().unwrap_or("-"),
        result.bill_state.as_deref().unwrap_or("-"),
        result.sender_bill_num.as_deref().unwrap_or("-"),
    )
}
