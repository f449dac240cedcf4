//! What every reader target does with a document it read: read each request DTO from it, map it
//! to its domain draft and validate that. Nothing may panic, whatever the bytes.

use posbridge_domain::sell_bill::{PaymentDraft, SellBillDraft};
use posbridge_domain::settlement::SettlementDraft;
use posbridge_protocol::dto::{
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm, PosSellPayBillParm,
    UnPosCustomerCalculateAddParm,
};
use posbridge_protocol::mapping::delete_or_close_ref;
use posbridge_protocol::node::Node;
use posbridge_protocol::read::WireType;

/// Reads every request DTO of the Web API from `node` and validates what reads.
pub fn exercise(node: &Node) {
    if let Ok(parm) = PosSellFromWebInterfaceParm::from_root(node) {
        let _ = SellBillDraft::from(&parm).validate();
    }
    if let Ok(parm) = PosSellPayBillParm::from_root(node) {
        let _ = PaymentDraft::from(&parm).validate();
    }
    if let Ok(parm) = PosSellDeleteOrCloseParm::from_root(node) {
        let _ = delete_or_close_ref(&parm);
    }
    if let Ok(parm) = UnPosCustomerCalculateAddParm::from_root(node) {
        let _ = SettlementDraft::from(&parm).validate();
    }
}
