//! Bytes to DTOs and back, in whichever format negotiation chose: the one entry point the server
//! and the client use.

use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::media::Format;
use crate::node::Node;
use crate::read::{ReadError, WireType};

/// Why a body could not become a DTO.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The body is not a document of its format (1001, or 1005 when too large).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A member has the wrong shape (1003 naming it; 1001 for the root).
    #[error(transparent)]
    Read(#[from] ReadError),
}

impl DecodeError {
    /// The errcode of this failure.
    pub fn wire_code(&self) -> crate::codes::WireCode {
        match self {
            DecodeError::Format(error) => crate::codes::WireCode::from_format_error(error),
            DecodeError::Read(error) => crate::codes::WireCode::from_read_error(error),
        }
    }
}

/// Reads a document in `format`, within the contract's limits ([`ReadLimits::DEFAULT`]).
pub fn read_document(format: Format, body: &[u8]) -> Result<Node, FormatError> {
    read_document_within(format, body, ReadLimits::DEFAULT)
}

/// Reads a document in `format`, within a server's `limits`.
pub fn read_document_within(
    format: Format,
    body: &[u8],
    limits: ReadLimits,
) -> Result<Node, FormatError> {
    match format {
        Format::Json => crate::json::read_json_within(body, limits),
        Format::Xml => crate::xml::read_xml_within(body, limits),
        Format::Bson => crate::bson_format::read_bson_within(body, limits),
    }
}

/// Writes a document in `format`.
pub fn write_document(format: Format, node: &Node) -> Result<Vec<u8>, FormatError> {
    match format {
        Format::Json => Ok(crate::json::write_json(node).into_bytes()),
        Format::Xml => Ok(crate::xml::write_xml(node).into_bytes()),
        Format::Bson => crate::bson_format::write_bson(node),
    }
}

/// Reads a DTO from a body in `format`, within the contract's limits ([`ReadLimits::DEFAULT`]).
pub fn decode<T: WireType>(format: Format, body: &[u8]) -> Result<T, DecodeError> {
    decode_within(format, body, ReadLimits::DEFAULT)
}

/// Reads a DTO from a body in `format`, within a server's `limits`.
pub fn decode_within<T: WireType>(
    format: Format,
    body: &[u8],
    limits: ReadLimits,
) -> Result<T, DecodeError> {
    let node = read_document_within(format, body, limits)?;
    Ok(T::from_root(&node)?)
}

/// Writes a DTO as a body in `format`.
pub fn encode<T: WireType>(format: Format, value: &T) -> Result<Vec<u8>, FormatError> {
    write_document(format, &Node::Object(value.to_object()))
}
