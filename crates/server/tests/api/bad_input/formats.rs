//! Bad XML and BSON over HTTP (CONTRACT §4, §8, §10): hostile nesting, DTDs and entities,
//! invalid UTF-8, byte order marks and declarations, truncated BSON and BSON elements of the
//! wrong type — each with its exact status and errcode, and nothing stored by any refused
//! request. The Qimen endpoint answers the same bodies with gateway error 50.

use axum::body::Body;
use axum::http::{Request, header};
use posbridge_protocol::dto::{PosSellBillView, PosSellFromWebInterfaceParm};

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";

fn add(media: &str, body: impl Into<Vec<u8>>) -> Request<Body> {
    Request::post(ADD)
        .header(header::AUTHORIZATION, format!("Bearer {CH_S001}"))
        .header(header::CONTENT_TYPE, media)
        .body(Body::from(body.into()))
        .expect("a request")
}

/// The bill `sender` of C001, if any.
async fn bill(app: &TestApp, sender: &str) -> Option<PosSellBillView> {
    let path = format!("/api/Pos/Sell/Bill/Get?SenderBillNum={sender}");
    app.get(&path, Some(CH_S001), JSON)
        .await
        .envelope::<PosSellBillView>()
        .tag
}

/// A DataContract XML bill of one scarf as .NET writes it.
fn xml_bill(sender: &str) -> String {
    let bytes = body_as::<PosSellFromWebInterfaceParm>(XML, &scarves(sender, "1", "99.00"));
    String::from_utf8(bytes).expect("UTF-8")
}

/// [`xml_bill`] with `extra` as the root's last child.
fn xml_bill_with(sender: &str, extra: &str) -> String {
    let end = "</PosSellFromWebInterfaceParm>";
    let bill = xml_bill(sender);
    assert!(bill.ends_with(end), "{bill}");
    bill.replace(end, &format!("{extra}{end}"))
}

/// `levels` nested `<a>` elements, the innermost empty.
fn elements(levels: usize) -> String {
    format!(
        "{}<a/>{}",
        "<a>".repeat(levels - 1),
        "</a>".repeat(levels - 1)
    )
}

#[tokio::test]
async fn xml_nesting_is_bounded_at_32_levels_without_exhausting_the_stack() {
    let app = spawn().await;
    // Root (1) > Extra (2) > 30 levels of <a>: 32 levels, an unknown member, read and ignored.
    let body = xml_bill_with("X-32", &format!("<Extra>{}</Extra>", elements(30)));
    app.post(ADD, Some(CH_S001), XML, body.into_bytes())
        .await
        .expect(200, 0);
    assert!(bill(&app, "X-32").await.is_some());
    for body in [
        xml_bill_with("X-33", &format!("<Extra>{}</Extra>", elements(31))),
        xml_bill_with("X-33", &format!("<Extra>{}</Extra>", elements(100_000))),
        "<a>".repeat(100_000),
        elements(100_000),
    ] {
        send_refused(&app, add(XML, body), 400, 1001).await;
    }
}

#[tokio::test]
async fn dtds_and_entities_are_refused_before_any_expansion() {
    let app = spawn().await;
    let template = xml_bill("E-1");
    let root = "<PosSellFromWebInterfaceParm ";
    let with_doctype = |doctype: &str| template.replacen(root, &format!("{doctype}{root}"), 1);
    let laughs = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\
                  <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;\">]>";
    for body in [
        with_doctype("<!DOCTYPE PosSellFromWebInterfaceParm>"),
        with_doctype("<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">"),
        with_doctype("<!-- a comment first --><!DOCTYPE r [<!ELEMENT r ANY>]>"),
        with_doctype("<!DOCTYPE r [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]>"),
        with_doctype("<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>")
            .replace(">Wang<", ">&e;<"),
        with_doctype(laughs).replace(">Wang<", ">&d;<"),
        // Entities nobody declared, in text and in an attribute.
        template.replace(">Wang<", ">&nbsp;<"),
        template.replace(">Wang<", ">&e;<"),
        template.replace("<GuestName>", "<GuestName i:nil=\"&e;\">"),
        // References to characters XML does not allow.
        template.replace(">Wang<", ">&#0;<"),
        template.replace(">Wang<", ">&#x1;<"),
        template.replace(">Wang<", ">&#xFFFE;<"),
        template.replace(">Wang<", ">&#xD800;<"),
        template.replace(">Wang<", ">&#x110000;<"),
    ] {
        send_refused(&app, add(XML, body), 400, 1001).await;
    }
    // The five predefined entities and character references are XML's own, and a DOCTYPE in
    // CDATA is only text.
    for (sender, text, stored) in [
        (
            "E-2",
            "&amp;&lt;&gt;&apos;&quot;&#x738B;&#29579;",
            "&<>'\"王王",
        ),
        ("E-3", "<![CDATA[<!DOCTYPE r>&e;]]>", "<!DOCTYPE r>&e;"),
    ] {
        let body = xml_bill(sender).replace(">Wang<", &format!(">{text}<"));
        app.post(ADD, Some(CH_S001), XML, body.into_bytes())
            .await
            .expect(200, 0);
        let view = bill(&app, sender).await.expect("the bill");
        assert_eq!(view.guest_name.as_deref(), Some(stored));
    }
}

/// `text` with its first `target` replaced by the bytes `bad`.
fn splice(text: &str, target: &str, bad: &[u8]) -> Vec<u8> {
    let at = text.find(target).expect("the target");
    [
        &text.as_bytes()[..at],
        bad,
        &text.as_bytes()[at + target.len()..],
    ]
    .concat()
}

#[tokio::test]
async fn invalid_utf8_and_forbidden_characters_in_xml_cannot_be_parsed() {
    let app = spawn().await;
    let bill = xml_bill("U-1");
    let splice = |target: &str, bad: &[u8]| splice(&bill, target, bad);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(bill.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for body in [
        splice("Wang", b"W\xffng"),
        splice("Wang", b"\xc0\xaf"),
        splice("Wang", b"\xed\xa0\x80"),
        splice("Wang", b"\xe7\x8e"),
        splice("GuestName>", b"Guest\xffName>"),
        splice("Wang", "W\u{1}ng".as_bytes()),
        splice("Wang", "W\u{FFFE}ng".as_bytes()),
        splice("Wang", b"W\x00ng"),
        utf16,
    ] {
        send_refused(&app, add(XML, body), 400, 1001).await;
    }
}

#[tokio::test]
async fn byte_order_marks_and_declarations() {
    let app = spawn().await;
    let bom = "\u{FEFF}";
    let declared = |encoding: &str| format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>");
    for (n, prefix) in [
        bom.to_owned(),
        format!("{bom}{}", declared("utf-8")),
        declared("UTF-8"),
        "<?xml version=\"1.0\"?>\r\n".to_owned(),
    ]
    .into_iter()
    .enumerate()
    {
        let sender = format!("B-{n}");
        let body = format!("{prefix}{}", xml_bill(&sender));
        app.post(ADD, Some(CH_S001), "text/xml", body.into_bytes())
            .await
            .expect(200, 0);
        assert!(bill(&app, &sender).await.is_some(), "{prefix:?}");
    }
    for prefix in [
        declared("GBK"),
        declared("ISO-8859-1"),
        declared("UTF-16"),
        "<?xml version=\"1.1\"?>".to_owned(),
        format!("<!-- first -->{}", declared("utf-8")),
        format!(" {}", declared("utf-8")),
    ] {
        let body = format!("{prefix}{}", xml_bill("B-X"));
        send_refused(&app, add(XML, body), 400, 1001).await;
    }
    // Not XML: two roots, text beside members, a member left open, a mismatched end.
    let bill = xml_bill("B-Y");
    for body in [
        format!("{bill}{bill}"),
        bill.replace("<GuestName>", "text<GuestName>"),
        bill.replace("</GuestName>", ""),
        bill.replace("</GuestName>", "</GuestNam>"),
    ] {
        send_refused(&app, add(XML, body), 400, 1001).await;
    }
}

#[tokio::test]
async fn a_doubled_byte_order_mark_is_not_xml() {
    let app = spawn().await;
    let body = format!("\u{FEFF}\u{FEFF}{}", xml_bill("B-2"));
    send_refused(&app, add(XML, body), 400, 1001).await;
    // Nor is one after the declaration.
    let declared = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    let body = format!("\u{FEFF}{declared}\u{FEFF}{}", xml_bill("B-2"));
    send_refused(&app, add(XML, body), 400, 1001).await;
}

/// A Qimen clerk request of one clerk at S001 with `extra` inside `<clerk>`.
fn qimen_xml(extra: &str) -> String {
    format!(
        "<request><actionType>add</actionType><clerks><clerk><storeCode>S001</storeCode>\
         <clerkCode>Q1</clerkCode><clerkName>Wang</clerkName><clerkType>DZ</clerkType>{extra}\
         </clerk></clerks></request>"
    )
}

#[tokio::test]
async fn the_qimen_endpoint_answers_bad_bodies_with_gateway_error_50() {
    let app = spawn().await;
    let before = stored(&app).await;
    let deep = |levels: usize| format!("<extendProps>{}</extendProps>", elements(levels));
    let json_deep = format!(
        r#"{{"actionType":"add","clerks":[{{"storeCode":"S001","clerkCode":"Q1","clerkName":"W","clerkType":"DZ","x":{}{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for body in [
        Vec::new(),
        b" \r\n".to_vec(),
        format!("<!DOCTYPE request>{}", qimen_xml("")).into_bytes(),
        qimen_xml("").replace(">Wang<", ">&e;<").into_bytes(),
        qimen_xml(&deep(29)).into_bytes(),
        qimen_xml(&deep(100_000)).into_bytes(),
        qimen_xml("").replace("Wang", "W\u{1}ng").into_bytes(),
        splice(&qimen_xml(""), "Wang", b"W\xffng"),
        b"{\"actionType\":\"add\",\"clerks\":".to_vec(),
        json_deep.into_bytes(),
        b"[]".to_vec(),
    ] {
        let answer = qimen_call(&app, &body).await;
        let outcome = qimen_outcome(&answer);
        assert!(
            matches!(&outcome, Err((code, _)) if code == "50"),
            "{}: {outcome:?}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(stored(&app).await, before);
    }
    let answer = qimen_call(&app, qimen_xml(&deep(29)).as_bytes()).await;
    assert!(
        matches!(qimen_outcome(&answer), Err((code, msg)) if code == "50" && msg.contains("deeper than 32"))
    );
    // 32 levels (request > clerks > clerk > extendProps > 28 more) are read, and a BOM is fine.
    let answer = qimen_call(&app, qimen_xml(&deep(28)).as_bytes()).await;
    assert!(
        matches!(qimen_outcome(&answer), Err((code, msg)) if code == "50" && msg.contains("extendProps"))
    );
    let answer = qimen_call(&app, format!("\u{FEFF}{}", qimen_xml("")).as_bytes()).await;
    assert_eq!(qimen_outcome(&answer), Ok("0".to_owned()));
}
