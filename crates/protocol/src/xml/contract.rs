//! The DataContract writer: a [`Node`] tree to the exact bytes .NET's `DataContractSerializer`
//! writes through ASP.NET Web API's XML formatter (no declaration, no indentation).
//!
//! What .NET does, and so what this writer does:
//! - The root element is named by the type and declares `xmlns:i` (the XML Schema instance
//!   namespace) and then `xmlns` (the type's namespace): the serializer writes `xmlns:i` as an
//!   attribute, and the `XmlWriter` adds the element's own namespace declaration after it.
//! - Members are written in ordinal order of their names (`DataContract` order for types without
//!   base types or explicit `Order`), in the namespace of the type that declares them.
//! - A member whose value's type lives in another namespace (a nested object, a list's items, or
//!   a typed null) declares that namespace on itself, unless it is already in scope, with the
//!   prefix `d{depth}p1` where depth counts elements from the root (1); the value's members or
//!   items then use that prefix (`<tag xmlns:d2p1="…"><d2p1:BillNum>`).
//! - A null is `<x i:nil="true" />`; an empty object or list is `<x />`; empty text is
//!   `<x></x>`, because .NET's writer self-closes only elements it wrote no content into.

use std::fmt::Write as _;

use super::XSI_NAMESPACE;
use super::chars::{encode_name, escape_attribute, escape_text};
use crate::node::{Dialect, List, Node, Object, TypeName};

/// Writes a DataContract object as the document element.
pub(super) fn write_root(out: &mut String, ty: &TypeName, object: &Object) {
    let mut writer = Writer {
        out,
        bindings: Vec::with_capacity(4),
    };
    let name = encode_name(&ty.name);
    writer.out.push('<');
    writer.out.push_str(&name);
    writer.declare("i", XSI_NAMESPACE);
    // A type without a namespace lives in no namespace: nothing to declare.
    if !ty.namespace.is_empty() {
        writer.declare("", ty.namespace);
    }
    let own = namespace_of(ty).unwrap_or("");
    if object.fields.is_empty() {
        writer.out.push_str(" />");
        return;
    }
    writer.out.push('>');
    writer.write_members(1, own, object);
    writer.out.push_str("</");
    writer.out.push_str(&name);
    writer.out.push('>');
}

/// The output, and the namespace prefixes in scope, innermost last.
struct Writer<'o> {
    out: &'o mut String,
    /// `(prefix, namespace)` pairs declared by the open elements; `""` is the default namespace.
    bindings: Vec<(String, &'static str)>,
}

impl Writer<'_> {
    /// Writes ` xmlns:prefix="namespace"` (or ` xmlns="namespace"` for the empty prefix) on the
    /// element being opened, and brings the binding into scope.
    fn declare(&mut self, prefix: &str, namespace: &'static str) {
        self.out.push_str(" xmlns");
        if !prefix.is_empty() {
            self.out.push(':');
            self.out.push_str(prefix);
        }
        self.out.push_str("=\"");
        escape_attribute(self.out, namespace);
        self.out.push('"');
        self.bindings.push((prefix.to_owned(), namespace));
    }

    /// Writes an object's members as children of an element at `depth`, in `namespace`. A typed
    /// object's members go in ordinal order, as .NET orders data members; an untyped one (a map)
    /// keeps its own order, which is all it has.
    fn write_members(&mut self, depth: usize, namespace: &'static str, object: &Object) {
        let mut members: Vec<&(_, Node)> = object.fields.iter().collect();
        if object.ty.is_some() {
            // `String.CompareOrdinal` compares UTF-16 code units; the sort is stable, so
            // repeated names keep their order.
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
        }
        for (name, value) in members {
            self.write_element(depth + 1, name, namespace, value);
        }
    }

    /// Writes the element `name` at `depth` in `namespace`, holding `value`.
    fn write_element(&mut self, depth: usize, name: &str, namespace: &'static str, value: &Node) {
        let mark = self.bindings.len();
        let name = encode_name(name);
        self.out.push('<');
        self.push_qualified(namespace, &name);
        // The namespace the value's own members or items are written in.
        let inner = match value_namespace(value) {
            Some(inner) if inner != namespace => {
                if lookup(&self.bindings, inner).is_none() {
                    self.declare(&format!("d{depth}p1"), inner);
                }
                inner
            }
            _ => namespace,
        };
        match value {
            Node::Null(_) | Node::Foreign(_) => {
                self.out.push(' ');
                self.push_qualified(XSI_NAMESPACE, "nil");
                self.out.push_str("=\"true\" />");
            }
            Node::Object(object) if object.fields.is_empty() => self.out.push_str(" />"),
            Node::List(list) if list.items.is_empty() => self.out.push_str(" />"),
            _ => {
                self.out.push('>');
                self.write_content(depth, inner, value);
                self.out.push_str("</");
                self.push_qualified(namespace, &name);
                self.out.push('>');
            }
        }
        self.bindings.truncate(mark);
    }

    /// Writes the content of a non-null element at `depth` whose children go in `inner`.
    fn write_content(&mut self, depth: usize, inner: &'static str, value: &Node) {
        match value {
            Node::Null(_) | Node::Foreign(_) => {}
            Node::Bool(value) => self.out.push_str(if *value { "true" } else { "false" }),
            Node::Int(value) => {
                let _ = write!(self.out, "{value}");
            }
            // `Decimal`'s Display keeps the scale (`12.50`) and never uses an exponent, as .NET's
            // `XmlConvert.ToString(decimal)` does.
            Node::Decimal(value) => {
                let _ = write!(self.out, "{value}");
            }
            Node::Number(text) | Node::Text(text) => escape_text(self.out, text),
            Node::Object(object) => self.write_members(depth, inner, object),
            Node::List(list) => self.write_items(depth, inner, list),
        }
    }

    /// Writes a list's items as children of an element at `depth`, each named by its type.
    fn write_items(&mut self, depth: usize, inner: &'static str, list: &List) {
        for item in &list.items {
            let name = item_type(item)
                .or(list.item.as_ref())
                .map_or("item", |ty| &*ty.name);
            self.write_element(depth + 1, name, inner, item);
        }
    }

    /// Writes `prefix:name`, or `name` when `namespace` is the default one (or, defensively,
    /// not in scope at all, which the declarations above never leave it).
    fn push_qualified(&mut self, namespace: &str, name: &str) {
        match lookup(&self.bindings, namespace) {
            Some(prefix) if !prefix.is_empty() => {
                self.out.push_str(prefix);
                self.out.push(':');
            }
            _ => {}
        }
        self.out.push_str(name);
    }
}

/// The innermost prefix bound to `namespace`, as `XmlWriter.LookupPrefix` finds it.
fn lookup<'b>(bindings: &'b [(String, &'static str)], namespace: &str) -> Option<&'b str> {
    bindings
        .iter()
        .rev()
        .find(|(_, bound)| *bound == namespace)
        .map(|(prefix, _)| prefix.as_str())
}

/// The namespace a DataContract type's members are written in; `None` for a type without one
/// (a Qimen type met inside a DataContract document stays in its parent's namespace).
fn namespace_of(ty: &TypeName) -> Option<&'static str> {
    (ty.dialect == Dialect::DataContract && !ty.namespace.is_empty()).then_some(ty.namespace)
}

/// The type of a list item, when it says.
fn item_type(item: &Node) -> Option<&TypeName> {
    match item {
        Node::Object(object) => object.ty.as_ref(),
        Node::Null(ty) => ty.as_ref(),
        _ => None,
    }
}

/// The namespace of a value's type: where its members (or a list's items) are written, and what
/// the element holding it declares when it differs from its own.
fn value_namespace(value: &Node) -> Option<&'static str> {
    match value {
        Node::Object(object) => object.ty.as_ref().and_then(namespace_of),
        Node::List(list) => list.item.as_ref().and_then(namespace_of),
        Node::Null(ty) => ty.as_ref().and_then(namespace_of),
        _ => None,
    }
}
