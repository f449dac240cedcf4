//! Reading request bodies: the seed's sample in every spelling, member shapes, and the typed
//! errors of bodies that parse but do not fit.

use std::collections::BTreeMap;

use posbridge_domain::clerk::{ClerkBatch, ClerkBatchDraft};
use posbridge_domain::field::FieldError;

use super::*;
use crate::qimen::{QimenFormat, QimenReadError, read_request};

fn read(body: &str, format: QimenFormat) -> Result<QimenRequest, QimenReadError> {
    read_request(body.as_bytes(), format)
}

/// Every spelling of the seed's sample request, in both formats.
fn seed_spellings() -> Vec<(&'static str, String, QimenFormat)> {
    use QimenFormat::{Json, Xml};
    let inner = seed_clerk_inner_xml();
    let xml = |clerks: &str| {
        format!(
            "<request><actionType>add</actionType><total>12</total><clerks>{clerks}</clerks></request>"
        )
    };
    let clerk = seed_clerk_json();
    let json = |clerks: &str| format!(r#"{{"actionType":"add","total":12,"clerks":{clerks}}}"#);
    vec![
        ("xml as written", SEED_REQUEST_XML.to_owned(), Xml),
        (
            "xml indented, declared",
            SEED_REQUEST_INDENTED_XML.to_owned(),
            Xml,
        ),
        ("xml with a BOM", format!("\u{feff}{SEED_REQUEST_XML}"), Xml),
        ("xml single clerk in clerks", xml(inner), Xml),
        (
            "xml list of one",
            xml(&format!("<clerk>{inner}</clerk>")),
            Xml,
        ),
        (
            "xml names in other cases",
            xml(&format!("<Clerk>{inner}</Clerk>"))
                .replace("<request>", "<REQUEST>")
                .replace("</request>", "</REQUEST>")
                .replace("actionType>", "ACTIONTYPE>")
                .replace("storeCode>", "StoreCode>"),
            Xml,
        ),
        (
            "xml with CDATA, references, comments",
            SEED_REQUEST_XML
                .replace("<clerkName>Y123<", "<clerkName><![CDATA[Y1]]>&#50;&#x33;<")
                .replace("<tel>087654<", "<tel><!-- landline -->087654<")
                .replace("<career>码农<", "<career>&#x7801;农<"),
            Xml,
        ),
        (
            "xml with a namespace prefix",
            SEED_REQUEST_XML
                .replace("<request>", r#"<q:request xmlns:q="urn:qimen">"#)
                .replace("</request>", "</q:request>"),
            Xml,
        ),
        (
            "json wrapped, clerk list",
            SEED_REQUEST_JSON.to_owned(),
            Json,
        ),
        ("json bare array", json(&format!("[{clerk}]")), Json),
        (
            "json bare clerk list",
            json(&format!(r#"{{"clerk":[{clerk}]}}"#)),
            Json,
        ),
        (
            "json bare clerk object",
            json(&format!(r#"{{"clerk":{clerk}}}"#)),
            Json,
        ),
        ("json bare single clerk", json(clerk), Json),
        (
            "json wrapped single clerk, names in other cases",
            format!(r#"{{"Request":{}}}"#, json(clerk))
                .replace("\"clerks\"", "\"CLERKS\"")
                .replace("\"contactInfo\"", "\"ContactInfo\""),
            Json,
        ),
        (
            "json total as text",
            json(&format!("[{clerk}]")).replace(r#""total":12"#, r#""total":"12""#),
            Json,
        ),
        (
            "json with a BOM",
            format!("\u{feff}{SEED_REQUEST_JSON}"),
            Json,
        ),
    ]
}

#[test]
fn every_spelling_of_the_seed_sample_reads_the_same() {
    for (label, body, format) in seed_spellings() {
        let got = read(&body, format).unwrap_or_else(|err| panic!("{label}: {err}"));
        assert_eq!(got, seed_request(), "{label}");
    }
}

#[test]
fn the_seed_sample_maps_to_the_expected_draft() {
    for (label, body, format) in seed_spellings() {
        let draft = ClerkBatchDraft::from(read(&body, format).unwrap());
        assert_eq!(draft, seed_draft(), "{label}");
    }
}

#[test]
fn the_domain_validates_the_mapped_sample() {
    // The sample declares `total` 12 but sends one clerk: the domain refuses it, naming total.
    let draft = ClerkBatchDraft::from(seed_request());
    let err = draft.validate().unwrap_err();
    assert!(matches!(&err, FieldError::Invalid { field, .. } if field.as_str() == "total"));
    // With a truthful total it is an add of one full clerk.
    let draft = ClerkBatchDraft {
        total: Some(1),
        ..draft
    };
    let ClerkBatch::Add(clerks) = draft.validate().unwrap() else {
        panic!("not an add");
    };
    let contact = clerks[0].contact_info.as_ref().unwrap();
    assert_eq!(
        (clerks[0].clerk_name.as_str(), contact.mobile.as_str()),
        ("Y123", "123456")
    );
}

#[test]
fn several_clerks_keep_their_order() {
    let clerk = |code: &str| {
        format!("<clerk><storeCode>S1</storeCode><clerkCode>{code}</clerkCode></clerk>")
    };
    let xml = format!(
        "<request><actionType>delete</actionType><clerks>{}{}{}</clerks></request>",
        clerk("a"),
        clerk("b"),
        clerk("c")
    );
    let json = r#"{"actionType":"delete","clerks":{"clerk":[
        {"storeCode":"S1","clerkCode":"a"},{"storeCode":"S1","clerkCode":"b"},
        {"storeCode":"S1","clerkCode":"c"}]}}"#;
    for (body, format) in [(xml.as_str(), QimenFormat::Xml), (json, QimenFormat::Json)] {
        let codes: Vec<_> = read(body, format)
            .unwrap()
            .clerks
            .unwrap()
            .into_iter()
            .map(|clerk| clerk.clerk_code.unwrap())
            .collect();
        assert_eq!(codes, ["a", "b", "c"], "{body}");
    }
}

/// The first clerk of a request whose clerks are `clerks`, in either format.
fn first_clerk(clerks_xml: &str, clerks_json: &str) -> [QimenClerk; 2] {
    let xml = format!("<request><clerks><clerk>{clerks_xml}</clerk></clerks></request>");
    let json = format!(r#"{{"clerks":[{{{clerks_json}}}]}}"#);
    [(xml, QimenFormat::Xml), (json, QimenFormat::Json)].map(|(body, format)| {
        let clerks = read(&body, format).unwrap().clerks.unwrap();
        assert_eq!(clerks.len(), 1, "{body}");
        clerks.into_iter().next().unwrap()
    })
}

#[test]
fn extend_props_are_a_map_of_text() {
    let expect = BTreeMap::from([
        ("color".to_owned(), "red".to_owned()),
        ("级别".to_owned(), "3".to_owned()),
        ("empty".to_owned(), String::new()),
    ]);
    let clerks = first_clerk(
        "<extendProps><color>red</color><级别>3</级别><empty/></extendProps>",
        r#""extendProps":{"color":"red","级别":3,"empty":null}"#,
    );
    for clerk in clerks {
        assert_eq!(clerk.extend_props.as_ref(), Some(&expect));
    }
}

#[test]
fn empty_elements_are_empty_objects() {
    let empty = |clerk: &QimenClerk| (clerk.contact_info.clone(), clerk.extend_props.clone());
    let cases = [
        (
            "<contactInfo/><extendProps/>",
            r#""contactInfo":"","extendProps":{}"#,
            true,
        ),
        (
            "<contactInfo> </contactInfo><extendProps></extendProps>",
            r#""contactInfo":{},"extendProps":"""#,
            true,
        ),
        ("", r#""contactInfo":null,"extendProps":null"#, false),
    ];
    for (xml, json, present) in cases {
        let expect = if present {
            (Some(QimenContactInfo::default()), Some(BTreeMap::new()))
        } else {
            (None, None)
        };
        for clerk in first_clerk(xml, json) {
            assert_eq!(empty(&clerk), expect, "{xml}");
        }
    }
    // The domain reads an empty contact as no contact.
    let clerk = &first_clerk("<contactInfo/>", r#""contactInfo":{}"#)[0];
    let draft = posbridge_domain::clerk::ClerkDraft::from(clerk.clone());
    assert!(draft.contact_info.is_some_and(|contact| contact.is_empty()));
}

#[test]
fn empty_clerk_lists_are_empty() {
    let cases = [
        ("<request><clerks/></request>", QimenFormat::Xml, Some(0)),
        (
            "<request><clerks>\n </clerks></request>",
            QimenFormat::Xml,
            Some(0),
        ),
        ("<request/>", QimenFormat::Xml, None),
        (r#"{"clerks":[]}"#, QimenFormat::Json, Some(0)),
        (r#"{"clerks":{}}"#, QimenFormat::Json, Some(0)),
        (r#"{"clerks":{"clerk":null}}"#, QimenFormat::Json, Some(0)),
        (r#"{"clerks":{"clerk":[]}}"#, QimenFormat::Json, Some(0)),
        // An empty clerk is a clerk without fields, which the domain then refuses.
        (
            "<request><clerks><clerk/></clerks></request>",
            QimenFormat::Xml,
            Some(1),
        ),
        (r#"{"clerks":{"clerk":""}}"#, QimenFormat::Json, Some(1)),
        (r#"{"clerks":null}"#, QimenFormat::Json, None),
        (r#"{"request":{}}"#, QimenFormat::Json, None),
    ];
    for (body, format, expect) in cases {
        let got = read(body, format)
            .unwrap()
            .clerks
            .map(|clerks| clerks.len());
        assert_eq!(got, expect, "{body}");
    }
}

/// Bodies that parse but do not fit, with the `sub_msg` their gateway error carries.
#[test]
fn misfits_are_typed_errors_naming_the_field() {
    use QimenFormat::{Json, Xml};
    let cases = [
        (
            r#"{"total":"twelve"}"#,
            Json,
            "field total must be an integer",
        ),
        (
            "<request><total>1.5</total></request>",
            Xml,
            "field total must be an integer",
        ),
        (
            r#"{"clerks":[{"contactInfo":"x"}]}"#,
            Json,
            "field clerks[0].contactInfo must be an object",
        ),
        (
            "<request><clerks><clerk><contactInfo>x</contactInfo></clerk></clerks></request>",
            Xml,
            "field clerks[0].contactInfo must be an object",
        ),
        (
            r#"{"clerks":[{"extendProps":{"a":{"b":"c"}}}]}"#,
            Json,
            "field clerks[0].extendProps must be an object of text values",
        ),
        (
            "<request><clerks><clerk><extendProps><a><b>c</b></a></extendProps></clerk></clerks></request>",
            Xml,
            "field clerks[0].extendProps must be an object of text values",
        ),
        (r#"{"clerks":"all"}"#, Json, "field clerks must be a list"),
        (
            r#"{"clerks":[1]}"#,
            Json,
            "field clerks[0] must be an object",
        ),
        (
            "<request><clerks><clerk>x</clerk></clerks></request>",
            Xml,
            "field clerks[0] must be an object",
        ),
        (
            r#"{"actionType":{"a":1}}"#,
            Json,
            "field actionType must be text",
        ),
        (
            "<req/>",
            Xml,
            "body cannot be parsed: the root element must be <request>",
        ),
        (
            "<response/>",
            Xml,
            "body cannot be parsed: the root element must be <request>",
        ),
        (
            "<request>add</request>",
            Xml,
            "body cannot be parsed: request must be an object",
        ),
        (
            "[]",
            Json,
            "body cannot be parsed: the body must be a JSON object",
        ),
        (
            r#"{"request":5}"#,
            Json,
            "body cannot be parsed: request must be an object",
        ),
        (
            "<request>x<total>1</total></request>",
            Xml,
            "body cannot be parsed: element <request> mixes text and child elements",
        ),
    ];
    for (body, format, expect) in cases {
        let err = read(body, format).unwrap_err();
        assert_eq!(err.to_string(), expect, "{body}");
        let answer = err.to_gateway_error().to_response();
        assert_eq!(answer.code.as_deref(), Some("50"), "{body}");
        assert_eq!(
            answer.sub_code.as_deref(),
            Some("isv.invalid-parameter"),
            "{body}"
        );
        assert_eq!(answer.sub_msg.as_deref(), Some(expect), "{body}");
    }
}

#[test]
fn unknown_members_are_ignored() {
    let body = r#"{"actionType":"add","extra":{"deep":[1,2]},"clerks":{"clerk":[
        {"storeCode":"S1","clerkCode":"a","nickname":"x"}]}}"#;
    let request = read(body, QimenFormat::Json).unwrap();
    assert_eq!(request.clerks.unwrap()[0].clerk_code.as_deref(), Some("a"));
}
