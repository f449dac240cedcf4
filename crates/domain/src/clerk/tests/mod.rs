//! Unit tests of the clerk rules, data-driven through `check` helpers; the seed's Java sample
//! is the shared fixture.

use std::collections::BTreeMap;

use super::*;
use crate::calendar::{CivilDate, CivilDateTime};
use crate::error_kind::ErrorKind;

mod fields;
mod plan;
mod properties;
mod validation;

/// The clerk of the seed's Java sample, field for field.
fn seed_clerk_draft() -> ClerkDraft {
    ClerkDraft {
        store_code: Some("M123".into()),
        clerk_code: Some("M123".into()),
        source_clerk_code: Some("E123".into()),
        clerk_name: Some("Y123".into()),
        clerk_type: Some("DZ".into()),
        contact_info: Some(ContactInfoDraft {
            name: Some("老王".into()),
            birth_date: Some("2017-02-12".into()),
            gender: Some("M".into()),
            career: Some("码农".into()),
            zip_code: Some("043356".into()),
            tel: Some("087654".into()),
            mobile: Some("123456".into()),
            fax: Some("12345".into()),
            email: Some("098765".into()),
            province: Some("浙江".into()),
            city: Some("杭州".into()),
            area: Some("余杭".into()),
            town: Some("西溪".into()),
            detail_address: Some("文一路".into()),
        }),
        is_valid: Some("Y".into()),
        create_time: Some("2017-02-10 00:00:00".into()),
        latest_update_time: Some("2017-02-10 00:00:00".into()),
        extend_props: BTreeMap::new(),
    }
}

/// The seed's request, with `total` equal to its one clerk (the sample sends 12, see below).
fn seed_request() -> ClerkBatchDraft {
    ClerkBatchDraft {
        action_type: Some("add".into()),
        total: Some(1),
        clerks: vec![seed_clerk_draft()],
    }
}

fn time(text: &str) -> Option<CivilDateTime> {
    Some(CivilDateTime::parse(text).unwrap())
}

fn seed_clerk() -> Clerk {
    Clerk {
        source_clerk_code: Some("E123".into()),
        contact_info: Some(ContactInfo {
            birth_date: CivilDate::new(2017, 2, 12),
            gender: Some(Gender::M),
            career: Some("码农".into()),
            zip_code: Some("043356".into()),
            tel: Some("087654".into()),
            fax: Some("12345".into()),
            email: Some("098765".into()),
            province: Some("浙江".into()),
            city: Some("杭州".into()),
            area: Some("余杭".into()),
            town: Some("西溪".into()),
            detail_address: Some("文一路".into()),
            ..ContactInfo::new("老王", "123456")
        }),
        create_time: time("2017-02-10 00:00:00"),
        latest_update_time: time("2017-02-10 00:00:00"),
        ..Clerk::new(ShopId::new("M123"), "M123", "Y123", ClerkType::Dz)
    }
}

type Expect = Result<(), (ErrorKind, &'static str)>;

/// Validates the seed request after `change` and compares the kind and field of the answer.
fn check(what: &str, change: impl FnOnce(&mut ClerkBatchDraft), expect: Expect) {
    let mut draft = seed_request();
    change(&mut draft);
    let got = draft
        .validate()
        .map(|_| ())
        .map_err(|err| (err.kind(), err.field().to_string()));
    let expect = expect.map_err(|(kind, field)| (kind, field.to_owned()));
    assert_eq!(got, expect, "{what}");
}

/// Like [`check`], changing the first clerk only.
fn check_clerk(what: &str, change: impl FnOnce(&mut ClerkDraft), expect: Expect) {
    check(what, |draft| change(&mut draft.clerks[0]), expect);
}

/// Like [`check_clerk`], changing the first clerk's contact only.
fn check_contact(what: &str, change: impl FnOnce(&mut ContactInfoDraft), expect: Expect) {
    check_clerk(
        what,
        |clerk| change(clerk.contact_info.as_mut().unwrap()),
        expect,
    );
}

const MISSING: ErrorKind = ErrorKind::MissingField;
const INVALID: ErrorKind = ErrorKind::InvalidField;
const TOO_MANY: ErrorKind = ErrorKind::TooManyItems;
