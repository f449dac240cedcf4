//! A strict JSON parser (RFC 8259, exactly what serde_json accepts) straight into [`Node`]s.
//!
//! serde_json's `Value` keeps object members in a map sorted by name, which loses what Json.NET
//! reads: the document order of members, repeated names included, so that the last of several
//! spellings of one member wins. This parser keeps both. It also keeps every number's text as
//! sent, and needs no intermediate tree.
//!
//! It never recurses: open lists and objects are kept on a heap stack, and a value deeper than
//! the depth limit is refused before it is read, so neither reading nor dropping a tree (whose
//! depth is bounded) can exhaust the call stack. Messages read like serde_json's (`EOF while
//! parsing a list at line 1 column 11`).

use std::borrow::Cow;

use crate::node::{List, Node, Object};

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// Not JSON: what was wrong, and where (line and column, as serde_json says it).
    Syntax(String),
    /// A value nested deeper than the limit.
    TooDeep,
}

/// A list or object being read.
enum Open {
    List(Vec<Node>),
    /// The members read so far, and the name of the member whose value is being read.
    Object(Vec<(Cow<'static, str>, Node)>, String),
}

/// Parses one JSON document nested at most `depth_max` levels deep, the root being level 1 and
/// every value, scalar or not, a level below its list or object.
pub(crate) fn parse(bytes: &[u8], depth_max: usize) -> Result<Node, ParseError> {
    Parser { bytes, at: 0 }.document(depth_max)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn document(&mut self, depth_max: usize) -> Result<Node, ParseError> {
        let mut stack: Vec<Open> = Vec::new();
        'value: loop {
            if stack.len() >= depth_max {
                return Err(ParseError::TooDeep);
            }
            let mut value = match self.skip_whitespace() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b'[') => {
                    self.at += 1;
                    match self.skip_whitespace() {
                        Some(b']') => {
                            self.at += 1;
                            Node::List(List {
                                item: None,
                                items: Vec::new(),
                            })
                        }
                        Some(_) => {
                            stack.push(Open::List(Vec::new()));
                            continue 'value;
                        }
                        None => return Err(self.error("EOF while parsing a list")),
                    }
                }
                Some(b'{') => {
                    self.at += 1;
                    if self.skip_whitespace() == Some(b'}') {
                        self.at += 1;
                        Node::Object(Object {
                            ty: None,
                            fields: Vec::new(),
                        })
                    } else {
                        let name = self.member_name(b'{')?;
                        stack.push(Open::Object(Vec::new(), name));
                        continue 'value;
                    }
                }
                Some(_) => self.scalar()?,
            };
            // A value is complete: it closes every list and object it completes.
            loop {
                let Some(open) = stack.last_mut() else {
                    if self.skip_whitespace().is_some() {
                        return Err(self.error("trailing characters"));
                    }
                    return Ok(value);
                };
                let next = self.skip_whitespace();
                match open {
                    Open::List(items) => {
                        items.push(value);
                        match next {
                            Some(b',') => {
                                self.at += 1;
                                if self.skip_whitespace() == Some(b']') {
                                    return Err(self.error("trailing comma"));
                                }
                                continue 'value;
                            }
                            Some(b']') => self.at += 1,
                            Some(_) => return Err(self.error("expected `,` or `]`")),
                            None => return Err(self.error("EOF while parsing a list")),
                        }
                    }
                    Open::Object(fields, name) => {
                        fields.push((Cow::Owned(std::mem::take(name)), value));
                        match next {
                            Some(b',') => {
                                self.at += 1;
                                *name = self.member_name(b',')?;
                                continue 'value;
                            }
                            Some(b'}') => self.at += 1,
                            Some(_) => return Err(self.error("expected `,` or `}`")),
                            None => return Err(self.error("EOF while parsing an object")),
                        }
                    }
                }
                value = match stack.pop() {
                    Some(Open::List(items)) => Node::List(List { item: None, items }),
                    Some(Open::Object(fields, _)) => Node::Object(Object { ty: None, fields }),
                    None => return Err(self.error("unbalanced document")),
                };
            }
        }
    }

    /// The next byte that is not JSON whitespace, not consumed.
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// A member's name and its colon, after `after` (`{` or `,`).
    fn member_name(&mut self, after: u8) -> Result<String, ParseError> {
        let name = match self.skip_whitespace() {
            Some(b'"') => self.string()?,
            Some(b'}') if after == b',' => return Err(self.error("trailing comma")),
            Some(_) => return Err(self.error("key must be a string")),
            None => return Err(self.error("EOF while parsing an object")),
        };
        match self.skip_whitespace() {
            Some(b':') => {
                self.at += 1;
                Ok(name)
            }
            Some(_) => Err(self.error("expected `:`")),
            None => Err(self.error("EOF while parsing an object")),
        }
    }

    /// A string, number, `true`, `false` or `null` at the current byte.
    fn scalar(&mut self) -> Result<Node, ParseError> {
        match self.bytes.get(self.at) {
            Some(b'"') => self.string().map(Node::Text),
            Some(b'-' | b'0'..=b'9') => self.number().map(Node::Number),
            Some(b't') => self.literal("true", Node::Bool(true)),
            Some(b'f') => self.literal("false", Node::Bool(false)),
            Some(b'n') => self.literal("null", Node::Null(None)),
            _ => Err(self.error("expected value")),
        }
    }

    fn literal(&mut self, word: &str, node: Node) -> Result<Node, ParseError> {
        for &expected in word.as_bytes() {
            match self.bytes.get(self.at) {
                Some(&byte) if byte == expected => self.at += 1,
                Some(_) => return Err(self.error("expected ident")),
                None => return Err(self.error("EOF while parsing a value")),
            }
        }
        Ok(node)
    }

    /// A number's exact text: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<String, ParseError> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let integer_start = self.at;
        let integer = self.digits();
        // One leading `0` at most, and only alone.
        if integer == 0 || integer > 1 && self.bytes.get(integer_start) == Some(&b'0') {
            return Err(self.error("invalid number"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let text = self.bytes.get(start..self.at).unwrap_or_default();
        // ASCII only: the bytes were all checked above.
        Ok(String::from_utf8_lossy(text).into_owned())
    }

    /// Consumes ASCII digits and says how many there were.
    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// A string at its opening quote, unescaped; raw text must be UTF-8 without control
    /// characters, and escaped surrogates must come in pairs.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut text = String::new();
        loop {
            let run_start = self.at;
            while self
                .bytes
                .get(self.at)
                .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            let run = self.bytes.get(run_start..self.at).unwrap_or_default();
            match std::str::from_utf8(run) {
                Ok(run) => text.push_str(run),
                Err(err) => {
                    self.at = run_start + err.valid_up_to();
                    return Err(self.error("invalid unicode code point"));
                }
            }
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.at += 1;
                    text.push(self.escape()?);
                }
                Some(_) => {
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, ParseError> {
        let Some(&byte) = self.bytes.get(self.at) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error("invalid escape")),
        })
    }

    /// The character of `\uXXXX` (after the `u`), or of a pair of them for a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let high = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&high) {
            return Err(self.error("lone leading surrogate in hex escape"));
        }
        let code = if (0xD800..=0xDBFF).contains(&high) {
            if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                self.at = (self.at + 1).min(self.bytes.len());
                return Err(self.error("unexpected end of hex escape"));
            }
            self.at += 2;
            let low = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(self.error("lone leading surrogate in hex escape"));
            }
            0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut value = 0;
        for _ in 0..4 {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.error("EOF while parsing a string"));
            };
            self.at += 1;
            let digit = char::from(byte)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid escape"))?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// A syntax error at the current byte, with its line and column as serde_json counts them
    /// (the column of the offending byte, or of the last byte at the end of the input).
    fn error(&self, what: &str) -> ParseError {
        let at = (self.at + 1).min(self.bytes.len());
        let before = self.bytes.get(..at).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        ParseError::Syntax(format!("{what} at line {line} column {}", at - line_start))
    }
}
