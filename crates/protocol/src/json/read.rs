//! JSON bytes to a [`Node`] tree, numbers kept as their exact text.

use std::borrow::Cow;

use serde_json::Value;

use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::node::{List, Node, Object};

/// Reads a JSON document. Bodies over [`BODY_MAX_BYTES`](crate::limits::BODY_MAX_BYTES) are
/// [`FormatError::TooLarge`]; invalid UTF-8 and bad syntax are [`FormatError::Malformed`];
/// nesting deeper than [`DEPTH_MAX`](crate::limits::DEPTH_MAX) is [`FormatError::TooDeep`]
/// (serde_json itself stops recursing at 128, so no document can exhaust the stack). Numbers
/// keep their text (`1e-2`, `0.10`).
pub fn read_json(bytes: &[u8]) -> Result<Node, FormatError> {
    read_json_within(bytes, ReadLimits::DEFAULT)
}

/// [`read_json`] with a server's limits instead of the contract's.
pub fn read_json_within(bytes: &[u8], limits: ReadLimits) -> Result<Node, FormatError> {
    limits.check_size(bytes)?;
    let value: Value =
        serde_json::from_slice(bytes).map_err(|err| FormatError::Malformed(err.to_string()))?;
    limits.check_level(depth(&value))?;
    Ok(to_node(value))
}

/// Nesting depth, the root being level 1; bounded by serde_json's recursion limit.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 1,
    }
}

fn to_node(value: Value) -> Node {
    match value {
        Value::Null => Node::Null(None),
        Value::Bool(value) => Node::Bool(value),
        // With `arbitrary_precision` the number keeps the text it was written with.
        Value::Number(number) => Node::Number(number.as_str().to_owned()),
        Value::String(text) => Node::Text(text),
        Value::Array(items) => Node::List(List {
            item: None,
            items: items.into_iter().map(to_node).collect(),
        }),
        Value::Object(members) => Node::Object(Object {
            ty: None,
            fields: members
                .into_iter()
                .map(|(key, value)| (Cow::Owned(key), to_node(value)))
                .collect(),
        }),
    }
}
