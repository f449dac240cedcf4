//! Qimen request DTOs to the domain's clerk drafts and back: plain field moves, nothing checked
//! here (the domain's `ClerkBatchDraft::validate` is the one place the rules live).
//!
//! The one change of shape: an absent `clerks` or `extendProps` is an empty list or map in the
//! draft, and the way back writes an empty one as absent.

use posbridge_domain::clerk::{ClerkBatchDraft, ClerkDraft, ContactInfoDraft};

use crate::dto::{QimenClerk, QimenContactInfo, QimenRequest};

/// A request read off the wire as the domain's draft.
///
/// ```
/// use posbridge_domain::clerk::ClerkBatchDraft;
/// use posbridge_protocol::qimen::{QimenFormat, read_request};
///
/// let body = br#"{"actionType":"add","clerks":{"storeCode":"M123","clerkCode":"C1"}}"#;
/// let draft = ClerkBatchDraft::from(read_request(body, QimenFormat::Json).unwrap());
/// assert_eq!(draft.clerks[0].clerk_code.as_deref(), Some("C1"));
/// ```
impl From<QimenRequest> for ClerkBatchDraft {
    fn from(request: QimenRequest) -> ClerkBatchDraft {
        ClerkBatchDraft {
            action_type: request.action_type,
            total: request.total,
            clerks: request
                .clerks
                .unwrap_or_default()
                .into_iter()
                .map(ClerkDraft::from)
                .collect(),
        }
    }
}

impl From<QimenClerk> for ClerkDraft {
    fn from(clerk: QimenClerk) -> ClerkDraft {
        ClerkDraft {
            store_code: clerk.store_code,
            clerk_code: clerk.clerk_code,
            source_clerk_code: clerk.source_clerk_code,
            clerk_name: clerk.clerk_name,
            clerk_type: clerk.clerk_type,
            contact_info: clerk.contact_info.map(ContactInfoDraft::from),
            is_valid: clerk.is_valid,
            create_time: clerk.create_time,
            latest_update_time: clerk.latest_update_time,
            extend_props: clerk.extend_props.unwrap_or_default(),
        }
    }
}

impl From<QimenContactInfo> for ContactInfoDraft {
    fn from(contact: QimenContactInfo) -> ContactInfoDraft {
        ContactInfoDraft {
            name: contact.name,
            birth_date: contact.birth_date,
            gender: contact.gender,
            career: contact.career,
            zip_code: contact.zip_code,
            tel: contact.tel,
            mobile: contact.mobile,
            fax: contact.fax,
            email: contact.email,
            province: contact.province,
            city: contact.city,
            area: contact.area,
            town: contact.town,
            detail_address: contact.detail_address,
        }
    }
}

/// A draft as a request to send (a client, or a test): `ClerkBatchDraft::from` gives it back.
impl From<&ClerkBatchDraft> for QimenRequest {
    fn from(draft: &ClerkBatchDraft) -> QimenRequest {
        QimenRequest {
            action_type: draft.action_type.clone(),
            total: draft.total,
            clerks: Some(draft.clerks.iter().map(QimenClerk::from).collect()),
        }
    }
}

impl From<&ClerkDraft> for QimenClerk {
    fn from(clerk: &ClerkDraft) -> QimenClerk {
        QimenClerk {
            store_code: clerk.store_code.clone(),
            clerk_code: clerk.clerk_code.clone(),
            source_clerk_code: clerk.source_clerk_code.clone(),
            clerk_name: clerk.clerk_name.clone(),
            clerk_type: clerk.clerk_type.clone(),
            contact_info: clerk.contact_info.as_ref().map(QimenContactInfo::from),
            is_valid: clerk.is_valid.clone(),
            create_time: clerk.create_time.clone(),
            latest_update_time: clerk.latest_update_time.clone(),
            extend_props: (!clerk.extend_props.is_empty()).then(|| clerk.extend_props.clone()),
        }
    }
}

impl From<&ContactInfoDraft> for QimenContactInfo {
    fn from(contact: &ContactInfoDraft) -> QimenContactInfo {
        QimenContactInfo {
            name: contact.name.clone(),
            birth_date: contact.birth_date.clone(),
            gender: contact.gender.clone(),
            career: contact.career.clone(),
            zip_code: contact.zip_code.clone(),
            tel: contact.tel.clone(),
            mobile: contact.mobile.clone(),
            fax: contact.fax.clone(),
            email: contact.email.clone(),
            province: contact.province.clone(),
            city: contact.city.clone(),
            area: contact.area.clone(),
            town: contact.town.clone(),
            detail_address: contact.detail_address.clone(),
        }
    }
}
