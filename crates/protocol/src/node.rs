//! The format-neutral tree every wire format is read into and written from.
//!
//! Readers (JSON, DataContract XML, BSON, Qimen XML) turn bytes into a [`Node`]; the generated
//! DTO code reads DTOs from nodes and writes them back to nodes; writers turn nodes into bytes.
//! Numbers that were read keep their exact text ([`Node::Number`]); numbers to write are typed
//! ([`Node::Int`], [`Node::Decimal`]), so no number ever passes through a float.

use std::borrow::Cow;

use rust_decimal::Decimal;

/// How a type is written: .NET DataContract (namespaces, ordinal member order) or Qimen (plain
/// XML in declared order, lists wrapped in their item name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `DataContractSerializer` and Json.NET.
    DataContract,
    /// The Qimen gateway's XML and JSON.
    Qimen,
}

/// The name a type is written under, its XML namespace, and its dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// The element or contract name (`PosSellFromWebInterfaceParm`, `clerk`).
    pub name: Cow<'static, str>,
    /// The DataContract namespace; empty for Qimen types.
    pub namespace: &'static str,
    /// How the type is written.
    pub dialect: Dialect,
}

impl TypeName {
    /// A type name known at compile time.
    pub const fn fixed(name: &'static str, namespace: &'static str, dialect: Dialect) -> TypeName {
        TypeName {
            name: Cow::Borrowed(name),
            namespace,
            dialect,
        }
    }
}

/// A value in a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// No value: JSON `null`, XML `i:nil="true"`, BSON null, or absent. When the missing value
    /// is of a complex type, its type name (an XML writer declares its namespace).
    Null(Option<TypeName>),
    /// A boolean.
    Bool(bool),
    /// An integer to write.
    Int(i64),
    /// A decimal to write; its scale is kept (`12.50`).
    Decimal(Decimal),
    /// A number as read: its exact text (`1e-2`, `12345678901234.5678`).
    Number(String),
    /// Text.
    Text(String),
    /// A list; `item` names its items' type when they are objects.
    List(List),
    /// An object: named members in order.
    Object(Object),
    /// A value of a type no DTO member takes, named for messages (`ObjectId`, `binary`): a
    /// BSON ObjectId, binary, datetime, regular expression, JavaScript code, timestamp, symbol,
    /// DBPointer, min or max key. Under an unknown member it is ignored like any other value;
    /// where a member is read it is a field error (1003). Writers write it as a null.
    Foreign(&'static str),
}

/// A list of nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The type of the items, when they are objects of one type.
    pub item: Option<TypeName>,
    /// The items, in order.
    pub items: Vec<Node>,
}

/// An object: its type name when known, and its members in order. Member names may repeat
/// (an XML list read as an object, or a name sent twice).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// The object's type, when known (always when writing).
    pub ty: Option<TypeName>,
    /// The members, in document order.
    pub fields: Vec<(Cow<'static, str>, Node)>,
}

impl Object {
    /// An object of type `ty` with `fields`.
    pub fn typed(ty: TypeName, fields: Vec<(Cow<'static, str>, Node)>) -> Object {
        Object {
            ty: Some(ty),
            fields,
        }
    }

    /// The last member named `name`, ignoring ASCII case: Json.NET matches member names that way
    /// and sets a member again each time it meets it, so of `{"a": 1, "A": 2}` the `2` wins. The
    /// same holds for a member repeated in XML or BSON.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, node)| node)
    }
}
