//! JSON bytes to a [`Node`] tree: members in document order with repeated names kept (Json.NET's
//! last-one-wins is [`Object::get`](crate::node::Object::get)'s business), numbers as their
//! exact text, nesting bounded while it is read ([`super::parse`]).

use super::parse::{ParseError, parse};
use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::node::Node;

/// A UTF-8 byte order mark, which .NET writes before a body sent with `Encoding.UTF8`.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a JSON document. Bodies over [`BODY_MAX_BYTES`](crate::limits::BODY_MAX_BYTES) are
/// [`FormatError::TooLarge`]; invalid UTF-8 and bad syntax are [`FormatError::Malformed`];
/// nesting deeper than [`DEPTH_MAX`](crate::limits::DEPTH_MAX) is [`FormatError::TooDeep`],
/// found before anything deeper is read, so no document can exhaust the stack. One UTF-8 byte
/// order mark before the document is skipped, as Json.NET skips it (a second one is not JSON).
/// Members keep their document order, repeated names included; numbers keep their text
/// (`1e-2`, `0.10`, `1E+12`).
///
/// ```
/// use posbridge_protocol::json::read_json;
/// use posbridge_protocol::node::Node;
///
/// let node = read_json(b"\xEF\xBB\xBF{\"Amount\": 1.50, \"amount\": 2}").unwrap();
/// let Node::Object(object) = node else { panic!() };
/// assert_eq!(object.fields.len(), 2);
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
/// (deeper is [`FormatError::TooDeep`]), after one optional byte order mark.
pub(crate) fn read_tree(bytes: &[u8], depth_max: usize) -> Result<Node, FormatError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    parse(bytes, depth_max).map_err(|err| match err {
        ParseError::Syntax(message) => FormatError::Malformed(message),
        ParseError::TooDeep => FormatError::TooDeep { max: depth_max },
    })
}
