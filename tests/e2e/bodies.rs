//! Request bodies over the demo master data (`crates/cli/demo/master-data.json`).

/// The channel account of shop S001, customer unit TA/C001.
pub const CHANNEL_S001: &str = "demo-channel-s001";
/// The merchant account of merchant 2 (shops S001 and S002).
pub const MERCHANT_2: &str = "demo-merchant-2";

pub const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";
pub const PAY: &str = "/api/Pos/Sell/Bill/PayBill";
pub const GET: &str = "/api/Pos/Sell/Bill/Get";
pub const SETTLE: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Add";
pub const SETTLEMENT: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Get";

/// A bill of `amount` silk scarves at S001's retail price 99.00.
pub fn scarves(sender: &str, amount: u32) -> String {
    format!(
        r#"{{"SenderBillNum":"{sender}","GuestName":"Wang","PlanDeliverType":"1",
            "Details":[{{"ProductId":1,"Amount":{amount},"RetailPrice":"99.00","Unit":"pc"}}]}}"#
    )
}

/// A payment of `amount` on `bill_num` under `pay_num`.
pub fn payment(bill_num: &str, pay_num: &str, amount: &str) -> String {
    format!(
        r#"{{"BillNum":"{bill_num}","PayNum":"{pay_num}","PayAmount":{amount},"PayType":"Cash"}}"#
    )
}

/// A settlement `bill_num` rebating `amount` scarves of the sell bill `sell`.
pub fn settlement(bill_num: &str, sell: &str, amount: u32) -> String {
    format!(
        r#"{{"BillNum":"{bill_num}","MerchantId":2,"ShopId":"S001","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{{"SellBillNum":"{sell}","AutoId":1,"ProductId":1,"Amount":{amount},
              "ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90,
              "ProductName":"Silk scarf"}}]}}"#
    )
}
