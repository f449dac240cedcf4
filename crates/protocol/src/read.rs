//! Reading typed values out of a [`Node`] tree: the helpers the generated DTO code calls.
//!
//! The rules are Json.NET's and `DataContractSerializer`'s, made lenient where that costs nothing:
//! member names match in any ASCII case, unknown members are ignored, a null is an absent value,
//! numbers may come as JSON numbers or numeric strings, and an XML list (an element whose children
//! are the items) reads like a JSON array.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::decimal_text::{DecimalTextError, parse_decimal};
use crate::node::{Node, Object};
use crate::path::Path;
use posbridge_domain::field::FieldPath;

/// A value of the wrong shape where a DTO member is read (errcode 1003, or 1001 at the root).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {field} {problem}")]
pub struct ReadError {
    /// Where (empty for the document root).
    pub field: FieldPath,
    /// What is wrong.
    pub problem: ReadProblem,
}

/// What is wrong with a value that was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadProblem {
    /// An object was expected.
    #[error("must be an object")]
    NotAnObject,
    /// A list was expected.
    #[error("must be a list")]
    NotAList,
    /// Text was expected.
    #[error("must be text")]
    NotText,
    /// An integer was expected.
    #[error("must be an integer")]
    NotAnInteger,
    /// An integer too large for its type.
    #[error("is out of range for an integer")]
    IntegerOutOfRange,
    /// A decimal was expected.
    #[error("{0}")]
    NotADecimal(DecimalTextError),
    /// A map of text values was expected.
    #[error("must be an object of text values")]
    NotAMap,
}

impl ReadError {
    fn at(path: &Path<'_>, problem: ReadProblem) -> ReadError {
        ReadError {
            field: path.to_field_path(),
            problem,
        }
    }
}

/// A DTO that can be read from and written to a node tree. Implemented by the generated code.
pub trait WireType: Sized {
    /// The type's wire name, namespace and dialect.
    const TYPE_NAME: crate::node::TypeName;

    /// Reads the type from an object at `path`.
    fn from_object(object: &Object, path: &Path<'_>) -> Result<Self, ReadError>;

    /// Writes the type as an object.
    fn to_object(&self) -> Object;

    /// Reads the type from a document root.
    fn from_root(node: &Node) -> Result<Self, ReadError> {
        match node {
            Node::Object(object) => Self::from_object(object, &Path::Root),
            _ => Err(ReadError::at(&Path::Root, ReadProblem::NotAnObject)),
        }
    }
}

/// What an empty element reads as where an object belongs.
static EMPTY_OBJECT: Object = Object {
    ty: None,
    fields: Vec::new(),
};

/// The object at `path`, or `None` for an absent or null value.
pub fn object<'n>(
    node: Option<&'n Node>,
    path: &Path<'_>,
) -> Result<Option<&'n Object>, ReadError> {
    match node {
        None | Some(Node::Null(_)) => Ok(None),
        Some(Node::Object(object)) => Ok(Some(object)),
        // An empty XML element (`<tag/>`) is an object whose members are all absent, as .NET
        // reads it.
        Some(Node::Text(text)) if text.trim().is_empty() => Ok(Some(&EMPTY_OBJECT)),
        Some(_) => Err(ReadError::at(path, ReadProblem::NotAnObject)),
    }
}

/// Text; numbers and booleans are accepted as their text, as Json.NET does.
pub fn string(node: Option<&Node>, path: &Path<'_>) -> Result<Option<String>, ReadError> {
    match node {
        None | Some(Node::Null(_)) => Ok(None),
        Some(Node::Text(text) | Node::Number(text)) => Ok(Some(text.clone())),
        Some(Node::Bool(value)) => Ok(Some(value.to_string())),
        Some(Node::Int(value)) => Ok(Some(value.to_string())),
        Some(Node::Decimal(value)) => Ok(Some(value.to_string())),
        Some(Node::Object(_) | Node::List(_) | Node::Foreign(_)) => {
            Err(ReadError::at(path, ReadProblem::NotText))
        }
    }
}

/// A 64-bit integer, from a number or numeric text; `3.0` is 3, `3.5` is not an integer.
pub fn long(node: Option<&Node>, path: &Path<'_>) -> Result<Option<i64>, ReadError> {
    let value = match node {
        None | Some(Node::Null(_)) => return Ok(None),
        Some(Node::Int(value)) => return Ok(Some(*value)),
        Some(Node::Decimal(value)) => *value,
        Some(Node::Number(text) | Node::Text(text)) => {
            parse_decimal(text).map_err(|_| ReadError::at(path, ReadProblem::NotAnInteger))?
        }
        Some(_) => return Err(ReadError::at(path, ReadProblem::NotAnInteger)),
    };
    if !value.fract().is_zero() {
        return Err(ReadError::at(path, ReadProblem::NotAnInteger));
    }
    value
        .to_i64()
        .map(Some)
        .ok_or_else(|| ReadError::at(path, ReadProblem::IntegerOutOfRange))
}

/// A 32-bit integer.
pub fn int(node: Option<&Node>, path: &Path<'_>) -> Result<Option<i32>, ReadError> {
    long(node, path)?
        .map(|value| {
            i32::try_from(value).map_err(|_| ReadError::at(path, ReadProblem::IntegerOutOfRange))
        })
        .transpose()
}

/// An exact decimal, from a number or numeric text, keeping its scale.
pub fn decimal(node: Option<&Node>, path: &Path<'_>) -> Result<Option<Decimal>, ReadError> {
    match node {
        None | Some(Node::Null(_)) => Ok(None),
        Some(Node::Decimal(value)) => Ok(Some(*value)),
        Some(Node::Int(value)) => Ok(Some(Decimal::from(*value))),
        Some(Node::Number(text) | Node::Text(text)) => parse_decimal(text)
            .map(Some)
            .map_err(|err| ReadError::at(path, ReadProblem::NotADecimal(err))),
        Some(_) => Err(ReadError::at(
            path,
            ReadProblem::NotADecimal(DecimalTextError::Malformed),
        )),
    }
}

/// The items of a list: a JSON or BSON array, or an XML element whose children are the items
/// (their element names are not checked, as .NET does not check them either).
pub fn items<'n>(
    node: Option<&'n Node>,
    path: &Path<'_>,
) -> Result<Option<Vec<&'n Node>>, ReadError> {
    match node {
        None | Some(Node::Null(_)) => Ok(None),
        Some(Node::List(list)) => Ok(Some(list.items.iter().collect())),
        Some(Node::Object(object)) => match &object.fields[..] {
            // A list wrapped in its item name, as Qimen writes JSON lists: `{"clerk": [...]}`.
            [(_, Node::List(list))] => Ok(Some(list.items.iter().collect())),
            // An XML list: the element's children are the items.
            fields => Ok(Some(fields.iter().map(|(_, item)| item).collect())),
        },
        // An empty XML element is an empty list.
        Some(Node::Text(text)) if text.trim().is_empty() => Ok(Some(Vec::new())),
        Some(_) => Err(ReadError::at(path, ReadProblem::NotAList)),
    }
}

/// A list of DTOs.
pub fn list<T: WireType>(
    node: Option<&Node>,
    path: &Path<'_>,
) -> Result<Option<Vec<T>>, ReadError> {
    let Some(items) = items(node, path)? else {
        return Ok(None);
    };
    let mut values = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let at = path.item(index);
        match object(Some(item), &at)? {
            Some(object) => values.push(T::from_object(object, &at)?),
            None => return Err(ReadError::at(&at, ReadProblem::NotAnObject)),
        }
    }
    Ok(Some(values))
}

/// A nested DTO.
pub fn nested<T: WireType>(node: Option<&Node>, path: &Path<'_>) -> Result<Option<T>, ReadError> {
    object(node, path)?
        .map(|object| T::from_object(object, path))
        .transpose()
}

/// A map of text values (Qimen `extendProps`): an object whose members are text.
pub fn text_map(
    node: Option<&Node>,
    path: &Path<'_>,
) -> Result<Option<BTreeMap<String, String>>, ReadError> {
    let Some(object) = object(node, path).map_err(|_| ReadError::at(path, ReadProblem::NotAMap))?
    else {
        return Ok(None);
    };
    let mut map = BTreeMap::new();
    for (key, value) in &object.fields {
        let text = match value {
            Node::Text(text) | Node::Number(text) => text.clone(),
            Node::Bool(value) => value.to_string(),
            Node::Null(_) => String::new(),
            _ => return Err(ReadError::at(path, ReadProblem::NotAMap)),
        };
        map.insert(key.to_string(), text);
    }
    Ok(Some(map))
}
