//! Writer details the golden files do not show: deeper namespaces, member order, empty values,
//! names and characters XML cannot carry, and the plain (Qimen) dialect.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::*;
use crate::dto::{QimenClerk, QimenContactInfo, QimenRequest};
use crate::node::{Dialect, List, Object, TypeName};

const XSI: &str = "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"";

fn ty(name: &'static str, namespace: &'static str) -> TypeName {
    TypeName::fixed(name, namespace, Dialect::DataContract)
}

fn object(name: &'static str, namespace: &'static str, fields: Vec<(&'static str, Node)>) -> Node {
    Node::Object(Object::typed(
        ty(name, namespace),
        fields
            .into_iter()
            .map(|(name, node)| (Cow::Borrowed(name), node))
            .collect(),
    ))
}

fn text(value: &str) -> Node {
    Node::Text(value.to_owned())
}

fn check_write(node: &Node, expect: &str) {
    let xml = write_xml(node);
    assert_eq!(xml, expect);
    // Whatever is written can be read.
    if let Err(err) = read_xml(xml.as_bytes()) {
        panic!("{err}: {xml}");
    }
}

#[test]
fn namespaces_are_declared_where_needed_and_reused_when_in_scope() {
    let item = object("Item", "urn:c", vec![("u", text("1"))]);
    let list = Node::List(List {
        item: Some(ty("Item", "urn:c")),
        items: vec![item],
    });
    let middle = object(
        "Middle",
        "urn:b",
        vec![
            ("y", object("Inner", "urn:c", vec![("v", Node::Int(1))])),
            ("x", object("Back", "urn:a", vec![("w", text("back"))])),
            ("l", list),
            ("n", Node::Null(Some(ty("Inner", "urn:c")))),
            (
                "k",
                object(
                    "Inner",
                    "urn:c",
                    vec![("j", object("Again", "urn:b", vec![("h", text(""))]))],
                ),
            ),
        ],
    );
    let root = object("Root", "urn:a", vec![("z", text("t")), ("m", middle)]);
    check_write(
        &root,
        &format!(
            "<Root {XSI} xmlns=\"urn:a\"><m xmlns:d2p1=\"urn:b\">\
             <d2p1:k xmlns:d3p1=\"urn:c\"><d3p1:j><d2p1:h></d2p1:h></d3p1:j></d2p1:k>\
             <d2p1:l xmlns:d3p1=\"urn:c\"><d3p1:Item><d3p1:u>1</d3p1:u></d3p1:Item></d2p1:l>\
             <d2p1:n xmlns:d3p1=\"urn:c\" i:nil=\"true\" />\
             <d2p1:x><w>back</w></d2p1:x>\
             <d2p1:y xmlns:d3p1=\"urn:c\"><d3p1:v>1</d3p1:v></d2p1:y>\
             </m><z>t</z></Root>"
        ),
    );
}

#[test]
fn members_go_in_ordinal_order_and_maps_keep_theirs() {
    let root = object(
        "R",
        "urn:r",
        vec![
            ("b", Node::Int(1)),
            ("é", Node::Int(2)),
            ("B", Node::Int(3)),
            ("_", Node::Int(4)),
            ("a", Node::Int(5)),
            ("Z", Node::Int(6)),
            (
                "m",
                Node::Object(Object {
                    ty: None,
                    fields: vec![("y".into(), text("1")), ("x".into(), text("2"))],
                }),
            ),
        ],
    );
    check_write(
        &root,
        &format!(
            "<R {XSI} xmlns=\"urn:r\"><B>3</B><Z>6</Z><_>4</_><a>5</a><b>1</b>\
             <m><y>1</y><x>2</x></m><é>2</é></R>"
        ),
    );
}

#[test]
fn empty_values_and_plain_values() {
    let root = object(
        "R",
        "urn:r",
        vec![
            ("a", text("")),
            ("b", Node::Null(None)),
            ("c", object("E", "urn:r", vec![])),
            (
                "d",
                Node::List(List {
                    item: Some(ty("I", "urn:other")),
                    items: vec![],
                }),
            ),
            ("e", Node::Bool(true)),
            ("f", Node::Number("1e-2".into())),
            ("g", Node::Decimal("-0.500".parse().unwrap())),
            ("h", Node::Int(i64::MIN)),
            (
                "i",
                Node::List(List {
                    item: Some(ty("I", "urn:r")),
                    items: vec![Node::Null(None), object("I", "urn:r", vec![])],
                }),
            ),
        ],
    );
    check_write(
        &root,
        &format!(
            "<R {XSI} xmlns=\"urn:r\"><a></a><b i:nil=\"true\" /><c />\
             <d xmlns:d2p1=\"urn:other\" /><e>true</e><f>1e-2</f><g>-0.500</g>\
             <h>-9223372036854775808</h><i><I i:nil=\"true\" /><I /></i></R>"
        ),
    );
    check_write(
        &object("Empty", "urn:e", vec![]),
        &format!("<Empty {XSI} xmlns=\"urn:e\" />"),
    );
}

#[test]
fn text_is_escaped_and_characters_xml_cannot_carry_are_replaced() {
    let root = object(
        "R",
        "urn:r",
        vec![("t", text("<a href=\"x\">&'\r\n\t\u{0}\u{1F}\u{FFFE}😀</a>"))],
    );
    let xml = write_xml(&root);
    assert!(
        xml.contains(
            "<t>&lt;a href=\"x\"&gt;&amp;'&#xD;\n\t\u{FFFD}\u{FFFD}\u{FFFD}😀&lt;/a&gt;</t>"
        ),
        "{xml}"
    );
    check_read(
        &xml,
        "{t:\"<a href=\\\"x\\\">&'\\r\\n\\t\u{FFFD}\u{FFFD}\u{FFFD}😀</a>\"}",
    );
}

#[test]
fn names_that_are_not_xml_names_are_encoded() {
    let map = Node::Object(Object {
        ty: None,
        fields: vec![
            ("a b".into(), text("1")),
            ("1st".into(), text("2")),
            ("p:q".into(), text("3")),
            ("".into(), text("4")),
        ],
    });
    let root = Node::Object(Object::typed(
        TypeName::fixed("r<>", "urn:r\"&", Dialect::DataContract),
        vec![("m".into(), map)],
    ));
    check_write(
        &root,
        &format!(
            "<r_x003C__x003E_ {XSI} xmlns=\"urn:r&quot;&amp;\"><m><a_x0020_b>1</a_x0020_b>\
             <_x0031_st>2</_x0031_st><p_x003A_q>3</p_x003A_q><_>4</_></m></r_x003C__x003E_>"
        ),
    );
}

#[test]
fn roots_without_a_type_are_plain_elements() {
    check_write(&text("a&b"), "<root>a&amp;b</root>");
    check_write(&Node::Null(None), "<root></root>");
    check_write(
        &Node::Object(Object {
            ty: None,
            fields: vec![("x".into(), Node::Int(1)), ("n".into(), Node::Null(None))],
        }),
        "<root><x>1</x></root>",
    );
    check_write(
        &Node::List(List {
            item: None,
            items: vec![Node::Int(1), Node::Bool(false)],
        }),
        "<root><item>1</item><item>false</item></root>",
    );
}

fn qimen_request() -> QimenRequest {
    let mut props = BTreeMap::new();
    props.insert("a".to_owned(), "1".to_owned());
    props.insert("b".to_owned(), String::new());
    QimenRequest {
        action_type: Some("add".into()),
        total: None,
        clerks: Some(vec![
            QimenClerk {
                store_code: Some("S01".into()),
                clerk_code: Some("C1".into()),
                clerk_name: Some("王<1>".into()),
                contact_info: Some(QimenContactInfo {
                    name: Some("王".into()),
                    mobile: Some("138".into()),
                    ..QimenContactInfo::default()
                }),
                extend_props: Some(props),
                ..QimenClerk::default()
            },
            QimenClerk {
                store_code: Some("S01".into()),
                clerk_code: Some("C2".into()),
                is_valid: Some(String::new()),
                ..QimenClerk::default()
            },
        ]),
    }
}

#[test]
fn qimen_objects_are_plain_xml_in_their_own_order() {
    let request = qimen_request();
    let xml = write(&request);
    assert_eq!(
        xml,
        "<request><actionType>add</actionType><clerks>\
         <clerk><storeCode>S01</storeCode><clerkCode>C1</clerkCode><clerkName>王&lt;1&gt;</clerkName>\
         <contactInfo><name>王</name><mobile>138</mobile></contactInfo>\
         <extendProps><a>1</a><b></b></extendProps></clerk>\
         <clerk><storeCode>S01</storeCode><clerkCode>C2</clerkCode><isValid></isValid></clerk>\
         </clerks></request>"
    );
    assert_eq!(parse::<QimenRequest>(xml.as_bytes()), request);
    let empty = QimenRequest {
        clerks: Some(Vec::new()),
        ..QimenRequest::default()
    };
    assert_eq!(write(&empty), "<request><clerks></clerks></request>");
    assert_eq!(parse::<QimenRequest>(write(&empty).as_bytes()), empty);
}
