//! The clerk document: one [`Clerk`] with its contact information and extended properties.

use std::collections::BTreeMap;

use posbridge_domain::calendar::{CivilDate, CivilDateTime};
use posbridge_domain::clerk::{Clerk, ClerkType, ContactInfo, Gender};
use posbridge_domain::ids::ShopId;
use serde::{Deserialize, Serialize};

use super::{DOCUMENT_VERSION, check_version, corrupt, from_json, to_json};
use crate::error::StoreError;

const WHAT: &str = "clerk";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClerkDoc {
    v: u32,
    store_code: String,
    clerk_code: String,
    source_clerk_code: Option<String>,
    clerk_name: String,
    clerk_type: String,
    contact_info: Option<ContactDoc>,
    is_valid: bool,
    create_time: Option<String>,
    latest_update_time: Option<String>,
    extend_props: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContactDoc {
    name: String,
    birth_date: Option<String>,
    gender: Option<String>,
    career: Option<String>,
    zip_code: Option<String>,
    tel: Option<String>,
    mobile: String,
    fax: Option<String>,
    email: Option<String>,
    province: Option<String>,
    city: Option<String>,
    area: Option<String>,
    town: Option<String>,
    detail_address: Option<String>,
}

/// Encodes a clerk.
pub fn encode(clerk: &Clerk) -> String {
    let doc = ClerkDoc {
        v: DOCUMENT_VERSION,
        store_code: clerk.store_code.to_string(),
        clerk_code: clerk.clerk_code.clone(),
        source_clerk_code: clerk.source_clerk_code.clone(),
        clerk_name: clerk.clerk_name.clone(),
        clerk_type: clerk.clerk_type.as_str().to_owned(),
        contact_info: clerk.contact_info.as_ref().map(|c| ContactDoc {
            name: c.name.clone(),
            birth_date: c.birth_date.map(|d| d.to_string()),
            gender: c.gender.map(|g| g.as_str().to_owned()),
            career: c.career.clone(),
            zip_code: c.zip_code.clone(),
            tel: c.tel.clone(),
            mobile: c.mobile.clone(),
            fax: c.fax.clone(),
            email: c.email.clone(),
            province: c.province.clone(),
            city: c.city.clone(),
            area: c.area.clone(),
            town: c.town.clone(),
            detail_address: c.detail_address.clone(),
        }),
        is_valid: clerk.is_valid,
        create_time: clerk.create_time.map(|t| t.to_string()),
        latest_update_time: clerk.latest_update_time.map(|t| t.to_string()),
        extend_props: clerk.extend_props.clone(),
    };
    to_json(&doc)
}

/// Decodes a clerk.
pub fn decode(text: &str) -> Result<Clerk, StoreError> {
    let doc: ClerkDoc = from_json(WHAT, text)?;
    check_version(WHAT, doc.v)?;
    let date_time = |t: Option<String>, field: &str| {
        t.map(|t| CivilDateTime::parse(&t).ok_or_else(|| corrupt(WHAT, field)))
            .transpose()
    };
    let contact_info = doc
        .contact_info
        .map(|c| -> Result<ContactInfo, StoreError> {
            Ok(ContactInfo {
                name: c.name,
                birth_date: c
                    .birth_date
                    .map(|d| CivilDate::parse_dashed(&d).ok_or_else(|| corrupt(WHAT, "birthDate")))
                    .transpose()?,
                gender: c
                    .gender
                    .map(|g| Gender::parse(&g).ok_or_else(|| corrupt(WHAT, "gender")))
                    .transpose()?,
                career: c.career,
                zip_code: c.zip_code,
                tel: c.tel,
                mobile: c.mobile,
                fax: c.fax,
                email: c.email,
                province: c.province,
                city: c.city,
                area: c.area,
                town: c.town,
                detail_address: c.detail_address,
            })
        })
        .transpose()?;
    Ok(Clerk {
        store_code: ShopId::new(doc.store_code),
        clerk_code: doc.clerk_code,
        source_clerk_code: doc.source_clerk_code,
        clerk_name: doc.clerk_name,
        clerk_type: ClerkType::parse(&doc.clerk_type).ok_or_else(|| corrupt(WHAT, "clerkType"))?,
        contact_info,
        is_valid: doc.is_valid,
        create_time: date_time(doc.create_time, "createTime")?,
        latest_update_time: date_time(doc.latest_update_time, "latestUpdateTime")?,
        extend_props: doc.extend_props,
    })
}
