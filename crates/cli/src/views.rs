//! The API's views for people: a bill or a settlement as a summary line and aligned tables, and
//! any DTO as the JSON the API writes (`--json`). The local and the client commands print the
//! same views, so a bill reads the same whether it came from the database or from a server.

use posbridge_protocol::codec::encode;
use posbridge_protocol::dto::{PosSellBillView, UnPosCustomerCalculateView};
use posbridge_protocol::media::Format;
use posbridge_protocol::read::WireType;
use posbridge_protocol::report::{Cell, Table};
use rust_decimal::Decimal;

use crate::failure::Failure;
use crate::report::aligned;

/// A DTO as the JSON the API answers with (one line).
pub fn json<T: WireType>(value: &T) -> Result<String, Failure> {
    let bytes = encode(Format::Json, value)
        .map_err(|err| Failure::new(format!("cannot write the answer as JSON: {err}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}

fn amount(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".to_owned(), |d| d.to_string())
}

fn cell(value: &Option<String>) -> Cell {
    Cell::Text(text(value).to_owned())
}

fn decimal(value: Option<Decimal>) -> Cell {
    value.map_or(Cell::Text("-".to_owned()), Cell::Decimal)
}

fn int(value: Option<i64>) -> Cell {
    value.map_or(Cell::Text("-".to_owned()), Cell::Int)
}

/// `bill B… Initial (SenderBillNum X), total 198.00, paid 0.00`.
pub fn bill_line(view: &PosSellBillView) -> String {
    format!(
        "bill {} {} (SenderBillNum {}), total {}, paid {}",
        text(&view.bill_num),
        text(&view.bill_state),
        text(&view.sender_bill_num),
        amount(view.total_amount),
        amount(view.paid_amount)
    )
}

/// The whole view: the summary, its header, lines, payments and (for Get) history.
pub fn bill_details(view: &PosSellBillView) -> String {
    let mut out = bill_line(view) + "\n";
    out.push_str(&format!(
        "version {}, shop {}, customer unit {}/{}, discount {}, created {}, updated {}\n",
        view.version
            .map_or_else(|| "-".to_owned(), |v| v.to_string()),
        text(&view.shop_id),
        text(&view.customer_type),
        text(&view.customer_id),
        amount(view.discount_amount),
        text(&view.created_at),
        text(&view.updated_at),
    ));
    if let Some(guide) = &view.guider_number {
        out.push_str(&format!("guide {guide}\n"));
    }
    const LINES: &[&str] = &[
        "line",
        "productId",
        "amount",
        "retailPrice",
        "discountedPrice",
        "lineAmount",
    ];
    let lines = view.details.iter().flatten().map(|line| {
        vec![
            int(line.line_no.map(i64::from)),
            int(line.product_id),
            decimal(line.amount),
            decimal(line.retail_price),
            decimal(line.discounted_price),
            decimal(line.line_amount),
        ]
    });
    out.push_str(&aligned(&Table {
        columns: LINES,
        rows: lines.collect(),
    }));
    if view.payments.as_ref().is_some_and(|p| !p.is_empty()) {
        const PAYMENTS: &[&str] = &["payNum", "payType", "payAmount", "paidAt"];
        let payments = view.payments.iter().flatten().map(|payment| {
            vec![
                cell(&payment.pay_num),
                cell(&payment.pay_type),
                decimal(payment.pay_amount),
                cell(&payment.paid_at),
            ]
        });
        out.push_str(&aligned(&Table {
            columns: PAYMENTS,
            rows: payments.collect(),
        }));
    }
    if let Some(history) = &view.history {
        const HISTORY: &[&str] = &["version", "billState", "event", "at"];
        let entries = history.iter().map(|entry| {
            vec![
                int(entry.version.map(i64::from)),
                cell(&entry.bill_state),
                cell(&entry.event),
                cell(&entry.at),
            ]
        });
        out.push_str(&aligned(&Table {
            columns: HISTORY,
            rows: entries.collect(),
        }));
    }
    out
}

/// Bills as one row each, newest first (a List page).
pub fn bill_rows(bills: &[PosSellBillView]) -> String {
    const COLUMNS: &[&str] = &[
        "billNum",
        "senderBillNum",
        "billState",
        "shopId",
        "totalAmount",
        "paidAmount",
        "createdAt",
    ];
    let rows = bills.iter().map(|bill| {
        vec![
            cell(&bill.bill_num),
            cell(&bill.sender_bill_num),
            cell(&bill.bill_state),
            cell(&bill.shop_id),
            decimal(bill.total_amount),
            decimal(bill.paid_amount),
            cell(&bill.created_at),
        ]
    });
    aligned(&Table {
        columns: COLUMNS,
        rows: rows.collect(),
    })
}

/// `settlement JS-1 (id 7): merchant 2, shop S001, customer unit TA/C001, …, rebate 29.70`.
pub fn settlement_line(view: &UnPosCustomerCalculateView) -> String {
    format!(
        "settlement {} (id {}): merchant {}, shop {}, customer unit {}/{}, HappenDate {}, \
         sales {}, cal {}, rebate {} at rate {}",
        text(&view.bill_num),
        text(&view.id),
        view.merchant_id
            .map_or_else(|| "-".to_owned(), |m| m.to_string()),
        text(&view.shop_id),
        text(&view.customer_type),
        text(&view.customer_id),
        text(&view.happen_date),
        amount(view.sales_amount),
        amount(view.cal_amount),
        amount(view.rebate_amount),
        amount(view.rebate_rate),
    )
}

/// The settlement's line and its details.
pub fn settlement_details(view: &UnPosCustomerCalculateView) -> String {
    let mut out = settlement_line(view) + "\n";
    const DETAILS: &[&str] = &[
        "autoId",
        "sellBillNum",
        "productId",
        "amount",
        "calPrice",
        "salesAmount",
        "calAmount",
    ];
    let details = view.details.iter().flatten().map(|detail| {
        vec![
            int(detail.auto_id.map(i64::from)),
            cell(&detail.sell_bill_num),
            int(detail.product_id),
            decimal(detail.amount),
            decimal(detail.cal_price),
            decimal(detail.sales_amount),
            decimal(detail.cal_amount),
        ]
    });
    out.push_str(&aligned(&Table {
        columns: DETAILS,
        rows: details.collect(),
    }));
    out
}
