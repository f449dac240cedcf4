//! XML bytes to a [`Node`] tree, for both dialects, read leniently and defensively.
//!
//! Lenient, as CONTRACT §8 asks: element names are compared by local name only (any prefix, any
//! namespace, or none), members may come in any order or be missing, any attribute named `nil`
//! (whatever its prefix) with the value `true` or `1` makes the element a null, and a UTF-8 byte
//! order mark and an XML declaration are accepted. The typing is left to the generated DTO code.
//!
//! Defensive: the size limit is checked before parsing; invalid UTF-8 and characters XML 1.0
//! does not allow are refused before parsing; a DOCTYPE is refused as soon as it is met, so no
//! entity can be declared, let alone expanded; a reference to any entity other than the five
//! predefined ones is refused; nesting is bounded by [`DEPTH_MAX`](crate::limits::DEPTH_MAX)
//! (or a server's [`ReadLimits`]), and the reader keeps its own stack, so no input can exhaust
//! the call stack. Memory is proportional to the (bounded) input.

use std::borrow::Cow;

use quick_xml::errors::Error as QuickError;
use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::chars::{is_qname, is_xml_char};
use crate::format_error::FormatError;
use crate::limits::ReadLimits;
use crate::node::{Node, Object};

/// A UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What [`FormatError::Forbidden`] says of an entity reference.
pub(super) const FORBIDDEN_ENTITY: &str = "an entity other than &lt; &gt; &amp; &apos; &quot;";

/// A document's root element: its local name and its content.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlRoot {
    /// The root element's local name (`PosSellFromWebInterfaceParm`, `request`), for callers
    /// that check what a document is, or tell `response` from `error_response`.
    pub name: String,
    /// Its content, as [`read_xml`] returns it.
    pub node: Node,
}

/// Reads an XML document of either dialect into the content of its root element.
///
/// - An element with child elements is an [`Node::Object`] of (local name, child) in document
///   order, repeated names kept (they are a list's items; where a single member is read, the
///   last of its repeats wins, as in JSON); whitespace between child elements is layout and is
///   dropped, so indented documents read as compact ones.
/// - An element without child elements is [`Node::Text`], whitespace kept (`<a/>` is `""`).
/// - An element with an attribute named `nil` whose value is `true` or `1` is `Node::Null(None)`.
/// - The root is always an object: an empty root is an object without members.
///
/// Failures are [`FormatError`]s: `TooLarge` over
/// [`BODY_MAX_BYTES`](crate::limits::BODY_MAX_BYTES), `TooDeep` over
/// [`DEPTH_MAX`](crate::limits::DEPTH_MAX) levels, `Forbidden` for a DOCTYPE or an undeclared
/// entity, `Malformed` for the
/// rest (invalid UTF-8, characters XML does not allow, an encoding other than UTF-8, bad syntax,
/// text beside child elements, several roots or none).
///
/// ```
/// use posbridge_protocol::node::Node;
/// use posbridge_protocol::xml::read_xml;
///
/// let node = read_xml(b"<a:Parm xmlns:a=\"urn:x\"><a:B>1</a:B><C i:nil=\"true\" /></a:Parm>")
///     .unwrap();
/// let Node::Object(object) = node else { panic!() };
/// assert_eq!(object.get("B"), Some(&Node::Text("1".into())));
/// assert_eq!(object.get("C"), Some(&Node::Null(None)));
/// ```
pub fn read_xml(bytes: &[u8]) -> Result<Node, FormatError> {
    read_xml_root(bytes).map(|root| root.node)
}

/// [`read_xml`] with a server's limits instead of the contract's.
pub fn read_xml_within(bytes: &[u8], limits: ReadLimits) -> Result<Node, FormatError> {
    read_xml_root_within(bytes, limits).map(|root| root.node)
}

/// Reads an XML document like [`read_xml`], keeping the root element's local name.
pub fn read_xml_root(bytes: &[u8]) -> Result<XmlRoot, FormatError> {
    read_xml_root_within(bytes, ReadLimits::DEFAULT)
}

/// [`read_xml_root`] with a server's limits instead of the contract's.
pub fn read_xml_root_within(bytes: &[u8], limits: ReadLimits) -> Result<XmlRoot, FormatError> {
    limits.check_size(bytes)?;
    // .NET writes a byte order mark when asked for `Encoding.UTF8`. Only one: a second is the
    // character U+FEFF before the root, which XML does not allow (quick-xml would skip it).
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if bytes.starts_with(BOM) {
        return Err(FormatError::Malformed(
            "a second byte order mark: U+FEFF is not allowed before the root element".to_owned(),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|err| FormatError::Malformed(format!("body is not UTF-8: {err}")))?;
    // One pass over the whole text: no character XML 1.0 forbids may appear anywhere, which
    // also turns a UTF-16 body (full of NULs) into a clear error.
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        return Err(FormatError::Malformed(format!(
            "character U+{:04X} at byte {at} is not allowed in XML",
            u32::from(c)
        )));
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut document = Document {
        stack: Vec::new(),
        root: None,
        limits,
    };
    let mut first = true;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| malformed(format_args!("{err} at byte {}", reader.error_position())))?;
        let at_start = std::mem::replace(&mut first, false);
        match event {
            Event::Decl(decl) if at_start => check_declaration(&decl)?,
            Event::Decl(_) => {
                return Err(FormatError::Malformed(
                    "the XML declaration must come first".to_owned(),
                ));
            }
            Event::DocType(_) => return Err(FormatError::Forbidden("a DOCTYPE")),
            Event::Start(start) => document.open(&start)?,
            Event::Empty(start) => {
                document.open(&start)?;
                document.close()?;
            }
            Event::End(_) => document.close()?,
            Event::Text(text) => document.push_text(&text.xml10_content())?,
            Event::CData(data) => document.push_text(&data.xml10_content())?,
            Event::GeneralRef(reference) => document.push_reference(&reference)?,
            // Comments and processing instructions carry no data.
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    document.finish()
}

/// An element being read.
struct Frame {
    name: String,
    fields: Vec<(Cow<'static, str>, Node)>,
    text: String,
    nil: bool,
}

impl Frame {
    fn into_node(self) -> Result<(String, Node), FormatError> {
        // A nil element is null whatever it holds, as .NET reads it.
        if self.nil {
            return Ok((self.name, Node::Null(None)));
        }
        if self.fields.is_empty() {
            return Ok((self.name, Node::Text(self.text)));
        }
        // Whitespace between child elements is layout; other text beside them has no place in
        // a DataContract or Qimen document, and dropping it silently would hide a sender's
        // mistake.
        if !self.text.trim().is_empty() {
            return Err(FormatError::Malformed(format!(
                "element <{}> mixes text and child elements",
                self.name
            )));
        }
        let object = Object {
            ty: None,
            fields: self.fields,
        };
        Ok((self.name, Node::Object(object)))
    }
}

/// The document being read: the open elements, and the root once it is closed.
struct Document {
    stack: Vec<Frame>,
    root: Option<XmlRoot>,
    limits: ReadLimits,
}

impl Document {
    fn open(&mut self, start: &BytesStart<'_>) -> Result<(), FormatError> {
        if self.stack.is_empty() && self.root.is_some() {
            return Err(FormatError::Malformed(
                "more than one root element".to_owned(),
            ));
        }
        // The element opened now is at level `stack.len() + 1`.
        self.limits.check_level(self.stack.len() + 1)?;
        let qualified = start.name().into_inner();
        if !is_qname(qualified) {
            return Err(FormatError::Malformed(format!(
                "<{}> is not a valid element name",
                shorten(qualified)
            )));
        }
        let nil = read_nil(start)?;
        let name = start.local_name().into_inner().to_owned();
        self.stack.push(Frame {
            name,
            fields: Vec::new(),
            text: String::new(),
            nil,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), FormatError> {
        let frame = self.stack.pop().ok_or_else(|| {
            FormatError::Malformed("closing tag without an opening one".to_owned())
        })?;
        let (name, node) = frame.into_node()?;
        match self.stack.last_mut() {
            Some(parent) => parent.fields.push((Cow::Owned(name), node)),
            None => self.root = Some(XmlRoot { name, node }),
        }
        Ok(())
    }

    fn push_text(&mut self, text: &str) -> Result<(), FormatError> {
        match self.stack.last_mut() {
            Some(frame) => {
                frame.text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(FormatError::Malformed(
                "text outside the root element".to_owned(),
            )),
        }
    }

    fn push_reference(&mut self, reference: &BytesRef<'_>) -> Result<(), FormatError> {
        let c = resolve(reference)?;
        if self.stack.is_empty() {
            return Err(FormatError::Malformed(
                "text outside the root element".to_owned(),
            ));
        }
        self.push_text(c.encode_utf8(&mut [0; 4]))
    }

    fn finish(self) -> Result<XmlRoot, FormatError> {
        if let Some(open) = self.stack.last() {
            return Err(FormatError::Malformed(format!(
                "element <{}> is not closed",
                shorten(&open.name)
            )));
        }
        let mut root = self
            .root
            .ok_or_else(|| FormatError::Malformed("no root element".to_owned()))?;
        // Every document of either dialect has an object at its root; `<Parm/>` is one whose
        // members are all missing, not a text.
        if matches!(&root.node, Node::Text(text) if text.trim().is_empty()) {
            root.node = Node::Object(Object {
                ty: None,
                fields: Vec::new(),
            });
        }
        Ok(root)
    }
}

/// Whether the element is marked null: any attribute whose local name is `nil` (the XML Schema
/// instance one under whatever prefix, or none) with the `xs:boolean` value `true` or `1`.
/// Every attribute is checked on the way, so a bad one still makes the document malformed.
fn read_nil(start: &BytesStart<'_>) -> Result<bool, FormatError> {
    let mut nil = false;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(malformed)?;
        if attribute.value.contains('<') {
            return Err(FormatError::Malformed(
                "an attribute value contains '<'".to_owned(),
            ));
        }
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| match err {
                QuickError::Escape(EscapeError::UnrecognizedEntity(..)) => {
                    FormatError::Forbidden(FORBIDDEN_ENTITY)
                }
                err => malformed(err),
            })?;
        if !value.chars().all(is_xml_char) {
            return Err(FormatError::Malformed(
                "invalid character reference".to_owned(),
            ));
        }
        // `xmlns:nil="…"` declares a prefix; it is not a nil attribute.
        let declaration = attribute.key.as_namespace_binding().is_some();
        if !declaration && attribute.key.local_name().into_inner() == "nil" {
            nil = matches!(value.trim(), "true" | "1");
        }
    }
    Ok(nil)
}

/// Only UTF-8 is read (CONTRACT §4): a document declaring another encoding (`utf-16`, as a .NET
/// `StringWriter` declares, or a GBK one) is refused rather than read as garbage, as .NET's
/// reader refuses a declaration that does not match the bytes. Only XML 1.0 is read.
fn check_declaration(decl: &BytesDecl<'_>) -> Result<(), FormatError> {
    let version = decl.version().map_err(malformed)?;
    if &*version != "1.0" {
        return Err(FormatError::Malformed(format!(
            "XML version {} is not supported, send 1.0",
            shorten(&version)
        )));
    }
    match decl.encoding() {
        None => Ok(()),
        Some(Ok(name))
            if name.eq_ignore_ascii_case("utf-8") || name.eq_ignore_ascii_case("utf8") =>
        {
            Ok(())
        }
        Some(Ok(name)) => Err(FormatError::Malformed(format!(
            "encoding {} is not supported, send UTF-8",
            shorten(&name)
        ))),
        Some(Err(err)) => Err(malformed(err)),
    }
}

/// The character a reference in text stands for: a character reference to a character XML
/// allows, or one of the five entities every XML document has. Anything else would need a
/// DOCTYPE to declare it.
fn resolve(reference: &BytesRef<'_>) -> Result<char, FormatError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) if is_xml_char(c) => Ok(c),
        Ok(Some(_)) | Err(_) => Err(FormatError::Malformed(
            "invalid character reference".to_owned(),
        )),
        Ok(None) => match &**reference {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            _ => Err(FormatError::Forbidden(FORBIDDEN_ENTITY)),
        },
    }
}

/// A parser's complaint as a [`FormatError::Malformed`], cut to 200 characters: the parser quotes
/// names from the document, and a hostile one can make them a megabyte long.
fn malformed(err: impl std::fmt::Display) -> FormatError {
    const MESSAGE_CHARS_MAX: usize = 200;
    let mut message = err.to_string();
    if let Some((at, _)) = message.char_indices().nth(MESSAGE_CHARS_MAX) {
        message.truncate(at);
        message.push('…');
    }
    FormatError::Malformed(message)
}

/// At most 32 characters of a name or value, so that error messages stay short whatever was
/// sent.
fn shorten(text: &str) -> String {
    text.chars().take(32).collect()
}
