//! XML tests: the golden files .NET wrote, the seeds' samples, lenient reading, writer details,
//! hostile input and round trips.
//!
//! Expectations about the shape of what was read are written compactly with [`shape`]:
//! `{Name:"text",Other:nil,List:{Item:{A:"1"}}}`.

mod golden;
mod hostile;
mod reading;
mod round_trip;
mod writing;

use std::fmt::Write as _;

use super::*;
use crate::format_error::FormatError;
use crate::node::Node;
use crate::read::WireType;

/// A node in one line: objects as `{name:value,…}`, text quoted, nulls as `nil`, lists as
/// `[…]`, typed numbers as `i7` and `d12.50`, read numbers as `n1e-2`.
fn shape(node: &Node) -> String {
    let mut out = String::new();
    write_shape(&mut out, node);
    out
}

fn write_shape(out: &mut String, node: &Node) {
    match node {
        Node::Null(_) => out.push_str("nil"),
        Node::Foreign(kind) => {
            let _ = write!(out, "<{kind}>");
        }
        Node::Bool(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Int(value) => {
            let _ = write!(out, "i{value}");
        }
        Node::Decimal(value) => {
            let _ = write!(out, "d{value}");
        }
        Node::Number(text) => {
            let _ = write!(out, "n{text}");
        }
        Node::Text(text) => {
            let _ = write!(out, "{text:?}");
        }
        Node::List(list) => {
            out.push('[');
            for (index, item) in list.items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_shape(out, item);
            }
            out.push(']');
        }
        Node::Object(object) => {
            out.push('{');
            for (index, (name, value)) in object.fields.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(name);
                out.push(':');
                write_shape(out, value);
            }
            out.push('}');
        }
    }
}

/// Reads `xml` and checks the shape of what was read.
fn check_read(xml: &str, expect: &str) {
    match read_xml(xml.as_bytes()) {
        Ok(node) => assert_eq!(shape(&node), expect, "{xml}"),
        Err(err) => panic!("{err}: {xml}"),
    }
}

/// Reads `xml` into a DTO.
fn parse<T: WireType>(xml: &[u8]) -> T {
    let node = read_xml(xml).unwrap_or_else(|err| panic!("{err}"));
    T::from_root(&node).unwrap_or_else(|err| panic!("{err}"))
}

/// Writes a DTO.
fn write<T: WireType>(value: &T) -> String {
    write_xml(&Node::Object(value.to_object()))
}

/// Checks that reading `body` fails with `expect`.
fn check_refused(body: &[u8], expect: &FormatError) {
    let got = read_xml(body);
    let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
    match got {
        Err(err) => assert_eq!(&err, expect, "{shown}"),
        Ok(node) => panic!("read {} from {shown}", shape(&node)),
    }
}

/// A `Malformed` error whatever its message.
fn is_malformed(body: &[u8]) -> bool {
    matches!(read_xml(body), Err(FormatError::Malformed(_)))
}
