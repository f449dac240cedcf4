//! Rebate settlement endpoints (CONTRACT §6, `merchant` accounts): CalculateBill Add and Get.

use axum::extract::State;
use posbridge_domain::settlement::{SettlementDraft, SettlementError};
use posbridge_protocol::dto::{UnPosCustomerCalculateAddParm, UnPosCustomerCalculateView};
use posbridge_protocol::mapping::settlement_view;

use crate::answer::{Reply, Text};
use crate::app::App;
use crate::call::Call;
use crate::error::ApiError;

/// Authenticates a merchant account, then answers what `body` makes of the call.
macro_rules! merchant_call {
    ($app:expr, $call:expr, |$account:ident, $c:ident| $body:expr) => {{
        let media = $call.head.response_type();
        match $call.head.merchant(&$app).await {
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

/// `POST api/UnPos/Merchant/Customer/CalculateBill/Add`: the tag is the settlement id.
pub async fn add(State(app): State<App>, call: Call) -> Reply<Text> {
    merchant_call!(app, call, |account, call| async {
        let parm: UnPosCustomerCalculateAddParm = call.decode(app.read_limits).await?;
        let content = SettlementDraft::from(&parm).validate_within(app.counts)?;
        let change = app
            .store()
            .add_settlement(&account.actor, account.merchant_id, &content, app.now())
            .await?;
        Ok(Text(Some(change.record.id.to_string())))
    })
}

/// `GET api/UnPos/Merchant/Customer/CalculateBill/Get?BillNum=…`.
pub async fn get(State(app): State<App>, call: Call) -> Reply<UnPosCustomerCalculateView> {
    merchant_call!(app, call, |account, call| async {
        let bill_num = call
            .head
            .query
            .get("BillNum")
            .ok_or_else(|| ApiError::missing("BillNum"))?;
        let record = app
            .store()
            .settlement(account.merchant_id, bill_num)
            .await?
            .ok_or_else(|| {
                ApiError::from(SettlementError::NotFound {
                    bill_num: bill_num.to_owned(),
                })
            })?;
        Ok(settlement_view(
            &record.settlement,
            &record.id.to_string(),
            record.created_at,
            app.offset,
        ))
    })
}
