//! Query strings of Qimen calls: parsing with percent-decoding (the signature is computed over
//! decoded values), encoding for clients, and lookup of parameters by name in any letter case.

use std::fmt::Write as _;

/// Splits a raw query string (`a=1&b=x%20y`, with or without a leading `?`) into decoded
/// name–value pairs, in order, repeats kept.
///
/// `+` is a space and `%XX` a byte, as HTML forms and the Qimen SDKs encode them; a `%` not
/// followed by two hex digits is kept as is. A pair without `=` has an empty value; empty
/// pairs (`a=1&&b=2`) are skipped. Bytes that do not decode to UTF-8 become U+FFFD, so such a
/// value can never match a signature computed over the text the sender meant.
///
/// ```
/// use posbridge_protocol::qimen::query::parse_query;
///
/// let pairs = parse_query("timestamp=2017-02-10+00%3A00%3A00&v=2.0&flag");
/// assert_eq!(
///     pairs,
///     [
///         ("timestamp".to_owned(), "2017-02-10 00:00:00".to_owned()),
///         ("v".to_owned(), "2.0".to_owned()),
///         ("flag".to_owned(), String::new()),
///     ]
/// );
/// ```
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    let raw = raw.strip_prefix('?').unwrap_or(raw);
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Percent-decodes one name or value.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            b'%' => match (hex_digit(bytes.get(at + 1)), hex_digit(bytes.get(at + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    at += 3;
                }
                _ => {
                    out.push(b'%');
                    at += 1;
                }
            },
            _ => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(byte: Option<&u8>) -> Option<u8> {
    let byte = *byte?;
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Encodes name–value pairs as a query string (without `?`): every byte but the unreserved
/// ones (`A–Z a–z 0–9 - . _ ~`) is percent-encoded, a space as `%20`, so any decoder reads
/// the values back exactly.
///
/// ```
/// use posbridge_protocol::qimen::query::{encode_query, parse_query};
///
/// let pairs = [("timestamp", "2017-02-10 00:00:00"), ("customerId", "老王&co")];
/// let query = encode_query(&pairs);
/// assert_eq!(
///     query,
///     "timestamp=2017-02-10%2000%3A00%3A00&customerId=%E8%80%81%E7%8E%8B%26co"
/// );
/// assert_eq!(parse_query(&query)[1].1, "老王&co");
/// ```
pub fn encode_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::new();
    for (index, (name, value)) in params.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        encode_into(&mut out, name.as_ref());
        out.push('=');
        encode_into(&mut out, value.as_ref());
    }
    out
}

fn encode_into(out: &mut String, text: &str) {
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// The value of the first parameter called `name` in any ASCII letter case (CONTRACT §7:
/// parameter names match case-insensitively).
///
/// ```
/// use posbridge_protocol::qimen::query::{parse_query, query_param};
///
/// let pairs = parse_query("Sign_Method=hmac&APP_KEY=k1");
/// assert_eq!(query_param(&pairs, "sign_method"), Some("hmac"));
/// assert_eq!(query_param(&pairs, "app_key"), Some("k1"));
/// assert_eq!(query_param(&pairs, "sign"), None);
/// ```
pub fn query_param<'p, K: AsRef<str>, V: AsRef<str>>(
    params: &'p [(K, V)],
    name: &str,
) -> Option<&'p str> {
    params
        .iter()
        .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref())
}
