//! Hostile and broken input: each a clear [`FormatError`], quickly, and never a panic.

use super::*;

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PosSellDeleteOrCloseParm><BillNum>&lol9;</BillNum></PosSellDeleteOrCloseParm>"#;

const EXTERNAL_ENTITY: &str = r#"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<PosSellDeleteOrCloseParm><BillNum>&xxe;</BillNum></PosSellDeleteOrCloseParm>"#;

#[test]
fn dtds_and_entities_are_refused_before_any_expansion() {
    let doctype = FormatError::Forbidden("a DOCTYPE");
    check_refused(BILLION_LAUGHS.as_bytes(), &doctype);
    check_refused(EXTERNAL_ENTITY.as_bytes(), &doctype);
    check_refused(
        b"<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>",
        &doctype,
    );
    check_refused(b"<!DOCTYPE a><a/>", &doctype);
    check_refused(b"<a/><!DOCTYPE a>", &doctype);
    let entity = FormatError::Forbidden(read::FORBIDDEN_ENTITY);
    check_refused(b"<a><b>&foo;</b></a>", &entity);
    check_refused(b"<a><b>&lol9;</b></a>", &entity);
    check_refused(b"<a x=\"&foo;\"/>", &entity);
    check_refused(b"<a xmlns:p=\"&xxe;\"/>", &entity);
}

#[test]
fn nesting_is_bounded() {
    let nested = |depth: usize| format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let too_deep = FormatError::TooDeep { max: DEPTH_MAX };
    check_refused(nested(10_000).as_bytes(), &too_deep);
    check_refused(nested(DEPTH_MAX + 1).as_bytes(), &too_deep);
    // Unclosed, so that the limit must be met before the end is seen.
    check_refused("<a>".repeat(100_000).as_bytes(), &too_deep);
    assert!(is_malformed("<a/><a>".repeat(10).as_bytes()));
    assert!(read_xml(nested(DEPTH_MAX).as_bytes()).is_ok());
}

#[test]
fn size_is_bounded() {
    const WRAPPER: &str =
        "<PosSellDeleteOrCloseParm><BillNum></BillNum></PosSellDeleteOrCloseParm>";
    let document = |len: usize| {
        let text = "x".repeat(len - WRAPPER.len());
        format!("<PosSellDeleteOrCloseParm><BillNum>{text}</BillNum></PosSellDeleteOrCloseParm>")
    };
    let largest = document(BODY_MAX_BYTES);
    assert_eq!(largest.len(), BODY_MAX_BYTES);
    let parm: crate::dto::PosSellDeleteOrCloseParm = parse(largest.as_bytes());
    assert_eq!(
        parm.bill_num.map(|text| text.len()),
        Some(BODY_MAX_BYTES - WRAPPER.len())
    );
    let too_large = FormatError::TooLarge {
        max: BODY_MAX_BYTES,
    };
    check_refused(document(BODY_MAX_BYTES + 1).as_bytes(), &too_large);
    // The limit holds before anything else is looked at, garbage included.
    check_refused(&vec![0xFF; BODY_MAX_BYTES + 1], &too_large);
    // A byte order mark counts: the limit is on the body as sent.
    let with_bom = format!("\u{FEFF}{largest}");
    check_refused(with_bom.as_bytes(), &too_large);
}

#[test]
fn broken_documents_are_malformed() {
    for body in [
        &b""[..],
        b"   ",
        b"\xEF\xBB\xBF",
        // One byte order mark is fine; a second is U+FEFF before the root.
        b"\xEF\xBB\xBF\xEF\xBB\xBF<a/>",
        b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\xEF\xBB\xBF<a/>",
        b"<a>",
        b"<a><b></a>",
        b"<a></b>",
        b"</a>",
        b"<a/><b/>",
        b"<a></a><a></a>",
        b"x<a/>",
        b"<a/>x",
        b"<a/>&amp;",
        b"<a>text<b/></a>",
        b"<a><b/>text</a>",
        b"<a",
        b"<a b=\"1\" b=\"2\"/>",
        b"<a b=\"<\"/>",
        b"<a b/>",
        b"< a/>",
        b"<a:b:c/>",
        b"<1a/>",
        b"<a>&#0;</a>",
        b"<a>&#x1;</a>",
        b"<a>&#xFFFF;</a>",
        b"<a>&#xD800;</a>",
        b"<a>&#xZZ;</a>",
        b"<a>&amp</a>",
        b"<a>& b</a>",
        b"<a b=\"&#1;\"/>",
        b"<a><!-- a -- b --></a>",
        b"<a>\x01</a>",
        b"<a>\x00</a>",
        // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form.
        b"<a>\x80</a>",
        b"<a>\xE4\xB8</a>",
        b"<a>\xC0\xAF</a>",
        b"\xFF\xFE<\x00a\x00/\x00>\x00",
        // UTF-16 without a byte order mark reads as UTF-8 full of NULs.
        b"<\x00a\x00/\x00>\x00",
        b" <?xml version=\"1.0\"?><a/>",
        b"<a/><?xml version=\"1.0\"?>",
        b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>",
        b"<?xml version=\"1.0\" encoding=\"GBK\"?><a/>",
        b"<?xml version=\"1.1\"?><a/>",
    ] {
        assert!(is_malformed(body), "{}", String::from_utf8_lossy(body));
    }
}

#[test]
fn error_messages_say_what_is_wrong() {
    let message = |body: &[u8]| match read_xml(body) {
        Err(FormatError::Malformed(message)) => message,
        other => panic!("{other:?}"),
    };
    assert!(message(b"<a>\x80</a>").starts_with("body is not UTF-8"));
    assert_eq!(
        message(b"<a>\x01</a>"),
        "character U+0001 at byte 3 is not allowed in XML"
    );
    assert_eq!(message(b"<a/><b/>"), "more than one root element");
    assert_eq!(
        message(b"<a>x<b/></a>"),
        "element <a> mixes text and child elements"
    );
    assert_eq!(message(b"<a><b>"), "element <b> is not closed");
    assert_eq!(message(b""), "no root element");
    assert_eq!(
        message(b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>"),
        "encoding utf-16 is not supported, send UTF-8"
    );
    let mismatched = format!("<a></{}>", "n".repeat(100_000));
    assert!(message(mismatched.as_bytes()).chars().count() <= 201);
    let long = format!("<{}>", "n".repeat(1000));
    assert_eq!(
        message(long.as_bytes()),
        format!("element <{}> is not closed", "n".repeat(32))
    );
}

#[test]
fn wide_documents_stay_cheap() {
    let fill = |head: &str, unit: &str, tail: &str| {
        let n_units = (BODY_MAX_BYTES - head.len() - tail.len()) / unit.len();
        format!("{head}{}{tail}", unit.repeat(n_units))
    };
    let many_attributes = {
        let mut xml = String::from("<a");
        let mut index = 0;
        while xml.len() < BODY_MAX_BYTES - 32 {
            xml.push_str(&format!(" b{index}=\"\""));
            index += 1;
        }
        xml.push_str("/>");
        xml
    };
    for (what, body) in [
        ("siblings", fill("<a>", "<b/>", "</a>")),
        ("nil siblings", fill("<a>", "<b i:nil=\"true\"/>", "</a>")),
        ("references", fill("<a>", "&amp;", "</a>")),
        ("character references", fill("<a>", "&#x4E2D;", "</a>")),
        ("comments", fill("<a>", "<!---->", "</a>")),
        ("whitespace", fill("<a><b/>", " ", "</a>")),
        ("a long name", fill("<a", "a", "/>")),
        ("many attributes", many_attributes),
    ] {
        let read = read_xml(body.as_bytes());
        assert!(read.is_ok(), "{what}: {read:?}");
    }
}
