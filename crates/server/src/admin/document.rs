//! The small JSON document builders the admin listings share: objects with members in a fixed
//! order, text, and nullable values.

use std::borrow::Cow;

use posbridge_protocol::node::{Node, Object};

/// An object with `fields` in this order.
pub(super) fn object(fields: Vec<(&'static str, Node)>) -> Node {
    Node::Object(Object {
        ty: None,
        fields: fields
            .into_iter()
            .map(|(name, node)| (Cow::Borrowed(name), node))
            .collect(),
    })
}

/// A text value.
pub(super) fn text(value: impl ToString) -> Node {
    Node::Text(value.to_string())
}

/// A text value, or `null`.
pub(super) fn optional<T: ToString>(value: Option<T>) -> Node {
    value.map_or(Node::Null(None), text)
}
