//! Qimen tests: the seed's samples (seed 000), every `clerks` spelling, answers, gateway errors,
//! signatures against vectors computed outside Rust, hostile input, and round trips.
//!
//! `data/` holds the seed's Java sample request serialised by hand (compact XML and JSON, the
//! bodies the signature vectors cover, and an indented XML with declaration) and the seed's
//! response and error samples exactly as the API document prints them.

mod answers;
mod gateway;
mod hostile;
mod proptests;
mod reading;
mod signing;
mod writing;

use std::collections::BTreeMap;

use posbridge_domain::clerk::{ClerkBatchDraft, ClerkDraft, ContactInfoDraft};

use crate::dto::{QimenClerk, QimenContactInfo, QimenRequest};

/// The seed's Java sample request as compact XML, exactly what `write_request` writes.
const SEED_REQUEST_XML: &str = include_str!("data/seed-000-request.xml");

/// The seed's Java sample request as compact JSON, exactly what `write_request` writes.
const SEED_REQUEST_JSON: &str = include_str!("data/seed-000-request.json");

/// The seed's Java sample request as an SDK might indent it, with a declaration.
const SEED_REQUEST_INDENTED_XML: &str = include_str!("data/seed-000-request.indented.xml");

/// The seed's response sample (响应示例), as printed.
const SEED_RESPONSE_XML: &str = include_str!("data/seed-000-response.indented.xml");

/// The seed's error sample (异常示例), as printed.
const SEED_ERROR_XML: &str = include_str!("data/seed-000-error.indented.xml");

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// The seed's sample contact (`obj2`), field by field.
fn seed_contact() -> QimenContactInfo {
    QimenContactInfo {
        name: s("老王"),
        birth_date: s("2017-02-12"),
        gender: s("M"),
        career: s("码农"),
        zip_code: s("043356"),
        tel: s("087654"),
        mobile: s("123456"),
        fax: s("12345"),
        email: s("098765"),
        province: s("浙江"),
        city: s("杭州"),
        area: s("余杭"),
        town: s("西溪"),
        detail_address: s("文一路"),
    }
}

/// The seed's sample clerk (`obj1`), field by field.
fn seed_clerk() -> QimenClerk {
    QimenClerk {
        store_code: s("M123"),
        clerk_code: s("M123"),
        source_clerk_code: s("E123"),
        clerk_name: s("Y123"),
        clerk_type: s("DZ"),
        contact_info: Some(seed_contact()),
        is_valid: s("Y"),
        create_time: s("2017-02-10 00:00:00"),
        latest_update_time: s("2017-02-10 00:00:00"),
        extend_props: None,
    }
}

/// The seed's sample request: `add`, `total` 12 (as the sample sets it), one clerk.
fn seed_request() -> QimenRequest {
    QimenRequest {
        action_type: s("add"),
        total: Some(12),
        clerks: Some(vec![seed_clerk()]),
    }
}

/// The domain draft the seed's request maps to, written out by hand.
fn seed_draft() -> ClerkBatchDraft {
    ClerkBatchDraft {
        action_type: s("add"),
        total: Some(12),
        clerks: vec![ClerkDraft {
            store_code: s("M123"),
            clerk_code: s("M123"),
            source_clerk_code: s("E123"),
            clerk_name: s("Y123"),
            clerk_type: s("DZ"),
            contact_info: Some(ContactInfoDraft {
                name: s("老王"),
                birth_date: s("2017-02-12"),
                gender: s("M"),
                career: s("码农"),
                zip_code: s("043356"),
                tel: s("087654"),
                mobile: s("123456"),
                fax: s("12345"),
                email: s("098765"),
                province: s("浙江"),
                city: s("杭州"),
                area: s("余杭"),
                town: s("西溪"),
                detail_address: s("文一路"),
            }),
            is_valid: s("Y"),
            create_time: s("2017-02-10 00:00:00"),
            latest_update_time: s("2017-02-10 00:00:00"),
            extend_props: BTreeMap::new(),
        }],
    }
}

/// An indented sample without its indentation: each line trimmed, lines joined. The samples'
/// values have no surrounding spaces, so this is exactly the compact document.
fn compact(indented: &str) -> String {
    indented.lines().map(str::trim).collect()
}

/// The inner XML of the seed's clerk: what sits between `<clerk>` and `</clerk>`.
fn seed_clerk_inner_xml() -> &'static str {
    let start = SEED_REQUEST_XML.find("<clerk>").unwrap() + "<clerk>".len();
    let end = SEED_REQUEST_XML.find("</clerk>").unwrap();
    &SEED_REQUEST_XML[start..end]
}

/// The seed's clerk as a JSON object.
fn seed_clerk_json() -> &'static str {
    let start = SEED_REQUEST_JSON.find("[").unwrap() + 1;
    let end = SEED_REQUEST_JSON.rfind("]").unwrap();
    &SEED_REQUEST_JSON[start..end]
}
