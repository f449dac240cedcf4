//! BSON bytes to a [`Node`] tree, walked without recursion beyond the depth limit.

use std::borrow::Cow;

use bson::raw::{RawArray, RawBsonRef, RawDocument};

use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::node::{List, Node, Object};

/// Reads a BSON document. Bodies over [`BODY_MAX_BYTES`](crate::limits::BODY_MAX_BYTES),
/// malformed bytes (an unknown element type among them) and nesting deeper than
/// [`DEPTH_MAX`](crate::limits::DEPTH_MAX) are [`FormatError`]s. Members keep their order,
/// repeated names included.
///
/// Element types no DTO member takes (ObjectId, binary, datetime, regular expression,
/// JavaScript code with or without scope, timestamp, symbol, DBPointer, min and max key) are
/// read as [`Node::Foreign`]: ignored under an unknown member, as Json.NET's reader skips what
/// the contract does not know, and a field error where a member is read. Their content is not
/// walked.
pub fn read_bson(bytes: &[u8]) -> Result<Node, FormatError> {
    read_bson_within(bytes, ReadLimits::DEFAULT)
}

/// [`read_bson`] with a server's limits instead of the contract's. The walk recurses once per
/// level, at most [`DEPTH_CEILING`](crate::limits::DEPTH_CEILING) levels deep.
pub fn read_bson_within(bytes: &[u8], limits: ReadLimits) -> Result<Node, FormatError> {
    limits.check_size(bytes)?;
    let document = RawDocument::from_bytes(bytes).map_err(malformed)?;
    document_node(document, 1, limits)
}

fn malformed(err: impl std::fmt::Display) -> FormatError {
    FormatError::Malformed(format!("invalid BSON: {err}"))
}

fn document_node(
    document: &RawDocument,
    depth: usize,
    limits: ReadLimits,
) -> Result<Node, FormatError> {
    limits.check_level(depth)?;
    let mut fields = Vec::new();
    for element in document.iter() {
        let (key, value) = element.map_err(malformed)?;
        fields.push((
            Cow::Owned(key.as_str().to_owned()),
            value_node(value, depth, limits)?,
        ));
    }
    Ok(Node::Object(Object { ty: None, fields }))
}

fn array_node(array: &RawArray, depth: usize, limits: ReadLimits) -> Result<Node, FormatError> {
    limits.check_level(depth)?;
    let mut items = Vec::new();
    for item in array {
        items.push(value_node(item.map_err(malformed)?, depth, limits)?);
    }
    Ok(Node::List(List { item: None, items }))
}

fn value_node(
    value: RawBsonRef<'_>,
    depth: usize,
    limits: ReadLimits,
) -> Result<Node, FormatError> {
    Ok(match value {
        // Display of a double is its shortest round-trip text, never an exponent: the exact
        // decimal the sender's .NET `decimal` became. No arithmetic touches it.
        RawBsonRef::Double(value) => Node::Number(value.to_string()),
        RawBsonRef::Decimal128(value) => Node::Number(value.to_string()),
        RawBsonRef::Int32(value) => Node::Number(value.to_string()),
        RawBsonRef::Int64(value) => Node::Number(value.to_string()),
        RawBsonRef::String(text) => Node::Text(text.to_owned()),
        RawBsonRef::Boolean(value) => Node::Bool(value),
        RawBsonRef::Null | RawBsonRef::Undefined => Node::Null(None),
        RawBsonRef::Document(document) => document_node(document, depth + 1, limits)?,
        RawBsonRef::Array(array) => array_node(array, depth + 1, limits)?,
        RawBsonRef::ObjectId(_) => Node::Foreign("ObjectId"),
        RawBsonRef::Binary(_) => Node::Foreign("binary"),
        RawBsonRef::DateTime(_) => Node::Foreign("datetime"),
        RawBsonRef::RegularExpression(_) => Node::Foreign("regular expression"),
        RawBsonRef::JavaScriptCode(_) => Node::Foreign("JavaScript code"),
        RawBsonRef::JavaScriptCodeWithScope(_) => Node::Foreign("JavaScript code with scope"),
        RawBsonRef::Timestamp(_) => Node::Foreign("timestamp"),
        RawBsonRef::Symbol(_) => Node::Foreign("symbol"),
        RawBsonRef::DbPointer(_) => Node::Foreign("DBPointer"),
        RawBsonRef::MinKey => Node::Foreign("min key"),
        RawBsonRef::MaxKey => Node::Foreign("max key"),
    })
}
