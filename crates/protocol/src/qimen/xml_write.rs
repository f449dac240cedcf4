//! A [`Node`] tree to compact Qimen XML: no declaration, no namespaces, no indentation.
//!
//! Members are written in order as child elements; absent (null) members are left out, as the
//! Qimen gateway leaves them out; a list is an element whose children are its items, each named
//! by the item type (`<clerks><clerk>…</clerk></clerks>`); empty text is `<a></a>`.

use std::fmt::Write as _;

use crate::node::{List, Node};

/// Writes `node` as the document element `name`.
///
/// Names are written as given: the DTOs' member names are valid XML names, and callers check
/// free-form names (`extendProps` keys) with [`is_xml_name`] first.
pub(super) fn write_xml(name: &str, node: &Node) -> String {
    let mut out = String::with_capacity(256);
    write_element(&mut out, name, node);
    out
}

fn write_element(out: &mut String, name: &str, node: &Node) {
    if matches!(node, Node::Null(_)) {
        return;
    }
    out.push('<');
    out.push_str(name);
    out.push('>');
    match node {
        // Left out above.
        Node::Null(_) => {}
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Decimal(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Number(text) | Node::Text(text) => escape_into(out, text),
        Node::List(list) => write_items(out, list),
        Node::Object(object) => {
            for (member, value) in &object.fields {
                write_element(out, member, value);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn write_items(out: &mut String, list: &List) {
    for item in &list.items {
        // Items are named by their own type, else by the list's item type; a list of bare
        // values (never written by the DTOs) falls back to `item`.
        let name = match item {
            Node::Object(object) => object.ty.as_ref().or(list.item.as_ref()),
            _ => list.item.as_ref(),
        }
        .map_or("item", |ty| &*ty.name);
        write_element(out, name, item);
    }
}

/// Escapes text content: `&`, `<` and `>` as entities; a carriage return as `&#13;` so that
/// readers do not turn it into a line feed; characters XML 1.0 cannot carry at all (most C0
/// controls, U+FFFE, U+FFFF) as U+FFFD, so the output is always well-formed.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push(char::REPLACEMENT_CHARACTER),
        }
    }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Whether `name` can be an element name that reads back as itself: an XML `NCName` (a name
/// without a colon, since readers take the part after a colon as the local name).
pub(super) fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}'
            | '\u{300}'..='\u{36F}'
            | '\u{203F}'..='\u{2040}')
}
