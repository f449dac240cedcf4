//! Building [`Node`] trees from typed values: the helpers the generated DTO code calls.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::node::{List, Node, Object};
use crate::read::WireType;

/// Text, or null.
pub fn string(value: &Option<String>) -> Node {
    value
        .as_ref()
        .map_or(Node::Null(None), |text| Node::Text(text.clone()))
}

/// An integer, or null.
pub fn long(value: Option<i64>) -> Node {
    value.map_or(Node::Null(None), Node::Int)
}

/// An integer, or null.
pub fn int(value: Option<i32>) -> Node {
    value.map_or(Node::Null(None), |value| Node::Int(i64::from(value)))
}

/// A decimal with its scale, or null.
pub fn decimal(value: Option<Decimal>) -> Node {
    value.map_or(Node::Null(None), Node::Decimal)
}

/// A list of DTOs, or null.
pub fn list<T: WireType>(value: &Option<Vec<T>>) -> Node {
    match value {
        None => Node::Null(Some(T::TYPE_NAME)),
        Some(items) => Node::List(List {
            item: Some(T::TYPE_NAME),
            items: items
                .iter()
                .map(|item| Node::Object(item.to_object()))
                .collect(),
        }),
    }
}

/// A nested DTO, or null (typed, so that an XML writer can declare its namespace).
pub fn nested<T: WireType>(value: &Option<T>) -> Node {
    value
        .as_ref()
        .map_or(Node::Null(Some(T::TYPE_NAME)), |value| {
            Node::Object(value.to_object())
        })
}

/// A map of text values, or null.
pub fn text_map(value: &Option<BTreeMap<String, String>>) -> Node {
    value.as_ref().map_or(Node::Null(None), |map| {
        Node::Object(Object {
            ty: None,
            fields: map
                .iter()
                .map(|(k, v)| (k.clone().into(), Node::Text(v.clone())))
                .collect(),
        })
    })
}
