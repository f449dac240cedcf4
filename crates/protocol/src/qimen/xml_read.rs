//! Qimen XML bytes to a [`Node`] tree: plain XML without namespaces, read defensively.
//!
//! An element with child elements becomes an object (members in document order, repeated names
//! kept, as a list of `<clerk>` needs); an element without becomes its text, empty for `<a/>`.
//! Names are local names; attributes, comments and processing instructions are ignored.
//!
//! Refused before anything is built from them: bodies over [`BODY_MAX_BYTES`], invalid UTF-8,
//! encodings other than UTF-8, a DOCTYPE (so no entity can be declared, let alone expanded), any
//! entity reference other than the five predefined ones, and nesting deeper than [`DEPTH_MAX`].
//! The reader keeps its own stack, so no input can exhaust the call stack.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};

use super::xml_write::is_xml_char;
use super::{BODY_MAX_BYTES, DEPTH_MAX};
use crate::format_error::FormatError;
use crate::node::{Node, Object};

/// A document's root element: its local name and its content.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Root {
    /// The root element's local name (`request`, `response`, `error_response`).
    pub name: String,
    /// Its content: an object, or text when it has no child elements.
    pub node: Node,
}

/// An element being read.
struct Frame {
    name: String,
    fields: Vec<(Cow<'static, str>, Node)>,
    text: String,
}

impl Frame {
    fn new(name: String) -> Frame {
        Frame {
            name,
            fields: Vec::new(),
            text: String::new(),
        }
    }

    fn into_parts(self) -> Result<(String, Node), FormatError> {
        if self.fields.is_empty() {
            return Ok((self.name, Node::Text(self.text)));
        }
        // Whitespace between child elements is layout; other text beside them has no place in
        // a Qimen document, and dropping it silently would hide a sender's mistake.
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

/// The document being read: open elements, and the root once it is closed.
#[derive(Default)]
struct Document {
    stack: Vec<Frame>,
    root: Option<Root>,
}

impl Document {
    fn open(&mut self, start: &BytesStart<'_>) -> Result<(), FormatError> {
        if self.stack.is_empty() && self.root.is_some() {
            return Err(FormatError::Malformed(
                "more than one root element".to_owned(),
            ));
        }
        if self.stack.len() >= DEPTH_MAX {
            return Err(FormatError::TooDeep { max: DEPTH_MAX });
        }
        // Attributes carry nothing in Qimen XML, but a malformed one still makes the document
        // malformed.
        for attribute in start.attributes() {
            attribute.map_err(|err| FormatError::Malformed(err.to_string()))?;
        }
        let name = start.local_name().into_inner().to_owned();
        self.stack.push(Frame::new(name));
        Ok(())
    }

    fn close(&mut self) -> Result<(), FormatError> {
        let frame = self.stack.pop().ok_or_else(|| {
            FormatError::Malformed("closing tag without an opening one".to_owned())
        })?;
        let (name, node) = frame.into_parts()?;
        match self.stack.last_mut() {
            Some(parent) => parent.fields.push((Cow::Owned(name), node)),
            None => self.root = Some(Root { name, node }),
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
        if self.stack.is_empty() {
            return Err(FormatError::Malformed(
                "reference outside the root element".to_owned(),
            ));
        }
        let c = resolve(reference)?;
        self.push_text(c.encode_utf8(&mut [0; 4]))
    }

    fn finish(self) -> Result<Root, FormatError> {
        if let Some(open) = self.stack.last() {
            return Err(FormatError::Malformed(format!(
                "element <{}> is not closed",
                open.name
            )));
        }
        self.root
            .ok_or_else(|| FormatError::Malformed("no root element".to_owned()))
    }
}

/// Reads a Qimen XML document into its root element's name and content.
pub(super) fn read_xml(bytes: &[u8]) -> Result<Root, FormatError> {
    if bytes.len() > BODY_MAX_BYTES {
        return Err(FormatError::TooLarge {
            max: BODY_MAX_BYTES,
        });
    }
    // .NET and Java writers may put a byte order mark first.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|err| FormatError::Malformed(format!("body is not UTF-8: {err}")))?;
    let mut reader = Reader::from_str(text);
    let mut document = Document::default();
    let mut first = true;
    loop {
        let event = reader.read_event().map_err(|err| {
            FormatError::Malformed(format!("{err} at byte {}", reader.error_position()))
        })?;
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
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    document.finish()
}

/// Only UTF-8 is read, as CONTRACT §4 says; a document declaring another encoding (a GBK
/// ERP, say) is refused rather than read as garbage.
fn check_declaration(decl: &BytesDecl<'_>) -> Result<(), FormatError> {
    match decl.encoding() {
        None => Ok(()),
        Some(Ok(name))
            if name.eq_ignore_ascii_case("utf-8") || name.eq_ignore_ascii_case("utf8") =>
        {
            Ok(())
        }
        Some(Ok(name)) => {
            let shown: String = name.chars().take(32).collect();
            Err(FormatError::Malformed(format!(
                "encoding {shown} is not supported, send UTF-8"
            )))
        }
        Some(Err(err)) => Err(FormatError::Malformed(err.to_string())),
    }
}

/// The character a reference stands for: a character reference, or one of the five entities
/// every XML document has. Anything else would need a DOCTYPE to declare it.
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
            _ => Err(FormatError::Forbidden(
                "an entity other than &lt; &gt; &amp; &apos; &quot;",
            )),
        },
    }
}
