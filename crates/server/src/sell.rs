//! Sell bill endpoints (CONTRACT §5, `channel` accounts): AddOrUpdate, PayBill, DeleteOrClose,
//! Get and List.

use axum::extract::State;
use posbridge_domain::sell_bill::{
    BillRecord, BillRef, PaymentDraft, SellBill, SellBillDraft, SellBillError,
};
use posbridge_protocol::dto::{
    PosSellBillList, PosSellBillView, PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult, PosSellPayBillParm, PosSellPayBillResult,
};
use posbridge_protocol::mapping::{
    ViewOptions, add_or_update_result, bill_view, delete_or_close_ref, pay_bill_result,
};

use crate::answer::Reply;
use crate::app::App;
use crate::call::Call;
use crate::error::ApiError;
use crate::listing::{bill_query, encode_cursor};

/// Authenticates a channel account, then answers what `body` makes of the call.
macro_rules! channel_call {
    ($app:expr, $call:expr, |$account:ident, $c:ident| $body:expr) => {{
        let media = $call.head.response_type();
        match $call.head.channel(&$app).await {
            Err(error) => Reply::new(media, None, Err(error)),
            Ok($account) => {
                let id = $account.actor.account_id.clone();
                let $c = $call;
                let result = $body.await;
                Reply::new(media, Some(id), result)
            }
        }
    }};
}

/// `POST api/Pos/Sell/Bill/AddOrUpdate`.
pub async fn add_or_update(
    State(app): State<App>,
    call: Call,
) -> Reply<PosSellFromWebInterfaceResult> {
    channel_call!(app, call, |account, call| async {
        let parm: PosSellFromWebInterfaceParm = call.decode(app.read_limits).await?;
        let content = SellBillDraft::from(&parm).validate_within(app.counts)?;
        let change = app
            .store()
            .add_or_update_bill(&account.actor, &account.channel, &content, app.now())
            .await?;
        Ok(add_or_update_result(&restore(change.bill)?))
    })
}

/// `POST api/Pos/Sell/Bill/PayBill`.
pub async fn pay_bill(State(app): State<App>, call: Call) -> Reply<PosSellPayBillResult> {
    channel_call!(app, call, |account, call| async {
        let parm: PosSellPayBillParm = call.decode(app.read_limits).await?;
        let (bill, payment) = PaymentDraft::from(&parm).validate()?;
        let change = app
            .store()
            .pay_bill(
                &account.actor,
                &account.channel.customer,
                &bill,
                &payment,
                app.now(),
            )
            .await?;
        Ok(pay_bill_result(&restore(change.bill)?, &payment.pay_num))
    })
}

/// `POST api/Pos/Sell/Bill/DeleteOrClose`.
pub async fn delete_or_close(
    State(app): State<App>,
    call: Call,
) -> Reply<PosSellFromWebInterfaceResult> {
    channel_call!(app, call, |account, call| async {
        let parm: PosSellDeleteOrCloseParm = call.decode(app.read_limits).await?;
        let bill = delete_or_close_ref(&parm)?;
        let change = app
            .store()
            .delete_or_close_bill(&account.actor, &account.channel.customer, &bill, app.now())
            .await?;
        Ok(add_or_update_result(&restore(change.bill)?))
    })
}

/// `GET api/Pos/Sell/Bill/Get?BillNum=…` or `?SenderBillNum=…`.
pub async fn get(State(app): State<App>, call: Call) -> Reply<PosSellBillView> {
    channel_call!(app, call, |account, call| async {
        let bill = BillRef::parse(
            call.head.query.get("BillNum"),
            call.head.query.get("SenderBillNum"),
        )?;
        let record = app
            .store()
            .bill(&account.channel.customer, &bill)
            .await?
            .ok_or_else(|| ApiError::from(SellBillError::NotFound))?;
        let options = ViewOptions {
            offset: app.offset,
            history: true,
        };
        Ok(bill_view(&restore(record)?, options))
    })
}

/// `GET api/Pos/Sell/Bill/List?from=…&to=…&state=…&cursor=…&limit=…`.
pub async fn list(State(app): State<App>, call: Call) -> Reply<PosSellBillList> {
    channel_call!(app, call, |account, call| async {
        let query = bill_query(&call.head.query, app.offset)?;
        let page = app
            .store()
            .list_bills(&account.channel.customer, &query)
            .await?;
        let options = ViewOptions {
            offset: app.offset,
            history: false,
        };
        let bills = page
            .bills
            .into_iter()
            .map(|record| Ok(bill_view(&restore(record)?, options)))
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(PosSellBillList {
            bills: Some(bills),
            next_cursor: page.next_cursor.map(encode_cursor),
        })
    })
}

/// A stored bill as the aggregate the protocol's mapping reads (9001 if it is inconsistent).
fn restore(record: BillRecord) -> Result<SellBill, ApiError> {
    Ok(SellBill::restore(record)?)
}
