//! The plain writer: a [`Node`] tree to XML without namespaces, as the Qimen gateway and its SDKs
//! write it (CONTRACT §7): no declaration, no indentation.
//!
//! Members are child elements in the node's order; null members are left out, as the gateway
//! leaves them out; a list is an element holding one element per item, named by the item's type
//! (`<clerks><clerk>…</clerk></clerks>`); a map is an element whose children are its keys; empty
//! text is `<a></a>`.

use std::fmt::Write as _;

use super::chars::{encode_name, escape_text};
use crate::node::{List, Node};

/// Writes `node` as the document element `name`. A null root, which has nothing to leave out of,
/// is an empty element.
pub(super) fn write_root(out: &mut String, name: &str, node: &Node) {
    match node {
        Node::Null(_) | Node::Foreign(_) => write_element(out, name, &Node::Text(String::new())),
        node => write_element(out, name, node),
    }
}

fn write_element(out: &mut String, name: &str, node: &Node) {
    if matches!(node, Node::Null(_) | Node::Foreign(_)) {
        return;
    }
    let name = encode_name(name);
    out.push('<');
    out.push_str(&name);
    out.push('>');
    match node {
        // Left out above.
        Node::Null(_) | Node::Foreign(_) => {}
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Decimal(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Number(text) | Node::Text(text) => escape_text(out, text),
        Node::List(list) => write_items(out, list),
        Node::Object(object) => {
            for (member, value) in &object.fields {
                write_element(out, member, value);
            }
        }
    }
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
}

fn write_items(out: &mut String, list: &List) {
    for item in &list.items {
        // Items are named by their own type, else by the list's item type; a list of bare values
        // (no DTO has one) falls back to `item`.
        let name = match item {
            Node::Object(object) => object.ty.as_ref().or(list.item.as_ref()),
            _ => list.item.as_ref(),
        }
        .map_or("item", |ty| &*ty.name);
        write_element(out, name, item);
    }
}
