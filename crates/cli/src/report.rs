//! `posbridge report daily|rebates` (CONTRACT §10, §12): the operators' reports straight from the
//! database, as an aligned table for people, `--csv`, or `--json` (the admin API's documents).

use clap::{Args, Subcommand};
use posbridge_domain::calendar::CivilDate;
use posbridge_domain::ids::ShopId;
use posbridge_domain::report::{daily, rebates};
use posbridge_protocol::report::{Cell, Table, daily_table, rebate_table};
use posbridge_protocol::time_text::UtcOffset;
use posbridge_server::listing::business_day;

use crate::failure::Failure;
use crate::{DatabaseArg, data};

/// Which report.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The bills created on one business day, per shop and customer unit.
    Daily {
        /// The business day, `yyyyMMdd`.
        #[arg(long, value_parser = date)]
        date: CivilDate,
        /// Only this shop.
        #[arg(long = "shop", value_name = "SHOP_ID")]
        shop: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// The rebates of the settlements whose HappenDate lies in a range (inclusive).
    Rebates {
        /// The first HappenDate, `yyyyMMdd`.
        #[arg(long, value_parser = date)]
        from: CivilDate,
        /// The last HappenDate, `yyyyMMdd`.
        #[arg(long, value_parser = date)]
        to: CivilDate,
        /// Only this customer id.
        #[arg(long, value_name = "CUSTOMER_ID")]
        customer_id: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

/// How a report is printed, and where its data comes from.
#[derive(Debug, Args)]
pub struct Output {
    /// Print CSV (the header is the JSON keys).
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Print the admin API's JSON document.
    #[arg(long)]
    json: bool,
    /// The business time zone of `--date`, a fixed offset `±HH:MM`.
    #[arg(long, value_name = "±HH:MM", env = "POSBRIDGE_TIMEZONE", default_value = "+08:00",
          value_parser = crate::timezone)]
    timezone: UtcOffset,
    #[command(flatten)]
    database: DatabaseArg,
}

fn date(text: &str) -> Result<CivilDate, String> {
    CivilDate::parse_compact(text.trim())
        .ok_or_else(|| "must be a date written yyyyMMdd".to_owned())
}

fn compact(date: CivilDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// Runs a report command.
pub async fn run(command: ReportCommand) -> Result<(), Failure> {
    match command {
        ReportCommand::Daily { date, shop, output } => {
            let url = &output.database.database;
            let store = data::open(url).await?;
            let (from, to) = business_day(date, output.timezone);
            let shop = shop.map(ShopId::new);
            let figures = store
                .bill_figures(from, to, shop.as_ref())
                .await
                .map_err(|err| Failure::store(url, &err))?;
            print(
                &output,
                &daily_table(&daily(figures)),
                &[("date", &compact(date))],
            );
        }
        ReportCommand::Rebates {
            from,
            to,
            customer_id,
            output,
        } => {
            if from > to {
                return Err(Failure::usage("--from must not be after --to"));
            }
            let url = &output.database.database;
            let store = data::open(url).await?;
            let figures = store
                .settlement_figures(from, to, customer_id.as_deref())
                .await
                .map_err(|err| Failure::store(url, &err))?;
            print(
                &output,
                &rebate_table(&rebates(figures)),
                &[("from", &compact(from)), ("to", &compact(to))],
            );
        }
    }
    Ok(())
}

fn print(output: &Output, table: &Table, head: &[(&'static str, &str)]) {
    if output.csv {
        print!("{}", table.to_csv());
    } else if output.json {
        println!("{}", table.to_json(head));
    } else {
        print!("{}", aligned(table));
    }
}

/// The table for people: columns padded to their widest value, numbers to the right.
pub(crate) fn aligned(table: &Table) -> String {
    let text = |cell: &Cell| match cell {
        Cell::Text(text) => text.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Decimal(d) => d.to_string(),
    };
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(text).collect())
        .collect();
    let widths: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            rows.iter()
                .map(|row| row.get(i).map_or(0, |v| v.chars().count()))
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<(String, bool)>| -> String {
        let padded: Vec<String> = cells
            .into_iter()
            .zip(&widths)
            .map(|((value, right), &width)| {
                if right {
                    format!("{value:>width$}")
                } else {
                    format!("{value:<width$}")
                }
            })
            .collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    out.push_str(&line(
        table
            .columns
            .iter()
            .map(|c| ((*c).to_owned(), false))
            .collect(),
    ));
    for (row, cells) in rows.into_iter().zip(&table.rows) {
        let right = cells.iter().map(|c| !matches!(c, Cell::Text(_)));
        out.push_str(&line(row.into_iter().zip(right).collect()));
    }
    if table.rows.is_empty() {
        out.push_str("(no rows)\n");
    }
    out
}
