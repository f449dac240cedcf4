//! Rebate settlement endpoints (CONTRACT §6, `merchant` accounts): CalculateBill Add and Get.

use axum::extract::State;
use posbridge_domain::field::{FieldError, FieldPath, FieldProblem, char_len};
use posbridge_domain::limits::settlement::BILL_NUM_MAX;
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
        let bill_num = bill_num(call.head.query.get("BillNum"))?;
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

/// The `BillNum` of a Get, checked as the Add checks it: required (1002), at most
/// [`BILL_NUM_MAX`] characters (1003), as the sell bill Get checks its keys.
fn bill_num(given: Option<&str>) -> Result<&str, ApiError> {
    let bill_num = given.ok_or_else(|| ApiError::missing("BillNum"))?;
    let length = char_len(bill_num);
    if length > BILL_NUM_MAX {
        return Err(FieldError::Invalid {
            field: FieldPath::new("BillNum"),
            problem: FieldProblem::TooLong {
                max: BILL_NUM_MAX,
                given: length,
            },
        }
        .into());
    }
    Ok(bill_num)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_nums_are_checked_as_the_add_checks_them() {
        fn errcode(given: Option<&str>) -> Result<&str, i32> {
            bill_num(given).map_err(|e| e.wire_code().errcode())
        }
        assert_eq!(errcode(Some("JS-1")), Ok("JS-1"));
        let longest = "x".repeat(BILL_NUM_MAX);
        assert_eq!(errcode(Some(&longest)), Ok(longest.as_str()));
        assert_eq!(errcode(Some(&format!("{longest}x"))), Err(1003));
        // Characters are counted, not bytes.
        assert_eq!(
            errcode(Some(&"王".repeat(BILL_NUM_MAX))).map(char_len),
            Ok(32)
        );
        assert_eq!(errcode(None), Err(1002));
        let message = bill_num(Some(&"x".repeat(33))).unwrap_err();
        assert_eq!(
            message.message(),
            "field BillNum is 33 characters long, at most 32 are allowed"
        );
    }
}
