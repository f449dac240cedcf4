//! `posbridge settle submit FILE… | get BILLNUM` (CONTRACT §6, §12): a merchant account's rebate
//! settlements against a running server, through `posbridge-client`. Each FILE is an
//! `UnPosCustomerCalculateAddParm` in JSON, XML or BSON, sent in `--format`.

use std::path::PathBuf;

use clap::Subcommand;
use posbridge_protocol::dto::UnPosCustomerCalculateAddParm;

use crate::failure::Failure;
use crate::remote::{Account, read_all, send_all};
use crate::views;

/// Which settlement call.
#[derive(Debug, Subcommand)]
pub enum SettleCommand {
    /// CalculateBill/Add: submit the settlement of each FILE.
    Submit {
        /// Settlement documents (UnPosCustomerCalculateAddParm), .json, .xml or .bson.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        account: Account,
    },
    /// CalculateBill/Get: one settlement with its details.
    Get {
        /// The settlement's BillNum (the merchant's own number).
        #[arg(value_name = "BILLNUM")]
        bill_num: String,
        #[command(flatten)]
        account: Account,
    },
}

/// Runs a settle command.
pub async fn run(command: SettleCommand) -> Result<(), Failure> {
    match command {
        SettleCommand::Submit { files, account } => {
            let documents = read_all::<UnPosCustomerCalculateAddParm>(&files, "settlement")?;
            let client = account.client()?;
            let (client, account) = (&client, &account);
            send_all(documents, |settlement| async move {
                let id = client
                    .add_settlement(&settlement)
                    .await
                    .map_err(|err| account.server.failure(&err, "the settlement"))?;
                if account.server.json {
                    return Ok(serde_json::Value::from(id).to_string());
                }
                let bill_num = settlement.bill_num.as_deref().unwrap_or("-");
                // The answer is only the id; the amounts are the view's.
                Ok(match client.get_settlement(bill_num).await {
                    Ok(view) => views::settlement_line(&view),
                    Err(_) => format!("settlement {bill_num} accepted (id {id})"),
                })
            })
            .await
        }
        SettleCommand::Get { bill_num, account } => {
            let client = account.client()?;
            let view = client
                .get_settlement(&bill_num)
                .await
                .map_err(|err| account.server.failure(&err, "the request"))?;
            if account.server.json {
                println!("{}", views::json(&view)?);
            } else {
                print!("{}", views::settlement_details(&view));
            }
            Ok(())
        }
    }
}
