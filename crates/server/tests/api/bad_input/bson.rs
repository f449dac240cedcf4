//! Bad BSON over HTTP (CONTRACT §4, §8, §10): truncated and inconsistent documents, invalid
//! UTF-8, hostile nesting, and elements of the wrong type — each with its exact status and
//! errcode, and nothing stored by any refused request. The documents are built byte by byte
//! here, independently of the protocol's BSON writer.

use axum::body::Body;
use axum::http::{Request, header};

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";

fn add(body: Vec<u8>) -> Request<Body> {
    Request::post(ADD)
        .header(header::AUTHORIZATION, format!("Bearer {CH_S001}"))
        .header(header::CONTENT_TYPE, BSON)
        .body(Body::from(body))
        .expect("a request")
}

/// A BSON value.
#[derive(Debug, Clone)]
enum B {
    Str(&'static str),
    I32(i32),
    I64(i64),
    F64(f64),
    Bool(bool),
    Null,
    Doc(Vec<(&'static str, B)>),
    Arr(Vec<B>),
    /// Any element: its type byte and its encoded value.
    Raw(u8, Vec<u8>),
}

fn le32(n: usize) -> [u8; 4] {
    i32::try_from(n).expect("a small length").to_le_bytes()
}

/// A document of these elements.
fn doc(fields: &[(&str, B)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (key, value) in fields {
        let (kind, bytes) = encode(value);
        body.push(kind);
        body.extend_from_slice(key.as_bytes());
        body.push(0);
        body.extend(bytes);
    }
    [&le32(body.len() + 5)[..], &body, &[0]].concat()
}

/// The type byte and the encoding of a value.
fn encode(value: &B) -> (u8, Vec<u8>) {
    match value {
        B::F64(value) => (0x01, value.to_le_bytes().to_vec()),
        B::Str(text) => (
            0x02,
            [&le32(text.len() + 1)[..], text.as_bytes(), &[0]].concat(),
        ),
        B::Doc(fields) => (0x03, doc(fields)),
        B::Arr(items) => {
            let keys: Vec<String> = (0..items.len()).map(|n| n.to_string()).collect();
            let fields: Vec<(&str, B)> = keys
                .iter()
                .map(String::as_str)
                .zip(items.iter().cloned())
                .collect();
            (0x04, doc(&fields))
        }
        B::Bool(value) => (0x08, vec![u8::from(*value)]),
        B::Null => (0x0A, Vec::new()),
        B::I32(value) => (0x10, value.to_le_bytes().to_vec()),
        B::I64(value) => (0x12, value.to_le_bytes().to_vec()),
        B::Raw(kind, bytes) => (*kind, bytes.clone()),
    }
}

/// A bill of one scarf at 99.00 with `header` and `line` members replacing or adding to the
/// defaults.
fn bill(header: &[(&'static str, B)], line: &[(&'static str, B)]) -> Vec<u8> {
    fn merge(
        mut base: Vec<(&'static str, B)>,
        over: &[(&'static str, B)],
    ) -> Vec<(&'static str, B)> {
        for (key, value) in over {
            match base.iter_mut().find(|(name, _)| name == key) {
                Some(member) => member.1 = value.clone(),
                None => base.push((key, value.clone())),
            }
        }
        base
    }
    let line = merge(
        vec![
            ("ProductId", B::I32(1)),
            ("Amount", B::Str("1")),
            ("RetailPrice", B::Str("99.00")),
        ],
        line,
    );
    let header = merge(
        vec![
            ("SenderBillNum", B::Str("BS-1")),
            ("Details", B::Arr(vec![B::Doc(line)])),
        ],
        header,
    );
    doc(&header)
}

/// `levels` nested documents (or arrays), the innermost empty, built without recursion.
fn nested(levels: usize, kind: u8) -> Vec<u8> {
    let key: &[u8] = if kind == 0x04 { b"0\0" } else { b"a\0" };
    let mut bytes = Vec::with_capacity(levels * 8);
    for level in 0..levels - 1 {
        bytes.extend_from_slice(&le32(5 + 8 * (levels - 1 - level)));
        bytes.push(kind);
        bytes.extend_from_slice(key);
    }
    bytes.extend_from_slice(&[5, 0, 0, 0, 0]);
    bytes.extend(std::iter::repeat_n(0, levels - 1));
    bytes
}

#[tokio::test]
async fn a_valid_document_built_here_is_accepted() {
    let app = spawn().await;
    app.post(ADD, Some(CH_S001), BSON, bill(&[], &[]))
        .await
        .expect(200, 0);
    assert_eq!(c001_bills(&app).await, 1);
}

#[tokio::test]
async fn truncated_and_inconsistent_documents_cannot_be_parsed() {
    let app = spawn().await;
    let good = bill(&[], &[]);
    let with_length = |length: usize| [&le32(length)[..], &good[4..]].concat();
    let mut no_terminator = good.clone();
    *no_terminator.last_mut().expect("a byte") = 1;
    let mut bad_type = good.clone();
    bad_type[4] = 0x99;
    let bad_string = |bytes: Vec<u8>| bill(&[("SenderBillNum", B::Raw(0x02, bytes))], &[]);
    for body in [
        good[..good.len() - 1].to_vec(),
        good[..good.len() / 2].to_vec(),
        good[..4].to_vec(),
        vec![0x05, 0x00, 0x00],
        with_length(good.len() + 1),
        with_length(good.len() - 1),
        with_length(0),
        [&(-1i32).to_le_bytes()[..], &good[4..]].concat(),
        [&good[..], &[0]].concat(),
        no_terminator,
        bad_type,
        // A string longer than its element, without its NUL, of negative length, not UTF-8.
        bad_string([&le32(100)[..], b"BS-1\0"].concat()),
        bad_string([&le32(5)[..], b"BS-12"].concat()),
        bad_string([&(-5i32).to_le_bytes()[..], b"BS-1\0"].concat()),
        bad_string([&le32(5)[..], b"B\xffS1\0"].concat()),
        bad_string([&le32(4)[..], b"\xed\xa0\x80\0"].concat()),
        // A key that is not UTF-8.
        doc(&[("SenderBillNum", B::Str("BS-1"))])
            .iter()
            .map(|&b| if b == b'N' { 0xff } else { b })
            .collect(),
        // An element type BSON does not define, under an unknown member.
        bill(&[("Extra", B::Raw(0x14, Vec::new()))], &[]),
        bill(&[("Extra", B::Raw(0x80, Vec::new()))], &[]),
        // A foreign element cut short.
        bill(&[("Extra", B::Raw(0x07, vec![7; 11]))], &[]),
    ] {
        send_refused(&app, add(body), 400, 1001).await;
    }
}

#[tokio::test]
async fn bson_nesting_is_bounded_at_32_levels_without_exhausting_the_stack() {
    let app = spawn().await;
    // The root is level 1: an unknown member 31 documents deep is level 32, read and ignored.
    let deepest = bill(&[("Extra", B::Raw(0x03, nested(31, 0x03)))], &[]);
    app.post(ADD, Some(CH_S001), BSON, deepest)
        .await
        .expect(200, 0);
    for body in [
        bill(
            &[
                ("SenderBillNum", B::Str("BS-2")),
                ("Extra", B::Raw(0x03, nested(32, 0x03))),
            ],
            &[],
        ),
        bill(
            &[
                ("SenderBillNum", B::Str("BS-2")),
                ("Extra", B::Raw(0x04, nested(32, 0x04))),
            ],
            &[],
        ),
        bill(
            &[
                ("SenderBillNum", B::Str("BS-2")),
                ("Extra", B::Raw(0x03, nested(100_000, 0x03))),
            ],
            &[],
        ),
        nested(100_000, 0x04),
    ] {
        send_refused(&app, add(body), 400, 1001).await;
    }
    assert_eq!(c001_bills(&app).await, 1);
}

#[tokio::test]
async fn elements_of_the_wrong_type_are_field_errors() {
    let app = spawn().await;
    let header = |key: &'static str, value: B| bill(&[(key, value)], &[]);
    let line = |key: &'static str, value: B| bill(&[], &[(key, value)]);
    for (body, errcode, field) in [
        (
            header("SenderBillNum", B::Doc(vec![])),
            1003,
            "SenderBillNum",
        ),
        (
            header("SenderBillNum", B::Arr(vec![B::Str("BS-1")])),
            1003,
            "SenderBillNum",
        ),
        (header("SenderBillNum", B::Null), 1002, "SenderBillNum"),
        (header("Details", B::Str("BS-1")), 1003, "Details"),
        (header("Details", B::I32(1)), 1003, "Details"),
        (
            header("Details", B::Arr(vec![B::Str("x")])),
            1003,
            "Details[0]",
        ),
        (header("Details", B::Arr(vec![])), 1002, "Details"),
        (header("MemberId", B::Str("one")), 1003, "MemberId"),
        (header("MemberId", B::F64(1.5)), 1003, "MemberId"),
        (
            header("MemberId", B::Str("9223372036854775808")),
            1003,
            "MemberId",
        ),
        (line("Amount", B::Bool(true)), 1003, "Details[0].Amount"),
        (line("Amount", B::Doc(vec![])), 1003, "Details[0].Amount"),
        (
            line("Amount", B::Arr(vec![B::I32(1)])),
            1003,
            "Details[0].Amount",
        ),
        (line("Amount", B::F64(f64::NAN)), 1003, "Details[0].Amount"),
        (
            line("Amount", B::F64(f64::INFINITY)),
            1003,
            "Details[0].Amount",
        ),
        (line("Amount", B::F64(1e300)), 1003, "Details[0].Amount"),
        (line("Amount", B::F64(1e12)), 1003, "Details[0].Amount"),
        (line("Amount", B::F64(1.00001)), 1003, "Details[0].Amount"),
        (line("Amount", B::F64(-0.0)), 1003, "Details[0].Amount"),
        (line("Amount", B::I64(i64::MAX)), 1003, "Details[0].Amount"),
        (line("Amount", B::Null), 1002, "Details[0].Amount"),
        (
            line("ProductId", B::Str("abc")),
            1003,
            "Details[0].ProductId",
        ),
        (line("ProductId", B::F64(1.5)), 1003, "Details[0].ProductId"),
        (
            line("RetailPrice", B::Bool(false)),
            1003,
            "Details[0].RetailPrice",
        ),
        (
            line("Unit", B::Doc(vec![("a", B::Str("pc"))])),
            1003,
            "Details[0].Unit",
        ),
    ] {
        let plain = send_refused(&app, add(body), 200, errcode).await;
        let errmsg = plain.errmsg.unwrap_or_default();
        assert!(errmsg.contains(field), "{field}: {errmsg}");
    }
}

/// Decimal128 `coefficient × 10^-scale`, as .NET and MongoDB encode it.
fn decimal128(coefficient: u64, scale: u64) -> B {
    let high: u64 = (6176 - scale) << 49;
    B::Raw(
        0x13,
        [coefficient.to_le_bytes(), high.to_le_bytes()].concat(),
    )
}

#[tokio::test]
async fn every_numeric_element_type_reads_exactly() {
    let app = spawn().await;
    app.post(ADD, Some(CH_S001), BSON, bill(&[], &[]))
        .await
        .expect(200, 0);
    let before = stored(&app).await;
    // Each is one scarf at 99.00 again: a replay, nothing stored.
    for body in [
        bill(
            &[],
            &[("Amount", B::F64(1.0)), ("RetailPrice", B::F64(99.0))],
        ),
        bill(&[], &[("Amount", B::I32(1)), ("RetailPrice", B::I32(99))]),
        bill(&[], &[("Amount", B::I64(1)), ("RetailPrice", B::I64(99))]),
        bill(
            &[],
            &[
                ("Amount", decimal128(1, 0)),
                ("RetailPrice", decimal128(9900, 2)),
            ],
        ),
        bill(
            &[],
            &[
                ("Amount", decimal128(1000, 3)),
                ("RetailPrice", B::Str(" 99 ")),
            ],
        ),
        bill(&[], &[("ProductId", B::F64(1.0))]),
        bill(&[], &[("ProductId", B::Str("1"))]),
        bill(&[], &[("ProductId", B::I64(1))]),
    ] {
        app.post(ADD, Some(CH_S001), BSON, body)
            .await
            .expect(200, 0);
        assert_eq!(stored(&app).await, before);
    }
    // A double keeps its shortest text: 0.1 is 0.1, not 0.1000000000000000055…
    let body = bill(
        &[("SenderBillNum", B::Str("BS-2"))],
        &[("Amount", B::F64(0.1))],
    );
    app.post(ADD, Some(CH_S001), BSON, body)
        .await
        .expect(200, 0);
    // A number where text belongs is its text, as Json.NET reads it.
    let body = bill(&[("SenderBillNum", B::I32(12345))], &[]);
    app.post(ADD, Some(CH_S001), BSON, body)
        .await
        .expect(200, 0);
    let found = app.get(
        "/api/Pos/Sell/Bill/Get?SenderBillNum=12345",
        Some(CH_S001),
        JSON,
    );
    found.await.expect(200, 0);
}

/// Element types posbridge has no use for: ObjectId, binary, UTC datetime, regex, JavaScript,
/// timestamp — all of which Json.NET's BSON reader reads (and skips where no member takes them)
/// — and DBPointer, symbol, JavaScript with scope, min key and max key, which BSON defines too
/// (Json.NET refuses min and max key; posbridge ignores them like any unknown member).
fn foreign_elements() -> Vec<B> {
    let code = |text: &[u8]| [&le32(text.len() + 1)[..], text, &[0]].concat();
    vec![
        B::Raw(0x07, vec![7; 12]),
        B::Raw(0x05, [&le32(3)[..], &[0], b"abc"].concat()),
        B::Raw(0x09, 1_714_521_600_000i64.to_le_bytes().to_vec()),
        B::Raw(0x0B, b"a+\0i\0".to_vec()),
        B::Raw(0x0D, [&le32(2)[..], b"x\0"].concat()),
        B::Raw(0x11, 0u64.to_le_bytes().to_vec()),
        B::Raw(0x0C, [code(b"db.c"), vec![7; 12]].concat()),
        B::Raw(0x0E, code(b"sym")),
        B::Raw(0x0F, {
            let scope = doc(&[("x", B::I32(1))]);
            let body = [code(b"x"), scope].concat();
            [&le32(body.len() + 4)[..], &body].concat()
        }),
        B::Raw(0xFF, Vec::new()),
        B::Raw(0x7F, Vec::new()),
    ]
}

#[tokio::test]
async fn unknown_members_of_any_element_type_are_ignored() {
    const SENDERS: [&str; 11] = [
        "F-0", "F-1", "F-2", "F-3", "F-4", "F-5", "F-6", "F-7", "F-8", "F-9", "F-10",
    ];
    let app = spawn().await;
    let foreign = foreign_elements();
    assert_eq!(foreign.len(), SENDERS.len());
    for (sender, value) in SENDERS.into_iter().zip(foreign) {
        let body = bill(
            &[("SenderBillNum", B::Str(sender)), ("Extra", value.clone())],
            &[],
        );
        let answer = app.post(ADD, Some(CH_S001), BSON, body).await;
        assert_eq!(
            answer.status,
            200,
            "{value:?}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        answer.expect(200, 0);
    }
    assert_eq!(c001_bills(&app).await, SENDERS.len());
    // In a line, nested in an unknown document, and in an unknown list too.
    let body = bill(
        &[
            ("SenderBillNum", B::Str("F-X")),
            ("Extra", B::Doc(vec![("a", foreign_elements()[0].clone())])),
            ("More", B::Arr(foreign_elements())),
        ],
        &[("Extra", foreign_elements()[1].clone())],
    );
    app.post(ADD, Some(CH_S001), BSON, body)
        .await
        .expect(200, 0);
    assert_eq!(c001_bills(&app).await, SENDERS.len() + 1);
}

/// A known member (number, text or list) holding an ObjectId, a binary, a datetime, … is
/// well-formed BSON with a field of the wrong format: 1003 naming the field, as for a boolean or
/// a document there.
#[tokio::test]
async fn known_fields_of_a_foreign_element_type_are_field_errors() {
    let app = spawn().await;
    for value in foreign_elements() {
        for (body, field) in [
            (bill(&[("MemberId", value.clone())], &[]), "MemberId"),
            (bill(&[], &[("Amount", value.clone())]), "Details[0].Amount"),
            (bill(&[("GuestName", value.clone())], &[]), "GuestName"),
            (bill(&[("Details", value.clone())], &[]), "Details"),
        ] {
            let plain = send_refused(&app, add(body), 200, 1003).await;
            assert!(
                plain.errmsg.unwrap_or_default().contains(field),
                "{value:?}"
            );
        }
    }
}
