//! Qimen DTOs to bytes: answers for the server, requests for clients.
//!
//! XML is compact, without declaration or namespaces (`<response><flag>success</flag>…`), as
//! the seed's samples are once their indentation is removed; the charset travels in the
//! `Content-Type` header. JSON wraps the document in its root name (`{"response": {…}}`) and
//! lists in their item name (`"clerks": {"clerk": [...]}`), as the Qimen gateway writes them.
//! In both formats absent members are left out.

use std::borrow::Cow;

use super::QimenFormat;
use crate::dto::{QimenErrorResponse, QimenRequest, QimenResponse};
use crate::json::write_json;
use crate::node::{Node, Object};
use crate::read::WireType;
use crate::xml::{is_element_name, write_xml};

/// An `extendProps` key that cannot be an XML element name, so the request cannot be sent as
/// XML (JSON can carry it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("extendProps key {key:?} of clerks[{index}] is not an XML element name; send JSON")]
pub struct InvalidXmlName {
    /// The clerk's position in the request, from 0.
    pub index: usize,
    /// The key.
    pub key: String,
}

/// Writes an answer to a call that passed the gateway.
///
/// ```
/// use posbridge_protocol::dto::{QimenResponse, QimenResponseClerk};
/// use posbridge_protocol::qimen::{QimenFormat, write_response};
///
/// let response = QimenResponse {
///     flag: Some("success".into()),
///     code: Some("0".into()),
///     message: Some("ok".into()),
///     clerks: Some(vec![QimenResponseClerk {
///         clerk_code: Some("P123".into()),
///         clerk_name: None,
///         store_code: Some("M123".into()),
///     }]),
/// };
/// assert_eq!(
///     String::from_utf8(write_response(&response, QimenFormat::Json)).unwrap(),
///     r#"{"response":{"flag":"success","code":"0","message":"ok","clerks":{"clerk":[{"clerkCode":"P123","storeCode":"M123"}]}}}"#
/// );
/// ```
pub fn write_response(response: &QimenResponse, format: QimenFormat) -> Vec<u8> {
    write_document(&QimenResponse::TYPE_NAME.name, response.to_object(), format)
}

/// Writes a gateway failure. In JSON a numeric `code` is a JSON number, as the TOP gateway
/// writes it (`{"error_response":{"code":50,…}}`); in XML it is text either way.
pub fn write_error_response(response: &QimenErrorResponse, format: QimenFormat) -> Vec<u8> {
    let mut object = response.to_object();
    if format == QimenFormat::Json {
        for (name, value) in &mut object.fields {
            if name == "code"
                && let Node::Text(code) = value
                && is_json_integer(code)
            {
                *value = Node::Number(std::mem::take(code));
            }
        }
    }
    write_document(&QimenErrorResponse::TYPE_NAME.name, object, format)
}

/// Whether `text` can be written as a JSON number as it stands: digits without a leading zero
/// (`0012` is no JSON number), short enough for any reader's integer type.
fn is_json_integer(text: &str) -> bool {
    let digits = !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit());
    digits && (text == "0" || !text.starts_with('0'))
}

/// Writes a request for a client: XML `<request>…</request>` or JSON `{"request": {…}}`, both
/// of which [`super::read_request`] reads back to the same DTO.
///
/// XML carries `extendProps` as child elements named by their keys, so a key that is no XML
/// name (`a b`, `1st`, `x:y`) makes an XML request impossible: that is an error, never a
/// silently changed key.
pub fn write_request(
    request: &QimenRequest,
    format: QimenFormat,
) -> Result<Vec<u8>, InvalidXmlName> {
    if format == QimenFormat::Xml {
        check_xml_keys(request)?;
    }
    Ok(write_document(
        &QimenRequest::TYPE_NAME.name,
        request.to_object(),
        format,
    ))
}

fn check_xml_keys(request: &QimenRequest) -> Result<(), InvalidXmlName> {
    for (index, clerk) in request.clerks.iter().flatten().enumerate() {
        let mut keys = clerk.extend_props.iter().flat_map(|props| props.keys());
        if let Some(key) = keys.find(|key| !is_element_name(key)) {
            return Err(InvalidXmlName {
                index,
                key: key.clone(),
            });
        }
    }
    Ok(())
}

fn write_document(name: &str, object: Object, format: QimenFormat) -> Vec<u8> {
    match format {
        // The shared XML writer writes Qimen-dialect objects plainly, under their type's name.
        QimenFormat::Xml => write_xml(&Node::Object(object)).into_bytes(),
        QimenFormat::Json => {
            let root = Object {
                ty: None,
                fields: vec![(
                    Cow::Owned(name.to_owned()),
                    without_nulls(Node::Object(object)),
                )],
            };
            write_json(&Node::Object(root)).into_bytes()
        }
    }
}

/// The tree without null members: the Qimen gateway leaves absent members out rather than
/// writing `null`. The DTO trees this is given are a few levels deep.
fn without_nulls(node: Node) -> Node {
    match node {
        Node::Object(object) => Node::Object(Object {
            ty: object.ty,
            fields: object
                .fields
                .into_iter()
                .filter(|(_, value)| !matches!(value, Node::Null(_) | Node::Foreign(_)))
                .map(|(name, value)| (name, without_nulls(value)))
                .collect(),
        }),
        Node::List(mut list) => {
            list.items = list.items.into_iter().map(without_nulls).collect();
            Node::List(list)
        }
        other => other,
    }
}
