//! The operators' reports on the wire (CONTRACT §10): `{"date", "rows"}` and `{"from", "to",
//! "rows"}` in JSON, or the same rows as CSV whose header is the JSON keys in order.
//!
//! Amounts are exact decimals with 2 places, written as JSON numbers from their own digits
//! (`198.00`) and as the same text in CSV; CSV fields are quoted (RFC 4180) only when they hold a
//! comma, a quote or a line break.

use std::borrow::Cow;

use posbridge_domain::report::{DailyRow, RebateRow};
use rust_decimal::Decimal;

use crate::json::write_json;
use crate::node::{List, Node, Object};

/// One value of a report row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text: ids and codes.
    Text(String),
    /// A whole number: counts and ids.
    Int(i64),
    /// An exact decimal: amounts.
    Decimal(Decimal),
}

/// A report's rows under their column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The JSON keys, in order; the CSV header.
    pub columns: &'static [&'static str],
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// The columns of the daily report.
pub const DAILY_COLUMNS: &[&str] = &[
    "shopId",
    "customerType",
    "customerId",
    "billsCreated",
    "billsPaid",
    "billsDeleted",
    "billsClosed",
    "totalAmount",
    "paidAmount",
    "discountAmount",
];

/// The columns of the rebate report.
pub const REBATE_COLUMNS: &[&str] = &[
    "merchantId",
    "customerType",
    "customerId",
    "calUserType",
    "settlements",
    "salesAmount",
    "calAmount",
    "rebateAmount",
];

fn count(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The daily report's rows as a table.
pub fn daily_table(rows: &[DailyRow]) -> Table {
    Table {
        columns: DAILY_COLUMNS,
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    Cell::Text(row.shop_id.to_string()),
                    Cell::Text(row.customer.customer_type.clone()),
                    Cell::Text(row.customer.customer_id.clone()),
                    count(row.bills_created),
                    count(row.bills_paid),
                    count(row.bills_deleted),
                    count(row.bills_closed),
                    Cell::Decimal(row.total_amount),
                    Cell::Decimal(row.paid_amount),
                    Cell::Decimal(row.discount_amount),
                ]
            })
            .collect(),
    }
}

/// The rebate report's rows as a table.
pub fn rebate_table(rows: &[RebateRow]) -> Table {
    Table {
        columns: REBATE_COLUMNS,
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    Cell::Int(row.merchant_id.0),
                    Cell::Text(row.customer.customer_type.clone()),
                    Cell::Text(row.customer.customer_id.clone()),
                    Cell::Text(row.cal_user_type.code().to_owned()),
                    count(row.settlements),
                    Cell::Decimal(row.sales_amount),
                    Cell::Decimal(row.cal_amount),
                    Cell::Decimal(row.rebate_amount),
                ]
            })
            .collect(),
    }
}

impl Table {
    /// The rows as CSV: the header, then one line per row, each ended by CRLF (RFC 4180).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.columns.iter().map(|c| csv_field(c)).collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let fields: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => csv_field(text),
                    Cell::Int(n) => n.to_string(),
                    Cell::Decimal(d) => d.to_string(),
                })
                .collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The rows as a JSON list of objects.
    fn rows_node(&self) -> Node {
        let items = self
            .rows
            .iter()
            .map(|row| {
                Node::Object(Object {
                    ty: None,
                    fields: self
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(&name, cell)| {
                            let node = match cell {
                                Cell::Text(text) => Node::Text(text.clone()),
                                Cell::Int(n) => Node::Int(*n),
                                Cell::Decimal(d) => Node::Number(d.to_string()),
                            };
                            (Cow::Borrowed(name), node)
                        })
                        .collect(),
                })
            })
            .collect();
        Node::List(List { item: None, items })
    }

    /// The JSON document: `head` members (e.g. `date`), then `rows`.
    pub fn to_json(&self, head: &[(&'static str, &str)]) -> String {
        let mut fields: Vec<(Cow<'static, str>, Node)> = head
            .iter()
            .map(|&(name, value)| (Cow::Borrowed(name), Node::Text(value.to_owned())))
            .collect();
        fields.push((Cow::Borrowed("rows"), self.rows_node()));
        write_json(&Node::Object(Object { ty: None, fields }))
    }
}

/// A CSV field, quoted when it has to be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
    use posbridge_domain::settlement::CalUserType;

    use super::*;

    fn daily_row() -> DailyRow {
        DailyRow {
            shop_id: ShopId::new("S001"),
            customer: CustomerUnit::new("TA", "C,001"),
            bills_created: 3,
            bills_paid: 1,
            bills_deleted: 1,
            bills_closed: 0,
            total_amount: Decimal::new(19_800, 2),
            paid_amount: Decimal::new(19_800, 2),
            discount_amount: Decimal::new(0, 2),
        }
    }

    #[test]
    fn json_keeps_the_contract_keys_in_order_and_exact_amounts() {
        let table = daily_table(&[daily_row()]);
        assert_eq!(
            table.to_json(&[("date", "20240501")]),
            r#"{"date":"20240501","rows":[{"shopId":"S001","customerType":"TA","customerId":"C,001","billsCreated":3,"billsPaid":1,"billsDeleted":1,"billsClosed":0,"totalAmount":198.00,"paidAmount":198.00,"discountAmount":0.00}]}"#
        );
        assert_eq!(
            daily_table(&[]).to_json(&[("date", "20240501")]),
            r#"{"date":"20240501","rows":[]}"#
        );
    }

    #[test]
    fn csv_has_the_json_keys_as_header_and_quotes_only_when_needed() {
        let table = daily_table(&[daily_row()]);
        assert_eq!(
            table.to_csv(),
            "shopId,customerType,customerId,billsCreated,billsPaid,billsDeleted,billsClosed,\
             totalAmount,paidAmount,discountAmount\r\nS001,TA,\"C,001\",3,1,1,0,198.00,198.00,0.00\r\n"
        );
        let rebates = rebate_table(&[RebateRow {
            merchant_id: MerchantId(2),
            customer: CustomerUnit::new("TA", "say \"hi\""),
            cal_user_type: CalUserType::Merchant,
            settlements: 2,
            sales_amount: Decimal::new(1, 2),
            cal_amount: Decimal::new(2, 2),
            rebate_amount: Decimal::new(3, 2),
        }]);
        assert_eq!(
            rebates.to_csv(),
            "merchantId,customerType,customerId,calUserType,settlements,salesAmount,calAmount,\
             rebateAmount\r\n2,TA,\"say \"\"hi\"\"\",2,2,0.01,0.02,0.03\r\n"
        );
    }
}
