//! JSON bytes to a [`Node`] tree, numbers kept as their exact text.

use std::borrow::Cow;

use serde_json::Value;

use crate::format_error::FormatError;
use crate::node::{List, Node, Object};

/// Reads a JSON document. Invalid UTF-8, bad syntax and nesting deeper than serde_json's limit
/// (128) are [`FormatError::Malformed`]; numbers keep their text (`1e-2`, `0.10`).
pub fn read_json(bytes: &[u8]) -> Result<Node, FormatError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|err| FormatError::Malformed(err.to_string()))?;
    Ok(to_node(value))
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
