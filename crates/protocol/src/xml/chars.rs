//! Characters and names: which ones XML 1.0 allows, and how text, attribute values and names are
//! escaped so that every document written is well-formed.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Whether `name` is an XML `NCName`: a name without a colon.
pub(crate) fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Whether `name` is an XML qualified name: an `NCName`, or two joined by one colon.
pub(super) fn is_qname(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(name),
    }
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}'
            | '\u{300}'..='\u{36F}'
            | '\u{203F}'..='\u{2040}')
}

/// Writes text content as .NET's XML writer does: `&`, `<` and `>` as entities (quotes as they
/// are), a carriage return as `&#xD;` so that readers do not turn it into a line feed. A character
/// XML 1.0 cannot carry becomes U+FFFD: .NET refuses to write such a document at all, and
/// replacing one character is better than failing a whole answer over a stray control character
/// in a note.
pub(super) fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push(char::REPLACEMENT_CHARACTER),
        }
    }
}

/// Writes an attribute value for double quotes. Only namespace URIs are written as attributes,
/// and the DTOs' are plain, but a value is escaped anyway so that no input breaks the document.
pub(super) fn escape_attribute(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            // Attribute value normalisation would turn these into spaces.
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push(char::REPLACEMENT_CHARACTER),
        }
    }
}

/// A name fit to be an element's local name, encoded as .NET's `XmlConvert.EncodeLocalName`
/// encodes it: each character that may not stand where it is becomes `_xHHHH_` (`_xHHHHHHHH_`
/// beyond the BMP), and an `_` that would read as the start of such an escape becomes `_x005F_`.
/// The DTOs' member names are XML names already and pass through unchanged; only free-form names
/// (map keys) can need this. An empty name, which has no encoding, is written as `_`.
pub(super) fn encode_name(name: &str) -> Cow<'_, str> {
    if is_ncname(name) && !name.char_indices().any(|(at, _)| starts_escape(name, at)) {
        return Cow::Borrowed(name);
    }
    if name.is_empty() {
        return Cow::Borrowed("_");
    }
    let mut out = String::with_capacity(name.len() + 8);
    for (index, (at, c)) in name.char_indices().enumerate() {
        let fits = if index == 0 {
            is_name_start_char(c)
        } else {
            is_name_char(c)
        };
        if c == '_' && starts_escape(name, at) {
            out.push_str("_x005F_");
        } else if fits {
            out.push(c);
        } else if u32::from(c) > 0xFFFF {
            let _ = write!(out, "_x{:08X}_", u32::from(c));
        } else {
            let _ = write!(out, "_x{:04X}_", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// Whether `name[at..]` starts with what `XmlConvert.DecodeName` would decode: `_x` or `_X`,
/// then 4 or 8 hexadecimal digits, then `_`.
fn starts_escape(name: &str, at: usize) -> bool {
    let Some(rest) = name.get(at..) else {
        return false;
    };
    let Some(hex) = rest.strip_prefix("_x").or_else(|| rest.strip_prefix("_X")) else {
        return false;
    };
    let digits = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
    [4, 8]
        .into_iter()
        .any(|len| digits >= len && hex.as_bytes().get(len) == Some(&b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_like_dotnet() {
        let check = |name: &str, expect: &str| assert_eq!(encode_name(name), expect, "{name}");
        check("BillNum", "BillNum");
        check("d2p1", "d2p1");
        check("a b", "a_x0020_b");
        check("1x", "_x0031_x");
        check("a:b", "a_x003A_b");
        check("-a", "_x002D_a");
        check("a-1.b", "a-1.b");
        check("店员", "店员");
        check("_x0041_", "_x005F_x0041_");
        check("_x00410000_", "_x005F_x00410000_");
        check("_x41_", "_x41_");
        // XML 1.0 (fifth edition) takes most characters beyond the BMP as name characters.
        check("😀", "😀");
        check("a\u{F0000}", "a_x000F0000_");
        check("", "_");
    }

    #[test]
    fn qualified_names_have_at_most_one_colon() {
        for (name, expect) in [
            ("a", true),
            ("d2p1:a", true),
            ("a:b:c", false),
            (":a", false),
            ("a:", false),
            ("", false),
            ("1a", false),
        ] {
            assert_eq!(is_qname(name), expect, "{name}");
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut text = String::new();
        escape_text(&mut text, "a&b<c>d\"e'f\r\ng\t\u{1}\u{FFFE}老");
        assert_eq!(text, "a&amp;b&lt;c&gt;d\"e'f&#xD;\ng\t\u{FFFD}\u{FFFD}老");
        let mut attribute = String::new();
        escape_attribute(&mut attribute, "a&b<c>\"\t\n\r\u{0}");
        assert_eq!(attribute, "a&amp;b&lt;c>&quot;&#x9;&#xA;&#xD;\u{FFFD}");
    }
}
