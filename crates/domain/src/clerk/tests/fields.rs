//! Field validation of `contactInfo`, `isValid`, the times and `extendProps`.

use super::*;
use crate::limits::clerk as len;

#[test]
fn contact_needs_a_name_and_a_mobile() {
    let path = |field: &'static str| -> &'static str {
        match field {
            "name" => "clerks[0].contactInfo.name",
            "mobile" => "clerks[0].contactInfo.mobile",
            _ => unreachable!(),
        }
    };
    check_contact("no name", |c| c.name = None, Err((MISSING, path("name"))));
    check_contact(
        "empty mobile",
        |c| c.mobile = Some("".into()),
        Err((MISSING, path("mobile"))),
    );
    check_contact(
        "only a name",
        |c| {
            *c = ContactInfoDraft {
                name: Some("老王".into()),
                ..Default::default()
            }
        },
        Err((MISSING, path("mobile"))),
    );
    check_contact(
        "only the two",
        |c| {
            *c = ContactInfoDraft {
                name: Some("老王".into()),
                mobile: Some("1".into()),
                ..Default::default()
            }
        },
        Ok(()),
    );
    check_contact(
        "all empty is absent",
        |c| {
            *c = ContactInfoDraft {
                tel: Some("".into()),
                ..Default::default()
            }
        },
        Ok(()),
    );
    check_clerk("absent", |c| c.contact_info = None, Ok(()));
    let mut empty = seed_request();
    empty.clerks[0].contact_info = Some(ContactInfoDraft::default());
    let ClerkBatch::Add(clerks) = empty.validate().unwrap() else {
        unreachable!()
    };
    assert_eq!(clerks[0].contact_info, None);
}

#[test]
fn contact_birth_date_and_gender_have_a_format() {
    let birth = "clerks[0].contactInfo.birthDate";
    for ok in ["2017-02-12", "2000-02-29", "0001-01-01", "9999-12-31"] {
        check_contact(ok, |c| c.birth_date = Some(ok.into()), Ok(()));
    }
    for bad in [
        "2017-02-30",
        "2019-02-29",
        "2017/02/12",
        "20170212",
        "2017-2-12",
        "2017-02-12 00:00:00",
    ] {
        check_contact(
            bad,
            |c| c.birth_date = Some(bad.into()),
            Err((INVALID, birth)),
        );
    }
    let gender = "clerks[0].contactInfo.gender";
    check_contact("F", |c| c.gender = Some("F".into()), Ok(()));
    check_contact("empty", |c| c.gender = Some("".into()), Ok(()));
    for bad in ["m", "f", "男", "MALE", "X"] {
        check_contact(bad, |c| c.gender = Some(bad.into()), Err((INVALID, gender)));
    }
}

#[test]
fn contact_text_fields_have_lengths_only() {
    type Field = fn(&mut ContactInfoDraft) -> &mut Option<String>;
    let fields: [(Field, usize, &str); 11] = [
        (|c| &mut c.career, len::CONTACT_SHORT_MAX, "career"),
        (|c| &mut c.zip_code, len::CONTACT_PHONE_MAX, "zipCode"),
        (|c| &mut c.tel, len::CONTACT_PHONE_MAX, "tel"),
        (|c| &mut c.mobile, len::CONTACT_PHONE_MAX, "mobile"),
        (|c| &mut c.fax, len::CONTACT_PHONE_MAX, "fax"),
        (|c| &mut c.email, len::CONTACT_EMAIL_MAX, "email"),
        (|c| &mut c.province, len::CONTACT_SHORT_MAX, "province"),
        (|c| &mut c.city, len::CONTACT_SHORT_MAX, "city"),
        (|c| &mut c.area, len::CONTACT_SHORT_MAX, "area"),
        (|c| &mut c.town, len::CONTACT_SHORT_MAX, "town"),
        (
            |c| &mut c.detail_address,
            len::CONTACT_ADDRESS_MAX,
            "detailAddress",
        ),
    ];
    for (field, max, name) in fields {
        let path: &'static str = format!("clerks[0].contactInfo.{name}").leak();
        check_contact(name, |c| *field(c) = Some("杭".repeat(max)), Ok(()));
        check_contact(
            name,
            |c| *field(c) = Some("杭".repeat(max + 1)),
            Err((INVALID, path)),
        );
    }
    check_contact(
        "name",
        |c| c.name = Some("王".repeat(51)),
        Err((INVALID, "clerks[0].contactInfo.name")),
    );
    // The seed's own sample email is not an address, so no format is imposed.
    for email in ["098765", "not an email", "<a&b>"] {
        check_contact(email, |c| c.email = Some(email.into()), Ok(()));
    }
}

#[test]
fn is_valid_is_y_or_n_and_defaults_to_y() {
    let is_valid = |text: Option<&str>| {
        let mut draft = seed_request();
        draft.clerks[0].is_valid = text.map(str::to_owned);
        match draft.validate() {
            Ok(ClerkBatch::Add(clerks)) => Ok(clerks[0].is_valid),
            other => Err(other.map(|_| ()).unwrap_err().kind()),
        }
    };
    assert_eq!(is_valid(None), Ok(true));
    assert_eq!(is_valid(Some("")), Ok(true));
    assert_eq!(is_valid(Some("Y")), Ok(true));
    assert_eq!(is_valid(Some("N")), Ok(false));
    for bad in ["y", "n", "YES", "1", "true", "是"] {
        assert_eq!(is_valid(Some(bad)), Err(INVALID), "{bad}");
    }
}

#[test]
fn times_are_real_and_dashed() {
    for ok in ["2017-02-10 00:00:00", "2024-02-29 23:59:59", ""] {
        check_clerk(ok, |c| c.create_time = Some(ok.into()), Ok(()));
        check_clerk(ok, |c| c.latest_update_time = Some(ok.into()), Ok(()));
    }
    for bad in [
        "2017-02-10T00:00:00",
        "2017-02-10",
        "2017-02-30 00:00:00",
        "2017-02-10 24:00:00",
        "2017-02-10 00:00",
        "2017-02-10  00:00:00",
    ] {
        check_clerk(
            bad,
            |c| c.create_time = Some(bad.into()),
            Err((INVALID, "clerks[0].createTime")),
        );
        check_clerk(
            bad,
            |c| c.latest_update_time = Some(bad.into()),
            Err((INVALID, "clerks[0].latestUpdateTime")),
        );
    }
}

#[test]
fn extend_props_are_bounded() {
    let entries = |n: usize| (0..n).map(|i| (format!("k{i}"), "值".to_owned())).collect();
    check_clerk("fifty", |c| c.extend_props = entries(50), Ok(()));
    check_clerk(
        "fifty-one",
        |c| c.extend_props = entries(51),
        Err((TOO_MANY, "clerks[0].extendProps")),
    );
    let one = |key: String, value: String| BTreeMap::from([(key, value)]);
    check_clerk(
        "longest key",
        |c| c.extend_props = one("键".repeat(64), "v".into()),
        Ok(()),
    );
    let long_key: &'static str = format!("clerks[0].extendProps.{}", "键".repeat(65)).leak();
    check_clerk(
        "long key",
        |c| c.extend_props = one("键".repeat(65), "v".into()),
        Err((INVALID, long_key)),
    );
    check_clerk(
        "longest value",
        |c| c.extend_props = one("someKey".into(), "<".repeat(1000)),
        Ok(()),
    );
    let long_value = |c: &mut ClerkDraft| c.extend_props = one("someKey".into(), "<".repeat(1001));
    check_clerk(
        "long value",
        long_value,
        Err((INVALID, "clerks[0].extendProps.someKey")),
    );
    check_clerk(
        "empty value kept",
        |c| c.extend_props = one("someKey".into(), String::new()),
        Ok(()),
    );
}
