//! Request and answer bodies to the generated Qimen DTOs, in XML or JSON.
//!
//! Before the generated reader sees a document, the shapes Qimen senders use are brought to one:
//! the JSON `{"request": …}` wrapper is removed; `clerks` becomes a list whether it came as a
//! JSON array, `<clerks><clerk>…</clerk>…</clerks>`, `{"clerk": [...]}`, `{"clerk": {...}}` or a
//! single clerk object (the seed's Java sample sends one); and an empty element where an object
//! belongs (`<clerk/>`, `<contactInfo/>`, `<extendProps/>`) is an object without members, as
//! `{}` would be. Member names match in any ASCII case throughout.

use super::QimenFormat;
use super::gateway::GatewayError;
use crate::dto::{QimenErrorResponse, QimenRequest, QimenResponse};
use crate::format_error::FormatError;
use crate::json::read_json_within;
use crate::limits::ReadLimits;
use crate::node::{List, Node, Object};
use crate::path::Path;
use crate::read::{ReadError, WireType};
use crate::xml::read_xml_root_within;

/// Why a Qimen body could not be read. The server answers it with `error_response` code 50,
/// `sub_code` `isv.invalid-parameter` and this error's text as `sub_msg`
/// ([`QimenReadError::to_gateway_error`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QimenReadError {
    /// Not a well-formed document, or refused (size, depth, DOCTYPE, entities, root element).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A member of the wrong shape (an object where text belongs, a `total` that is no integer).
    #[error(transparent)]
    Field(#[from] ReadError),
}

impl QimenReadError {
    /// The gateway failure answering this error.
    pub fn to_gateway_error(&self) -> GatewayError {
        GatewayError::invalid_parameter(self)
    }
}

impl From<QimenReadError> for GatewayError {
    fn from(err: QimenReadError) -> GatewayError {
        err.to_gateway_error()
    }
}

/// An answer as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QimenAnswer {
    /// `response`: the call passed the gateway; `flag` tells success from a business failure.
    Response(QimenResponse),
    /// `error_response`: the gateway refused the call.
    Error(QimenErrorResponse),
}

/// Reads a request body: XML `<request>…</request>` (declaration optional) or JSON, bare or
/// wrapped as `{"request": {…}}`.
///
/// ```
/// use posbridge_protocol::qimen::{QimenFormat, read_request};
///
/// let xml = b"<request><actionType>add</actionType><clerks><clerk><storeCode>M123</storeCode>\
///     </clerk><clerk><storeCode>M124</storeCode></clerk></clerks></request>";
/// let request = read_request(xml, QimenFormat::Xml).unwrap();
/// assert_eq!(request.clerks.unwrap()[1].store_code.as_deref(), Some("M124"));
///
/// let json = br#"{"request":{"ACTIONTYPE":"add","clerks":{"clerk":{"storeCode":"M123"}}}}"#;
/// let request = read_request(json, QimenFormat::Json).unwrap();
/// assert_eq!(request.action_type.as_deref(), Some("add"));
/// assert_eq!(request.clerks.unwrap().len(), 1);
/// ```
pub fn read_request(body: &[u8], format: QimenFormat) -> Result<QimenRequest, QimenReadError> {
    read_request_within(body, format, ReadLimits::DEFAULT)
}

/// [`read_request`] with a server's limits instead of
/// [`BODY_MAX_BYTES`](super::BODY_MAX_BYTES) and [`DEPTH_MAX`](super::DEPTH_MAX).
pub fn read_request_within(
    body: &[u8],
    format: QimenFormat,
    limits: ReadLimits,
) -> Result<QimenRequest, QimenReadError> {
    let node = match format {
        QimenFormat::Xml => {
            let root = read_xml_root_within(body, limits)?;
            if !root.name.eq_ignore_ascii_case("request") {
                return Err(wrong_root("the root element must be <request>"));
            }
            root.node
        }
        QimenFormat::Json => {
            let mut object = json_object(body, limits)?;
            match take_member(&mut object, "request") {
                Some(inner) => inner,
                None => Node::Object(object),
            }
        }
    };
    let request = normalise_members(into_object(node, "request")?);
    Ok(QimenRequest::from_object(&request, &Path::Root)?)
}

/// Reads an answer: `response` or `error_response`, as the root element in XML or the one
/// member of the root object in JSON.
pub fn read_answer(body: &[u8], format: QimenFormat) -> Result<QimenAnswer, QimenReadError> {
    let (name, node) = match format {
        QimenFormat::Xml => {
            let root = read_xml_root_within(body, ReadLimits::DEFAULT)?;
            (root.name, root.node)
        }
        QimenFormat::Json => {
            let mut object = json_object(body, ReadLimits::DEFAULT)?;
            ["response", "error_response"]
                .into_iter()
                .find_map(|name| Some((name.to_owned(), take_member(&mut object, name)?)))
                .ok_or_else(|| wrong_root("the answer must be a response or an error_response"))?
        }
    };
    if name.eq_ignore_ascii_case("response") {
        let response = normalise_members(into_object(node, "response")?);
        Ok(QimenAnswer::Response(QimenResponse::from_object(
            &response,
            &Path::Root,
        )?))
    } else if name.eq_ignore_ascii_case("error_response") {
        let error = into_object(node, "error_response")?;
        Ok(QimenAnswer::Error(QimenErrorResponse::from_object(
            &error,
            &Path::Root,
        )?))
    } else {
        Err(wrong_root(
            "the root element must be <response> or <error_response>",
        ))
    }
}

fn wrong_root(message: &str) -> QimenReadError {
    QimenReadError::Format(FormatError::WrongRoot(message.to_owned()))
}

/// A JSON body's root object, with the same size and depth limits as XML.
fn json_object(body: &[u8], limits: ReadLimits) -> Result<Object, QimenReadError> {
    // The JSON reader checks the size and skips a byte order mark itself.
    let node = read_json_within(body, limits)?;
    match node {
        Node::Object(object) => Ok(object),
        _ => Err(wrong_root("the body must be a JSON object")),
    }
}

/// Removes and returns the last member called `name` in any ASCII case (the one
/// [`Object::get`] would read).
fn take_member(object: &mut Object, name: &str) -> Option<Node> {
    let index = object
        .fields
        .iter()
        .rposition(|(key, _)| key.eq_ignore_ascii_case(name))?;
    Some(object.fields.remove(index).1)
}

/// The document element as an object; an empty `<request/>` is an object without members.
fn into_object(node: Node, what: &str) -> Result<Object, QimenReadError> {
    match node {
        Node::Object(object) => Ok(object),
        Node::Text(text) if text.trim().is_empty() => Ok(Object {
            ty: None,
            fields: Vec::new(),
        }),
        _ => Err(wrong_root(&format!("{what} must be an object"))),
    }
}

/// Brings `clerks`, `contactInfo` and `extendProps` members to the shapes the generated reader
/// expects, wherever they occur in the object (request, answer or clerk).
fn normalise_members(mut object: Object) -> Object {
    for (name, value) in &mut object.fields {
        let taken = std::mem::replace(value, Node::Null(None));
        *value = if name.eq_ignore_ascii_case("clerks") {
            clerk_list(taken)
        } else if name.eq_ignore_ascii_case("contactInfo")
            || name.eq_ignore_ascii_case("extendProps")
        {
            empty_text_as_object(taken)
        } else {
            taken
        };
    }
    object
}

/// Every spelling of `clerks` as a list of clerk objects; shapes that are no list at all
/// (text, numbers) are left for the generated reader to refuse with the field's name.
fn clerk_list(node: Node) -> Node {
    let items = match node {
        Node::List(list) => list.items,
        Node::Object(object) if is_clerk_wrapper(&object) => object
            .fields
            .into_iter()
            .flat_map(|(_, value)| match value {
                Node::List(list) => list.items,
                Node::Null(_) => Vec::new(),
                single => vec![single],
            })
            .collect(),
        // `{}` says as little as `[]`.
        Node::Object(object) if object.fields.is_empty() => Vec::new(),
        Node::Object(single) => vec![Node::Object(single)],
        other => return other,
    };
    let items = items
        .into_iter()
        .map(|item| match empty_text_as_object(item) {
            Node::Object(clerk) => Node::Object(normalise_members(clerk)),
            other => other,
        })
        .collect();
    Node::List(List { item: None, items })
}

/// Whether an object is the `{"clerk": …}` wrapper (or XML's repeated `<clerk>` children)
/// rather than a clerk: every member is called `clerk`. A clerk has no member of that name.
fn is_clerk_wrapper(object: &Object) -> bool {
    !object.fields.is_empty()
        && object
            .fields
            .iter()
            .all(|(name, _)| name.eq_ignore_ascii_case("clerk"))
}

/// An empty XML element where an object belongs is an object without members (XML cannot tell
/// the two apart), and an empty JSON string is read the same way so both formats agree. The
/// domain treats a contact without fields as absent.
fn empty_text_as_object(node: Node) -> Node {
    match node {
        Node::Text(text) if text.trim().is_empty() => Node::Object(Object {
            ty: None,
            fields: Vec::new(),
        }),
        other => other,
    }
}
