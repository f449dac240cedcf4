//! Paid sell bills of shop S001 (merchant 2) for customer unit TA/C001 (rate 0.30).

use std::collections::{BTreeMap, BTreeSet};

use crate::amounts::RebateRate;
use crate::calendar::Timestamp;
use crate::ids::{BillNum, CustomerUnit, MerchantId, PayNum, ShopId};
pub use crate::sell_bill::tests::fixture::d;
use crate::sell_bill::tests::fixture::{bill, channel, discounted, line, shop};
use crate::sell_bill::{Channel, PaymentRequest, SellBill};
use crate::settlement::{
    SettledQuantities, Settlement, SettlementContext, SettlementDetailDraft, SettlementDraft,
    SettlementError, settle,
};

pub struct World {
    pub bills: BTreeMap<BillNum, SellBill>,
    pub shops: BTreeSet<ShopId>,
    pub rate: Option<RebateRate>,
    pub settled: SettledQuantities,
}

fn sold(bill_num: &str, from: &Channel, pay: Option<&str>) -> (BillNum, SellBill) {
    // Lines: 1) 2 × product 1 at 99.00, 8.5/10 (84.15 each); 2) 3 × product 2 at 5.0;
    // 3) 1 × product 1 at 99.00. Total 282.30.
    let draft = bill(vec![
        discounted(line(1, "2", "99.00"), "8.5", "10"),
        line(2, "3", "5.0"),
        line(1, "1", "99.00"),
    ]);
    let content = draft.validate().unwrap();
    let bill_num = BillNum::new(bill_num);
    let (mut bill, _) =
        SellBill::create(bill_num.clone(), from, content, &shop(), Timestamp(0)).unwrap();
    let request = PaymentRequest {
        pay_num: PayNum::new("PAY-1"),
        amount: pay.map(|a| crate::money::Money::new(d(a)).unwrap()),
        pay_type: None,
        memory: None,
    };
    bill.pay(&request, Timestamp(1)).unwrap();
    (bill_num, bill)
}

pub fn world() -> World {
    let other_shop = Channel {
        shop_id: ShopId::new("S002"),
        ..channel()
    };
    let other_unit = Channel {
        customer: CustomerUnit::new("TA", "C002"),
        ..channel()
    };
    let bills = BTreeMap::from([
        sold("B-PAID", &channel(), None),
        sold("B-PAID-2", &channel(), None),
        sold("B-PART", &channel(), Some("100")),
        sold("B-OTHER-SHOP", &other_shop, None),
        sold("B-OTHER-UNIT", &other_unit, None),
    ]);
    World {
        bills,
        shops: BTreeSet::from([ShopId::new("S001"), ShopId::new("S002")]),
        rate: Some(RebateRate::new(d("0.30")).unwrap()),
        settled: SettledQuantities::new(),
    }
}

impl World {
    pub fn context(&self) -> SettlementContext<'_> {
        SettlementContext {
            merchant_id: MerchantId(2),
            merchant_shops: &self.shops,
            rebate_rate: self.rate,
            sell_bills: &self.bills,
            settled: &self.settled,
        }
    }

    /// Validates and settles; on success the ledger takes the settlement's quantities.
    pub fn settle(&mut self, draft: &SettlementDraft) -> Result<Settlement, SettlementError> {
        let content = draft.validate()?;
        let settlement = settle(content, &self.context())?;
        for (bill, product, quantity) in settlement.increments().iter() {
            self.settled.add(bill, product, quantity);
        }
        Ok(settlement)
    }
}

/// A detail of `product` on `sell_bill` with the fixture's snapshot prices.
pub fn detail(
    auto_id: i64,
    sell_bill: &str,
    product: i64,
    amount: &str,
    cal_price: &str,
) -> SettlementDetailDraft {
    let (listing, retail, lowest) = match product {
        1 => ("128.00", "99.00", "79.00"),
        _ => ("6", "5.0", "3"),
    };
    SettlementDetailDraft {
        sell_bill_num: Some(sell_bill.into()),
        auto_id: Some(auto_id),
        product_id: Some(product),
        amount: Some(d(amount)),
        listing_price: Some(d(listing)),
        retail_price: Some(d(retail)),
        lowest_retail_price: Some(d(lowest)),
        cal_price: Some(d(cal_price)),
        ..SettlementDetailDraft::default()
    }
}

pub fn settlement(bill_num: &str, details: Vec<SettlementDetailDraft>) -> SettlementDraft {
    SettlementDraft {
        bill_num: Some(bill_num.into()),
        merchant_id: Some(2),
        shop_id: Some("S001".into()),
        happen_date: Some("20240229".into()),
        happen_time: Some("083000".into()),
        customer_type: Some("TA".into()),
        customer_id: Some("C001".into()),
        cal_user_type: Some("2".into()),
        details,
        ..SettlementDraft::default()
    }
}
