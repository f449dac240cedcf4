//! A [`Node`] tree to compact JSON, as Json.NET writes it.

use std::fmt::Write as _;

use crate::node::{Dialect, List, Node};

/// Writes a node as compact JSON. Objects keep their member order; decimals are written from
/// their own digits with their scale (`12.50`); Qimen lists are wrapped in their item name
/// (`{"clerk": [...]}`), as the Qimen gateway writes them.
pub fn write_json(node: &Node) -> String {
    let mut out = String::with_capacity(256);
    write_node(&mut out, node);
    out
}

fn write_node(out: &mut String, node: &Node) {
    match node {
        Node::Null(_) | Node::Foreign(_) => out.push_str("null"),
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Decimal(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Number(text) => out.push_str(text),
        Node::Text(text) => write_string(out, text),
        Node::List(list) => write_list(out, list),
        Node::Object(object) => {
            out.push('{');
            for (index, (name, value)) in object.fields.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(out, name);
                out.push(':');
                write_node(out, value);
            }
            out.push('}');
        }
    }
}

fn write_list(out: &mut String, list: &List) {
    let wrapper = list
        .item
        .as_ref()
        .filter(|item| item.dialect == Dialect::Qimen);
    if let Some(item) = wrapper {
        out.push('{');
        write_string(out, &item.name);
        out.push(':');
    }
    out.push('[');
    for (index, item) in list.items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_node(out, item);
    }
    out.push(']');
    if wrapper.is_some() {
        out.push('}');
    }
}

/// A JSON string: quotes, backslashes and control characters escaped, everything else as is.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
