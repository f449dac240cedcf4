//! A [`Node`] tree to BSON bytes.

use bson::{Array, Bson, Document};

use crate::format_error::FormatError;
use crate::node::Node;

/// Writes an object as a BSON document: members in order, integers as Int32 when they fit (else
/// Int64), decimals and read numbers as strings, nulls as null.
pub fn write_bson(node: &Node) -> Result<Vec<u8>, FormatError> {
    let Node::Object(object) = node else {
        return Err(FormatError::WrongRoot(
            "a BSON document must be an object".into(),
        ));
    };
    let mut document = Document::new();
    for (name, value) in &object.fields {
        document.insert(name.as_ref(), to_bson(value));
    }
    document
        .to_vec()
        .map_err(|err| FormatError::Malformed(format!("cannot write BSON: {err}")))
}

fn to_bson(node: &Node) -> Bson {
    match node {
        Node::Null(_) | Node::Foreign(_) => Bson::Null,
        Node::Bool(value) => Bson::Boolean(*value),
        Node::Int(value) => i32::try_from(*value).map_or(Bson::Int64(*value), Bson::Int32),
        Node::Decimal(value) => Bson::String(value.to_string()),
        Node::Number(text) | Node::Text(text) => Bson::String(text.clone()),
        Node::List(list) => Bson::Array(list.items.iter().map(to_bson).collect::<Array>()),
        Node::Object(object) => {
            let mut document = Document::new();
            for (name, value) in &object.fields {
                document.insert(name.as_ref(), to_bson(value));
            }
            Bson::Document(document)
        }
    }
}
