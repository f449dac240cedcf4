//! `posbridge bill get|list` (CONTRACT §5, §12): sell bills straight from the database, shown
//! as the API's Get and List views (`--json`: the same JSON as their `tag`).
//!
//! The API scopes bills by the caller's customer unit; an operator has no account, so a
//! `BillNum` (unique across the server) is looked up in every customer unit, and a
//! `SenderBillNum` or a listing takes the unit from `--customer-type`/`--customer-id` (not
//! needed when the master data has a single customer unit).

use clap::{Args, Subcommand};
use posbridge_domain::ids::CustomerUnit;
use posbridge_domain::sell_bill::{BillRecord, BillRef, SellBill};
use posbridge_protocol::dto::{PosSellBillList, PosSellBillView};
use posbridge_protocol::mapping::{ViewOptions, bill_view};
use posbridge_protocol::qimen::query::encode_query;
use posbridge_protocol::time_text::UtcOffset;
use posbridge_server::listing::{LIMIT_DEFAULT, LIMIT_MAX, bill_query, encode_cursor};
use posbridge_server::query::Query;
use posbridge_store::Store;

use crate::callbacks::Common;
use crate::failure::Failure;
use crate::{data, views};

/// Which bill query.
#[derive(Debug, Subcommand)]
pub enum BillCommand {
    /// One bill with its lines, payments and history.
    Get {
        /// The server's BillNum.
        #[arg(value_name = "BILLNUM", required_unless_present = "sender_bill_num")]
        bill_num: Option<String>,
        /// The partner's SenderBillNum instead (or as well: both must name the bill).
        #[arg(long, value_name = "S")]
        sender_bill_num: Option<String>,
        #[command(flatten)]
        customer: CustomerArgs,
        /// Print the API's Get view as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// A customer unit's bills, newest first, a page at a time.
    List {
        /// Created at or after: RFC 3339, or yyyyMMdd (the whole business day).
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// Created at or before: RFC 3339, or yyyyMMdd (the whole business day).
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Initial, PartPaid, Paid, Deleted or Closed.
        #[arg(long)]
        state: Option<String>,
        #[command(flatten)]
        customer: CustomerArgs,
        /// At most this many bills.
        #[arg(long, default_value_t = LIMIT_DEFAULT,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(LIMIT_MAX)))]
        limit: u32,
        /// Continue after an earlier page (its next cursor).
        #[arg(long)]
        cursor: Option<String>,
        /// Print the API's List document as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
}

/// The customer unit whose bills are meant.
#[derive(Debug, Args)]
pub struct CustomerArgs {
    /// CustomerType of the customer unit.
    #[arg(long, value_name = "T", requires = "customer_id")]
    customer_type: Option<String>,
    /// CustomerId of the customer unit.
    #[arg(long, value_name = "C", requires = "customer_type")]
    customer_id: Option<String>,
}

impl CustomerArgs {
    fn unit(&self) -> Option<CustomerUnit> {
        match (&self.customer_type, &self.customer_id) {
            (Some(kind), Some(id)) => Some(CustomerUnit::new(kind, id)),
            _ => None,
        }
    }
}

/// Runs a bill command.
pub async fn run(command: BillCommand) -> Result<(), Failure> {
    match command {
        BillCommand::Get {
            bill_num,
            sender_bill_num,
            customer,
            json,
            common,
        } => {
            let key = BillRef::parse(bill_num.as_deref(), sender_bill_num.as_deref())
                .map_err(|err| Failure::usage(err.to_string()))?;
            let url = &common.database.database;
            let store = data::open(url).await?;
            let units = match customer.unit() {
                Some(unit) => vec![unit],
                None if key.bill_num.is_some() => customer_units(store.as_ref(), url).await?,
                None => vec![only_unit(store.as_ref(), url).await?],
            };
            let mut found = None;
            for unit in &units {
                if let Some(record) = store
                    .bill(unit, &key)
                    .await
                    .map_err(|err| Failure::store(url, &err))?
                {
                    found = Some(record);
                    break;
                }
            }
            let shown = [
                bill_num.map(|b| format!("BillNum {b}")),
                sender_bill_num.map(|s| format!("SenderBillNum {s}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ");
            let record = found.ok_or_else(|| {
                Failure::new(format!(
                    "no sell bill with {shown} in {url}",
                    url = posbridge_store::redact(url)
                ))
                .hint(
                    "check the number (`posbridge bill list` shows a customer unit's bills), the \
                     customer unit (--customer-type/--customer-id) and --database",
                )
            })?;
            let view = view(record, common.timezone, true)?;
            if json {
                println!("{}", views::json(&view)?);
            } else {
                print!("{}", views::bill_details(&view));
            }
        }
        BillCommand::List {
            from,
            to,
            state,
            customer,
            limit,
            cursor,
            json,
            common,
        } => {
            // The API's own reading of the filters, so both accept the same text.
            let limit = limit.to_string();
            let pairs: Vec<(&str, &str)> = [
                ("from", from.as_deref()),
                ("to", to.as_deref()),
                ("state", state.as_deref()),
                ("cursor", cursor.as_deref()),
                ("limit", Some(limit.as_str())),
            ]
            .into_iter()
            .filter_map(|(name, value)| Some((name, value?)))
            .collect();
            let query = bill_query(&Query::parse(&encode_query(&pairs)), common.timezone).map_err(
                |err| Failure::usage(format!("--{}", err.message().trim_start_matches("field "))),
            )?;
            let url = &common.database.database;
            let store = data::open(url).await?;
            let unit = match customer.unit() {
                Some(unit) => unit,
                None => only_unit(store.as_ref(), url).await?,
            };
            let page = store
                .list_bills(&unit, &query)
                .await
                .map_err(|err| Failure::store(url, &err))?;
            let bills = page
                .bills
                .into_iter()
                .map(|record| view(record, common.timezone, false))
                .collect::<Result<Vec<_>, _>>()?;
            let listing = PosSellBillList {
                bills: Some(bills),
                next_cursor: page.next_cursor.map(encode_cursor),
            };
            if json {
                println!("{}", views::json(&listing)?);
                return Ok(());
            }
            let bills = listing.bills.as_deref().unwrap_or_default();
            if bills.is_empty() {
                println!("no bills of customer unit {unit}");
            } else {
                print!("{}", views::bill_rows(bills));
            }
            if let Some(next) = &listing.next_cursor {
                println!("more: --cursor {next}");
            }
        }
    }
    Ok(())
}

/// The API's view of a stored bill.
fn view(record: BillRecord, offset: UtcOffset, history: bool) -> Result<PosSellBillView, Failure> {
    let bill = SellBill::restore(record).map_err(|err| {
        Failure::new(format!("a stored bill cannot be read back: {err}"))
            .hint("the database is inconsistent; restore it from a backup")
    })?;
    Ok(bill_view(&bill, ViewOptions { offset, history }))
}

/// Every customer unit of the master data.
async fn customer_units(store: &dyn Store, url: &str) -> Result<Vec<CustomerUnit>, Failure> {
    let data = store
        .master_data()
        .await
        .map_err(|err| Failure::store(url, &err))?;
    Ok(data
        .customer_units
        .into_iter()
        .map(|entry| entry.unit)
        .collect())
}

/// The one customer unit of the master data, or a usage error naming the choices.
async fn only_unit(store: &dyn Store, url: &str) -> Result<CustomerUnit, Failure> {
    let mut units = customer_units(store, url).await?;
    if units.len() == 1 {
        return Ok(units.remove(0));
    }
    let known: Vec<String> = units
        .iter()
        .map(|u| {
            format!(
                "--customer-type {} --customer-id {}",
                u.customer_type, u.customer_id
            )
        })
        .collect();
    let hint = if known.is_empty() {
        "the database has no customer units: import master data first".to_owned()
    } else {
        format!("one of: {}", known.join("; "))
    };
    Err(Failure::usage("say whose bills: give --customer-type and --customer-id").hint(hint))
}
