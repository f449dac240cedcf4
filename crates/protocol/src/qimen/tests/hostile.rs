//! Hostile and broken bodies: each is a clean, typed error, found quickly, and nothing panics.

use proptest::prelude::*;

use crate::format_error::FormatError;
use crate::qimen::{
    BODY_MAX_BYTES, DEPTH_MAX, QimenFormat, QimenReadError, read_answer, read_request,
};

fn format_error(body: &[u8], format: QimenFormat) -> FormatError {
    match read_request(body, format) {
        Err(QimenReadError::Format(err)) => err,
        other => panic!("expected a format error, got {other:?}"),
    }
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<request><actionType>&lol9;</actionType></request>"#;

#[test]
fn dtds_and_entities_are_refused_before_expansion() {
    let forbidden = [
        (BILLION_LAUGHS, "a DOCTYPE"),
        (
            r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>&x;</request>"#,
            "a DOCTYPE",
        ),
        (
            r#"<!DOCTYPE request SYSTEM "http://example.invalid/q.dtd"><request/>"#,
            "a DOCTYPE",
        ),
        (
            "<request><actionType>&x;</actionType></request>",
            "an entity other than &lt; &gt; &amp; &apos; &quot;",
        ),
        (
            "<request><actionType>&nbsp;</actionType></request>",
            "an entity other than &lt; &gt; &amp; &apos; &quot;",
        ),
    ];
    for (body, what) in forbidden {
        assert_eq!(
            format_error(body.as_bytes(), QimenFormat::Xml),
            FormatError::Forbidden(what),
            "{body}"
        );
    }
}

#[test]
fn nesting_is_bounded() {
    let nested = |levels: usize| {
        format!(
            "<request>{}{}</request>",
            "<a>".repeat(levels - 1),
            "</a>".repeat(levels - 1)
        )
    };
    assert!(read_request(nested(DEPTH_MAX).as_bytes(), QimenFormat::Xml).is_ok());
    let too_deep = FormatError::TooDeep { max: DEPTH_MAX };
    assert_eq!(
        format_error(nested(DEPTH_MAX + 1).as_bytes(), QimenFormat::Xml),
        too_deep
    );
    assert_eq!(
        format_error(nested(10_000).as_bytes(), QimenFormat::Xml),
        too_deep
    );
    // Unclosed, so the reader must stop at the limit rather than at the end.
    let unclosed = "<a>".repeat(100_000);
    assert_eq!(
        format_error(unclosed.as_bytes(), QimenFormat::Xml),
        too_deep
    );

    let json = |levels: usize| {
        format!(
            "{}{}",
            r#"{"a":"#.repeat(levels - 1) + "{",
            "}".repeat(levels)
        )
    };
    assert!(read_request(json(DEPTH_MAX).as_bytes(), QimenFormat::Json).is_ok());
    assert_eq!(
        format_error(json(DEPTH_MAX + 1).as_bytes(), QimenFormat::Json),
        too_deep
    );
    // However deep, and unclosed too: the reader stops at the limit.
    assert_eq!(
        format_error(json(10_000).as_bytes(), QimenFormat::Json),
        too_deep
    );
    assert_eq!(
        format_error("[".repeat(100_000).as_bytes(), QimenFormat::Json),
        too_deep
    );
}

#[test]
fn size_is_bounded() {
    let too_large = FormatError::TooLarge {
        max: BODY_MAX_BYTES,
    };
    let filler = "x".repeat(BODY_MAX_BYTES);
    let xml = format!("<request><actionType>{filler}</actionType></request>");
    let json = format!(r#"{{"actionType":"{filler}"}}"#);
    assert_eq!(format_error(xml.as_bytes(), QimenFormat::Xml), too_large);
    assert_eq!(format_error(json.as_bytes(), QimenFormat::Json), too_large);
    // Just below the limit, a single long string reads (and the domain then refuses it).
    let filler = "老".repeat((BODY_MAX_BYTES - 100) / 3);
    let xml = format!("<request><actionType>{filler}</actionType></request>");
    let json = format!(r#"{{"actionType":"{filler}"}}"#);
    for (body, format) in [(xml, QimenFormat::Xml), (json, QimenFormat::Json)] {
        let request = read_request(body.as_bytes(), format).unwrap();
        assert_eq!(
            request.action_type.map(|text| text.chars().count()),
            Some(filler.chars().count())
        );
    }
}

#[test]
fn broken_xml_is_malformed() {
    let cases: Vec<(&[u8], &str)> = vec![
        (b"", "no root element"),
        (b"   ", "no root element"),
        (b"<request>", "not closed"),
        (b"<request><actionType>add</request>", ""),
        (b"<request/><request/>", "more than one root element"),
        (b"<request/>trailing", "text outside the root element"),
        (b"text<request/>", "text outside the root element"),
        (b"<request/>&amp;", "reference outside the root element"),
        (
            b" <?xml version=\"1.0\"?><request/>",
            "the XML declaration must come first",
        ),
        (
            b"<?xml version=\"1.0\" encoding=\"GBK\"?><request/>",
            "encoding GBK is not supported",
        ),
        (b"<request>\xff\xfe</request>", "body is not UTF-8"),
        (b"\xff\xfe<\x00r\x00/\x00>\x00", "body is not UTF-8"),
        (
            b"<request><a>&#0;</a></request>",
            "invalid character reference",
        ),
        (
            b"<request><a>&#1;</a></request>",
            "invalid character reference",
        ),
        (
            b"<request><a>&#xD800;</a></request>",
            "invalid character reference",
        ),
        (
            b"<request><a>&#x110000;</a></request>",
            "invalid character reference",
        ),
        (b"<request><a>a & b</a></request>", ""),
        (b"<request a=\"1\" a=\"2\"/>", ""),
        (b"<request a=1/>", ""),
        (b"<request", ""),
        (b"<request><!-- unterminated", ""),
        (b"<request><![CDATA[ unterminated", ""),
    ];
    // The shared XML reader's messages are checked in `xml::tests`; here each body must be
    // refused as malformed (the second member says why it is).
    for (body, why) in cases {
        match format_error(body, QimenFormat::Xml) {
            FormatError::Malformed(_) => {}
            other => panic!("{} ({why}): {other:?}", String::from_utf8_lossy(body)),
        }
    }
}

#[test]
fn broken_json_is_malformed() {
    for body in [
        &b""[..],
        b"{",
        b"{\"actionType\":}",
        b"{\"a\":\"\xff\"}",
        b"nul",
        b"{} {}",
    ] {
        assert!(
            matches!(
                format_error(body, QimenFormat::Json),
                FormatError::Malformed(_)
            ),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

/// Fragments that make up XML-ish documents, so random documents get past the first byte.
const FRAGMENTS: &[&str] = &[
    "<request>",
    "</request>",
    "<clerks>",
    "</clerks>",
    "<clerk>",
    "</clerk>",
    "<clerk/>",
    "<storeCode>",
    "</storeCode>",
    "<extendProps>",
    "</extendProps>",
    "<a:b x=\"1\">",
    "</a:b>",
    "&amp;",
    "&#x41;",
    "&lol;",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<?pi x?>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x>",
    "老王",
    " ",
    "\n",
    "\r",
    "text",
    "<",
    ">",
    "&",
    "\u{feff}",
];

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        for format in [QimenFormat::Xml, QimenFormat::Json] {
            let _ = read_request(&body, format);
            let _ = read_answer(&body, format);
        }
    }

    #[test]
    fn arbitrary_xml_fragments_never_panic(
        parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..40),
    ) {
        let body = parts.concat();
        let _ = read_request(body.as_bytes(), QimenFormat::Xml);
        let _ = read_answer(body.as_bytes(), QimenFormat::Xml);
    }
}
