//! Rebate settlement calls (CONTRACT §6, a `merchant` account's token): CalculateBill Add and
//! Get.

use posbridge_protocol::dto::{UnPosCustomerCalculateAddParm, UnPosCustomerCalculateView};
use posbridge_protocol::qimen::query::encode_query;

use crate::error::ClientError;
use crate::web::Client;

impl Client {
    /// `POST api/UnPos/Merchant/Customer/CalculateBill/Add`: returns the server's settlement
    /// id. Idempotent by (merchant, `BillNum`): identical content answers the same id.
    pub async fn add_settlement(
        &self,
        settlement: &UnPosCustomerCalculateAddParm,
    ) -> Result<String, ClientError> {
        self.post_text("api/UnPos/Merchant/Customer/CalculateBill/Add", settlement)
            .await
    }

    /// `GET api/UnPos/Merchant/Customer/CalculateBill/Get?BillNum=…`: the settlement's view.
    pub async fn get_settlement(
        &self,
        bill_num: &str,
    ) -> Result<UnPosCustomerCalculateView, ClientError> {
        let query = encode_query(&[("BillNum", bill_num)]);
        self.get("api/UnPos/Merchant/Customer/CalculateBill/Get", query)
            .await
    }
}
