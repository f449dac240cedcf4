//! The `response` of a call that passed the gateway: success with the clerks processed, or a
//! business failure (2101–2103) with the offending clerks.
//!
//! Codes and messages come in as arguments: the central errcode table chooses them, so that no
//! number is written down twice.

use posbridge_domain::clerk::{ClerkBatch, ClerkChange, ClerkKey, ClerkRejection};

use crate::dto::{QimenResponse, QimenResponseClerk};

/// `flag` of a successful call.
pub const FLAG_SUCCESS: &str = "success";

/// `flag` of a business failure.
pub const FLAG_FAILURE: &str = "failure";

/// `code` of a successful call.
pub const CODE_SUCCESS: &str = "0";

/// The answer to a batch that was applied: `flag` `success`, `code` `0`, and every clerk of the
/// request in order, as the planner's changes name them. A delete of a clerk the store never
/// held has no name to report, so its `clerkName` is left out.
///
/// ```
/// use posbridge_domain::clerk::{Clerk, ClerkChange, ClerkType};
/// use posbridge_domain::ids::ShopId;
/// use posbridge_protocol::qimen::answer::success_response;
///
/// let clerk = Clerk::new(ShopId::new("M123"), "P123", "D123", ClerkType::Dz);
/// let answer = success_response("success", &[ClerkChange::Insert { clerk }]);
/// assert_eq!(answer.flag.as_deref(), Some("success"));
/// assert_eq!(answer.code.as_deref(), Some("0"));
/// assert_eq!(answer.clerks.unwrap()[0].clerk_name.as_deref(), Some("D123"));
/// ```
pub fn success_response(message: &str, changes: &[ClerkChange]) -> QimenResponse {
    let clerks = changes
        .iter()
        .map(|change| response_clerk(&change.key(), change.clerk_name()))
        .collect();
    QimenResponse {
        flag: Some(FLAG_SUCCESS.to_owned()),
        code: Some(CODE_SUCCESS.to_owned()),
        message: Some(message.to_owned()),
        clerks: Some(clerks),
    }
}

/// The answer to a batch the planner rejected: `flag` `failure`, `code` the errcode the
/// central table chose for the rejection (as text), and the offending clerks.
pub fn failure_response(
    code: &str,
    message: &str,
    rejection: &ClerkRejection,
    batch: &ClerkBatch,
) -> QimenResponse {
    QimenResponse {
        flag: Some(FLAG_FAILURE.to_owned()),
        code: Some(code.to_owned()),
        message: Some(message.to_owned()),
        clerks: Some(offending_clerks(rejection, batch)),
    }
}

/// Every failing clerk of a rejection, in request order, with the name the request gave it
/// (a delete carries no name, so its `clerkName` is left out).
pub fn offending_clerks(rejection: &ClerkRejection, batch: &ClerkBatch) -> Vec<QimenResponseClerk> {
    rejection
        .failures()
        .map(|failure| {
            let name = match batch {
                ClerkBatch::Add(clerks) | ClerkBatch::Update(clerks) => clerks
                    .get(failure.index())
                    .map(|clerk| clerk.clerk_name.as_str()),
                ClerkBatch::Delete(_) => None,
            };
            response_clerk(failure.key(), name)
        })
        .collect()
}

fn response_clerk(key: &ClerkKey, name: Option<&str>) -> QimenResponseClerk {
    QimenResponseClerk {
        clerk_code: Some(key.clerk_code.clone()),
        clerk_name: name.map(str::to_owned),
        store_code: Some(key.store_code.as_str().to_owned()),
    }
}
