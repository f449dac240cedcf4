//! The table against CONTRACT §4: unique codes, the statuses the contract names, and a snapshot
//! so that removing or renumbering a code fails.

use super::*;

#[test]
fn codes_are_unique_and_in_order() {
    let codes: Vec<i32> = WireCode::ALL.iter().map(|code| code.errcode()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "errcodes are unique and ALL is in errcode order"
    );
    for code in WireCode::ALL {
        assert_eq!(WireCode::from_errcode(code.errcode()), Some(code));
    }
    assert_eq!(WireCode::from_errcode(1), None);
}

/// The whole table, written out once: a change to any code, status or Qimen answer shows here.
#[test]
fn snapshot_of_the_table() {
    let rows: Vec<String> = WireCode::ALL
        .iter()
        .map(|code| {
            let row = code.row();
            let qimen = match row.qimen {
                QimenAnswer::Gateway(top, sub_code) => {
                    format!("gateway {} {}", top.parts().0, sub_code.unwrap_or("-"))
                }
                QimenAnswer::BusinessFailure => "failure".to_owned(),
                QimenAnswer::Success => "success".to_owned(),
            };
            format!("{} {} {}", row.errcode, row.http_status, qimen)
        })
        .collect();
    assert_eq!(
        rows,
        [
            "0 200 success",
            "1001 400 gateway 50 isv.invalid-parameter",
            "1002 200 gateway 50 isv.invalid-parameter",
            "1003 200 gateway 50 isv.invalid-parameter",
            "1004 200 gateway 50 isv.invalid-parameter",
            "1005 413 gateway 50 isv.invalid-parameter",
            "1006 415 gateway 50 isv.invalid-parameter",
            "1007 404 gateway 22 -",
            "1008 405 gateway 22 -",
            "2001 200 failure",
            "2002 200 failure",
            "2003 200 failure",
            "2004 200 failure",
            "2005 200 failure",
            "2006 200 failure",
            "2101 200 failure",
            "2102 200 failure",
            "2103 200 failure",
            "3001 200 failure",
            "3002 200 failure",
            "3003 200 failure",
            "3004 200 failure",
            "3005 200 failure",
            "3006 200 failure",
            "4001 200 failure",
            "4002 200 failure",
            "4003 200 failure",
            "4004 200 failure",
            "4005 200 failure",
            "4006 200 failure",
            "5001 401 gateway 25 -",
            "5002 403 gateway 29 -",
            "9001 500 gateway 50 isp.unknown-error",
            "9002 503 gateway 50 isp.service-unavailable",
        ]
    );
}

#[test]
fn every_domain_kind_has_its_own_code() {
    let mut codes: Vec<WireCode> = ErrorKind::ALL
        .into_iter()
        .map(WireCode::from_kind)
        .collect();
    codes.dedup();
    assert_eq!(
        codes.len(),
        ErrorKind::ALL.len(),
        "no two kinds share a code"
    );
    // Domain kinds are business outcomes: HTTP 200 with the envelope.
    assert!(codes.iter().all(|code| code.http_status() == 200));
}

#[test]
fn top_codes_are_the_contracts() {
    let codes: Vec<&str> = TopCode::ALL.iter().map(|top| top.parts().0).collect();
    assert_eq!(codes, ["21", "22", "25", "28", "29", "31", "40", "50"]);
    assert_eq!(
        TopCode::RemoteServiceError.parts(),
        ("50", "Remote service error")
    );
}

#[test]
fn protocol_errors_map_to_1001_1003_and_1005() {
    use crate::read::ReadProblem;
    use posbridge_domain::field::FieldPath;
    assert_eq!(
        WireCode::from_format_error(&FormatError::Malformed("x".into())),
        WireCode::Unparseable
    );
    assert_eq!(
        WireCode::from_format_error(&FormatError::TooLarge { max: 1 }),
        WireCode::BodyTooLarge
    );
    let root = ReadError {
        field: FieldPath::new(""),
        problem: ReadProblem::NotAnObject,
    };
    assert_eq!(WireCode::from_read_error(&root), WireCode::Unparseable);
    let member = ReadError {
        field: FieldPath::new("Amount"),
        problem: ReadProblem::NotAnInteger,
    };
    assert_eq!(WireCode::from_read_error(&member), WireCode::InvalidField);
}
