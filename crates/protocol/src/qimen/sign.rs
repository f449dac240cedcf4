//! Qimen/TOP request signatures (CONTRACT §7), one implementation for the server (verify) and
//! the client (sign).
//!
//! The signed text is every query parameter but `sign` whose name and value are both non-empty,
//! sorted by name (byte order), written as `name + value` with no separators (values decoded),
//! followed by the raw body bytes. `md5` signs `secret + text + secret`; `hmac` and
//! `hmac-sha256` key an HMAC with the secret. Signatures are upper-case hex and are compared in
//! any letter case, in constant time.

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

/// How a call is signed (`sign_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignMethod {
    /// `md5`, the default: MD5 of `secret + text + secret`.
    #[default]
    Md5,
    /// `hmac`: HMAC-MD5 keyed by the secret.
    Hmac,
    /// `hmac-sha256`: HMAC-SHA256 keyed by the secret.
    HmacSha256,
}

impl SignMethod {
    /// Every method.
    pub const ALL: [SignMethod; 3] = [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256];

    /// Reads `md5`, `hmac` or `hmac-sha256` in any ASCII letter case.
    pub fn parse(text: &str) -> Option<SignMethod> {
        SignMethod::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(text))
    }

    /// The method named by an optional `sign_method` parameter: absent or empty is `md5`, as
    /// the TOP SDKs default to it.
    pub fn from_param(value: Option<&str>) -> Option<SignMethod> {
        match value {
            None | Some("") => Some(SignMethod::Md5),
            Some(text) => SignMethod::parse(text),
        }
    }

    /// The parameter's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Md5 => "md5",
            SignMethod::Hmac => "hmac",
            SignMethod::HmacSha256 => "hmac-sha256",
        }
    }
}

/// The text a signature covers: the signed parameters as `name + value`, sorted by name, then
/// the body. Parameters keep the spelling they were sent with; `sign` (in any letter case) and
/// parameters with an empty name or value are left out. Repeated names keep their order.
///
/// ```
/// use posbridge_protocol::qimen::sign::sign_input;
///
/// let params = [("v", "2.0"), ("sign", "ABC"), ("app_key", "k1"), ("session", "")];
/// assert_eq!(sign_input(&params, b"<request/>"), b"app_keyk1v2.0<request/>");
/// ```
pub fn sign_input<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)], body: &[u8]) -> Vec<u8> {
    let mut signed: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_ref()))
        .filter(|(name, value)| {
            !name.is_empty() && !value.is_empty() && !name.eq_ignore_ascii_case("sign")
        })
        .collect();
    // A stable sort on the name bytes: `str`'s order is byte order.
    signed.sort_by_key(|(name, _)| *name);
    let len = signed.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>() + body.len();
    let mut text = Vec::with_capacity(len);
    for (name, value) in signed {
        text.extend_from_slice(name.as_bytes());
        text.extend_from_slice(value.as_bytes());
    }
    text.extend_from_slice(body);
    text
}

/// The signature of a call: upper-case hex, 32 digits for `md5` and `hmac`, 64 for
/// `hmac-sha256`.
///
/// ```
/// use posbridge_protocol::qimen::sign::{SignMethod, sign};
///
/// // MD5("s3cr3t" + "app_keyk1v2.0" + "<request/>" + "s3cr3t"), computed with `md5sum`.
/// let params = [("app_key", "k1"), ("v", "2.0")];
/// assert_eq!(
///     sign(&params, b"<request/>", "s3cr3t", SignMethod::Md5),
///     "EFEC25E116C4A19F7707E046D8A0D0D0"
/// );
/// ```
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: &[u8],
    secret: &str,
    method: SignMethod,
) -> String {
    let text = sign_input(params, body);
    let secret = secret.as_bytes();
    match method {
        SignMethod::Md5 => {
            let mut digest = Md5::new();
            Digest::update(&mut digest, secret);
            Digest::update(&mut digest, &text);
            Digest::update(&mut digest, secret);
            hex_upper(&digest.finalize())
        }
        SignMethod::Hmac => hmac_hex::<Hmac<Md5>>(secret, &text),
        SignMethod::HmacSha256 => hmac_hex::<Hmac<Sha256>>(secret, &text),
    }
}

/// Whether `given` is the signature of the call, in any letter case. The comparison takes the
/// same time wherever the first difference is, so a forger learns nothing from timing.
pub fn verify<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    body: &[u8],
    secret: &str,
    method: SignMethod,
    given: &str,
) -> bool {
    let expected = sign(params, body, secret, method);
    eq_hex_constant_time(expected.as_bytes(), given.as_bytes())
}

fn hmac_hex<M: Mac + KeyInit>(secret: &[u8], text: &[u8]) -> String {
    match <M as KeyInit>::new_from_slice(secret) {
        Ok(mut mac) => {
            Mac::update(&mut mac, text);
            hex_upper(&mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length, so this is never reached; should it be, the empty
        // signature verifies nothing (see `eq_hex_constant_time`).
        Err(_) => String::new(),
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Compares upper-case `expected` with `given` in any ASCII case, touching every byte. Lengths
/// are public (a digest's length is), so a length mismatch returns at once; nothing equals an
/// empty `expected`.
fn eq_hex_constant_time(expected: &[u8], given: &[u8]) -> bool {
    if expected.is_empty() || expected.len() != given.len() {
        return false;
    }
    let diff = expected
        .iter()
        .zip(given)
        .fold(0u8, |diff, (e, g)| diff | (e ^ g.to_ascii_uppercase()));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_comparison_ignores_case_and_nothing_else() {
        let check = |expected: &str, given: &str, expect: bool| {
            let got = eq_hex_constant_time(expected.as_bytes(), given.as_bytes());
            assert_eq!(got, expect, "{expected} vs {given}");
        };
        check("0A1B", "0A1B", true);
        check("0A1B", "0a1b", true);
        check("0A1B", "0A1C", false);
        check("0A1B", "0A1", false);
        check("0A1B", "0A1BB", false);
        check("", "", false);
        // A lower-case expected value never matches: signatures are always upper case.
        check("0a1b", "0a1b", false);
    }

    #[test]
    fn methods_read_in_any_case_and_default_to_md5() {
        assert_eq!(
            SignMethod::parse("HMAC-SHA256"),
            Some(SignMethod::HmacSha256)
        );
        assert_eq!(SignMethod::parse("sha256"), None);
        assert_eq!(SignMethod::from_param(None), Some(SignMethod::Md5));
        assert_eq!(SignMethod::from_param(Some("")), Some(SignMethod::Md5));
        assert_eq!(SignMethod::from_param(Some("Hmac")), Some(SignMethod::Hmac));
        for method in SignMethod::ALL {
            assert_eq!(SignMethod::parse(method.as_str()), Some(method));
        }
    }
}
