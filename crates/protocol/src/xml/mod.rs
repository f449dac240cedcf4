//! XML as .NET's `DataContractSerializer` writes and reads it (CONTRACT §8), and the plain XML of
//! the Qimen dialect (CONTRACT §7).
//!
//! Writing: [`write_xml`] turns a [`Node`] tree into the exact bytes ASP.NET Web API's XML
//! formatter writes for a DataContract-dialect object (namespaces, ordinal member order, `i:nil`,
//! `d2p1`-style prefixes for members of another namespace), or into plain XML for a Qimen-dialect
//! object. The golden files in `testdata/` are reproduced byte for byte.
//!
//! Reading: [`read_xml`] turns either dialect into a node tree that the generated DTO readers
//! type. Namespaces and prefixes are ignored (local names only), members may come in any order or
//! not at all, and `nil="true"` is a null. Hostile documents are refused before anything is
//! expanded: no DOCTYPE, no entity other than the five predefined ones, at most
//! [`BODY_MAX_BYTES`] bytes and [`DEPTH_MAX`] levels, or a server's
//! [`ReadLimits`](crate::limits::ReadLimits) ([`read_xml_within`]).

mod chars;
mod contract;
mod plain;
mod read;

pub use read::{XmlRoot, read_xml, read_xml_root, read_xml_root_within, read_xml_within};

use crate::node::{Dialect, Node};

pub use crate::limits::{BODY_MAX_BYTES, DEPTH_MAX};

/// The XML Schema instance namespace: bound to the prefix `i` on every DataContract root, its
/// `nil` attribute marks a null member.
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The element name of a root that has no type to be named after (never written for a DTO).
const UNTYPED_ROOT: &str = "root";

/// Writes a document.
///
/// - A DataContract-dialect object is written as .NET does: root element named by its type,
///   `xmlns:i` then `xmlns`, members in ordinal order of their names, other namespaces declared
///   on the member that needs them (`xmlns:d2p1`), nulls as `<x i:nil="true" />`, empty text as
///   `<x></x>`, decimals with their scale.
/// - A Qimen-dialect object is written as plain XML: members in the node's order, null members
///   left out, lists as `<clerks><clerk>…</clerk></clerks>`.
/// - Any other root (untyped, or not an object) is written as plain XML under the element
///   `root`.
///
/// The output is always well-formed: characters XML 1.0 cannot carry (most C0 controls, U+FFFE,
/// U+FFFF) are written as U+FFFD, and a name that is not an XML name is encoded as .NET's
/// `XmlConvert.EncodeLocalName` does (`a b` → `a_x0020_b`).
///
/// ```
/// use posbridge_protocol::dto::PosSellDeleteOrCloseParm;
/// use posbridge_protocol::node::Node;
/// use posbridge_protocol::read::WireType;
/// use posbridge_protocol::xml::write_xml;
///
/// let parm = PosSellDeleteOrCloseParm {
///     sender_bill_num: Some("A&B".into()),
///     bill_num: None,
/// };
/// assert_eq!(
///     write_xml(&Node::Object(parm.to_object())),
///     "<PosSellDeleteOrCloseParm xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" \
///      xmlns=\"http://schemas.datacontract.org/2004/07/DigitalScience.DataTransfer.Tour.V5.Parm\">\
///      <BillNum i:nil=\"true\" /><SenderBillNum>A&amp;B</SenderBillNum></PosSellDeleteOrCloseParm>"
/// );
/// ```
pub fn write_xml(node: &Node) -> String {
    let mut out = String::with_capacity(512);
    match node {
        Node::Object(object) => match &object.ty {
            Some(ty) if ty.dialect == Dialect::DataContract => {
                contract::write_root(&mut out, ty, object);
            }
            Some(ty) => plain::write_root(&mut out, &ty.name, node),
            None => plain::write_root(&mut out, UNTYPED_ROOT, node),
        },
        _ => plain::write_root(&mut out, UNTYPED_ROOT, node),
    }
    out
}

/// Whether `name` can be an element name as it stands (an XML NCName), so that writing it needs
/// no encoding.
pub fn is_element_name(name: &str) -> bool {
    chars::is_ncname(name)
}

#[cfg(test)]
mod tests;
