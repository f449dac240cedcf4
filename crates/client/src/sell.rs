//! Sell bill calls (CONTRACT §5, a `channel` account's token): AddOrUpdate, PayBill,
//! DeleteOrClose, Get and List.

use posbridge_protocol::dto::{
    PosSellBillList, PosSellBillView, PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult, PosSellPayBillParm, PosSellPayBillResult,
};
use posbridge_protocol::qimen::query::encode_query;

use crate::error::ClientError;
use crate::web::Client;

/// Which bill a Get names: the server's `BillNum` or the sender's `SenderBillNum`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BillKey {
    /// The number the server assigned.
    BillNum(String),
    /// The number the sender chose (the idempotency key).
    SenderBillNum(String),
}

/// The filters and page of a List call; every field is optional.
///
/// ```
/// use posbridge_client::ListQuery;
///
/// let query = ListQuery { from: Some("20260101".into()), limit: Some(10), ..ListQuery::default() };
/// assert_eq!(query.to_query_string(), "from=20260101&limit=10");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Created at or after: RFC 3339 with an offset, or `yyyyMMdd` (the whole business day).
    pub from: Option<String>,
    /// Created at or before, as `from`.
    pub to: Option<String>,
    /// A `BillState`: `Initial`, `PartPaid`, `Paid`, `Deleted` or `Closed`.
    pub state: Option<String>,
    /// The `NextCursor` of the previous page.
    pub cursor: Option<String>,
    /// The page size, 1 to 500 (server default 50).
    pub limit: Option<u32>,
}

impl ListQuery {
    /// The query string (without `?`) of the given filters.
    pub fn to_query_string(&self) -> String {
        let limit = self.limit.map(|limit| limit.to_string());
        let pairs: Vec<(&str, &str)> = [
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("state", self.state.as_deref()),
            ("cursor", self.cursor.as_deref()),
            ("limit", limit.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect();
        encode_query(&pairs)
    }
}

impl Client {
    /// `POST api/Pos/Sell/Bill/AddOrUpdate`: creates the bill, replaces it while it is
    /// `Initial`, or (same content) answers its current state. Idempotent by `SenderBillNum`.
    pub async fn add_or_update(
        &self,
        bill: &PosSellFromWebInterfaceParm,
    ) -> Result<PosSellFromWebInterfaceResult, ClientError> {
        self.post("api/Pos/Sell/Bill/AddOrUpdate", bill).await
    }

    /// `POST api/Pos/Sell/Bill/PayBill`: records a payment. Idempotent by `PayNum`.
    pub async fn pay_bill(
        &self,
        payment: &PosSellPayBillParm,
    ) -> Result<PosSellPayBillResult, ClientError> {
        self.post("api/Pos/Sell/Bill/PayBill", payment).await
    }

    /// `POST api/Pos/Sell/Bill/DeleteOrClose`: deletes an `Initial` bill or closes a `PartPaid`
    /// one; repeating it answers the same.
    pub async fn delete_or_close(
        &self,
        bill: &PosSellDeleteOrCloseParm,
    ) -> Result<PosSellFromWebInterfaceResult, ClientError> {
        self.post("api/Pos/Sell/Bill/DeleteOrClose", bill).await
    }

    /// `GET api/Pos/Sell/Bill/Get`: the bill's view with lines, payments and history.
    pub async fn get_bill(&self, key: &BillKey) -> Result<PosSellBillView, ClientError> {
        let query = match key {
            BillKey::BillNum(num) => encode_query(&[("BillNum", num)]),
            BillKey::SenderBillNum(num) => encode_query(&[("SenderBillNum", num)]),
        };
        self.get("api/Pos/Sell/Bill/Get", query).await
    }

    /// `GET api/Pos/Sell/Bill/List`: one page of the customer unit's bills, newest first.
    pub async fn list_bills(&self, query: &ListQuery) -> Result<PosSellBillList, ClientError> {
        self.get("api/Pos/Sell/Bill/List", query.to_query_string())
            .await
    }
}
