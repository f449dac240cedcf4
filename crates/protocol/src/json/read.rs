//! JSON bytes to a [`Node`] tree, read by serde_json through a visitor of our own straight into
//! nodes: members in document order with repeated names kept (Json.NET's last-one-wins is
//! [`Object::get`](crate::node::Object::get)'s business), numbers as their text, nesting bounded
//! while it is read.
//!
//! serde_json's `Value` would keep object members in a map sorted by name, one per name, which
//! loses what Json.NET reads: the document order of members and the last of several spellings.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::node::{List, Node, Object};

/// A UTF-8 byte order mark, which .NET writes before a body sent with `Encoding.UTF8`.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The member name under which serde_json (feature `arbitrary_precision`) hands a number that
/// is no plain `u64`/`i64` to a visitor: a map of this one member whose value is the number's
/// text. serde_json's own `Value` visitor recognises numbers the same way.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads a JSON document. Bodies over [`BODY_MAX_BYTES`](crate::limits::BODY_MAX_BYTES) are
/// [`FormatError::TooLarge`]; invalid UTF-8 and bad syntax are [`FormatError::Malformed`] with
/// serde_json's message; nesting deeper than [`DEPTH_MAX`](crate::limits::DEPTH_MAX) is
/// [`FormatError::TooDeep`], found before anything deeper is read, so no document can exhaust
/// the stack. One UTF-8 byte order mark before the document is skipped, as Json.NET skips it (a
/// second one is not JSON). Members keep their document order, repeated names included; numbers
/// keep their text (`0.10`, `1e-2`; an exponent as serde_json spells it, `1E12` as `1e+12`).
///
/// ```
/// use posbridge_protocol::json::read_json;
/// use posbridge_protocol::node::Node;
///
/// let node = read_json(b"\xEF\xBB\xBF{\"Amount\": 1.50, \"amount\": 2}").unwrap();
/// let Node::Object(object) = node else { panic!() };
/// assert_eq!(object.fields.len(), 2);
/// assert_eq!(object.fields[0].1, Node::Number("1.50".into()));
/// // The last spelling wins, as in Json.NET.
/// assert_eq!(object.get("AMOUNT"), Some(&Node::Number("2".into())));
/// ```
pub fn read_json(bytes: &[u8]) -> Result<Node, FormatError> {
    read_json_within(bytes, ReadLimits::DEFAULT)
}

/// [`read_json`] with a server's limits instead of the contract's.
pub fn read_json_within(bytes: &[u8], limits: ReadLimits) -> Result<Node, FormatError> {
    limits.check_size(bytes)?;
    read_tree(bytes, limits.depth.levels())
}

/// Reads a JSON document of any size nested at most `depth_max` levels, the root being level 1
/// and every value, scalar or not, a level below its list or object (deeper is
/// [`FormatError::TooDeep`]), after one optional byte order mark. serde_json stops at 128 levels
/// by itself, whatever `depth_max`.
pub(crate) fn read_tree(bytes: &[u8], depth_max: usize) -> Result<Node, FormatError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let too_deep = Cell::new(false);
    let seed = NodeSeed {
        level: 1,
        depth: Depth {
            max: depth_max,
            exceeded: &too_deep,
        },
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let read = seed
        .deserialize(&mut deserializer)
        .and_then(|node| deserializer.end().map(|()| node));
    match read {
        Ok(node) => Ok(node),
        Err(_) if too_deep.get() => Err(FormatError::TooDeep { max: depth_max }),
        Err(err) => Err(FormatError::Malformed(err.to_string())),
    }
}

/// The depth limit, and where the visitor that hits it says so (a serde error carries only
/// text).
#[derive(Clone, Copy)]
struct Depth<'a> {
    max: usize,
    exceeded: &'a Cell<bool>,
}

impl Depth<'_> {
    /// An error if `level` is deeper than the limit.
    fn check<E: serde::de::Error>(self, level: usize) -> Result<(), E> {
        if level > self.max {
            self.exceeded.set(true);
            return Err(E::custom(format_args!(
                "nested deeper than {} levels",
                self.max
            )));
        }
        Ok(())
    }
}

/// Reads one value at `level` into a node.
///
/// A list or object checks its own level when it is entered, before anything inside it is read;
/// a scalar's level is checked by its list or object once it holds one. A number reaches the
/// visitor as a map (see [`NUMBER_TOKEN`]) whose member is one level down, and must not count as
/// deeper than it is.
#[derive(Clone, Copy)]
struct NodeSeed<'a> {
    level: usize,
    depth: Depth<'a>,
}

impl NodeSeed<'_> {
    fn child(self) -> Self {
        NodeSeed {
            level: self.level + 1,
            ..self
        }
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null(None))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    // Integers that fit 64 bits come as such; their decimal text is the text they were sent as
    // (JSON has no leading zeros or plus signs, and `-0` comes as text).
    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string()))
    }

    fn visit_str<E>(self, text: &str) -> Result<Node, E> {
        Ok(Node::Text(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Node, E> {
        Ok(Node::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        self.depth.check(self.level)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child())? {
            items.push(item);
        }
        if !items.is_empty() {
            self.depth.check(self.level + 1)?;
        }
        Ok(Node::List(List { item: None, items }))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        self.depth.check(self.level)?;
        let mut fields = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child())?;
            fields.push((Cow::Owned(name), value));
        }
        if let [(name, Node::Text(text))] = fields.as_mut_slice()
            && name == NUMBER_TOKEN
            && is_json_number(text)
        {
            // A number's text is JSON number syntax. An object that merely has this shape, as a
            // sender could write it, is a number too only when its text is one, which is how
            // serde_json's `Value` reads it.
            return Ok(Node::Number(std::mem::take(text)));
        }
        if !fields.is_empty() {
            self.depth.check(self.level + 1)?;
        }
        Ok(Node::Object(Object { ty: None, fields }))
    }
}

/// Whether `text` is a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    /// The leading ASCII digits of `text`, and the rest.
    fn digits(text: &str) -> (&str, &str) {
        text.split_at(text.bytes().take_while(u8::is_ascii_digit).count())
    }
    let (integer, rest) = digits(text.strip_prefix('-').unwrap_or(text));
    if integer.is_empty() || integer.len() > 1 && integer.starts_with('0') {
        return false;
    }
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => match digits(fraction) {
            ("", _) => return false,
            (_, rest) => rest,
        },
        None => rest,
    };
    let rest = match rest.strip_prefix(['e', 'E']) {
        Some(exponent) => match digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)) {
            ("", _) => return false,
            (_, rest) => rest,
        },
        None => rest,
    };
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_are_recognised() {
        for number in ["0", "-0", "12", "1.50", "1e-2", "1E+12", "-0.5e7"] {
            assert!(is_json_number(number), "{number}");
        }
        for text in [
            "", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 ", "NaN", "1.5.5",
        ] {
            assert!(!is_json_number(text), "{text}");
        }
    }

    #[test]
    fn an_object_shaped_like_a_number_is_one_only_with_number_text() {
        let read = |json: &str| read_json(json.as_bytes()).unwrap();
        assert_eq!(
            read(r#"{"$serde_json::private::Number": "12"}"#),
            Node::Number("12".into())
        );
        for json in [
            r#"{"$serde_json::private::Number": "abc"}"#,
            r#"{"$serde_json::private::Number": 12}"#,
            r#"{"$serde_json::private::Number": "12", "b": 1}"#,
        ] {
            assert!(matches!(read(json), Node::Object(_)), "{json}");
        }
    }
}
