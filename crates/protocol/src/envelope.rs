//! The answer envelope of every Web API call: `{errcode, errmsg, tag}` (seeds 001 and 002).
//!
//! With a string tag it is the generated [`CommonOperationResult`]; with a DTO tag it is .NET's
//! generic `CommonOperationResultWithTag<T>`, whose DataContract root name carries a digest of
//! `T`'s namespace: `CommonOperationResultWithTagOfPosSellFromWebInterfaceResultlTRO8TLE`.

use std::borrow::Cow;

use md5::{Digest, Md5};

use crate::dto::{CommonOperationResult, NS_ENVELOPE};
use crate::node::{Dialect, Node, Object, TypeName};
use crate::path::Path;
use crate::read::{self, ReadError, WireType};
use crate::write;

/// `CommonOperationResultWithTag<T>`: an answer whose `tag` is a DTO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<T> {
    /// 0 for success, else the errcode.
    pub errcode: i32,
    /// What happened.
    pub errmsg: Option<String>,
    /// The operation's result; absent on errors.
    pub tag: Option<T>,
}

impl<T: WireType> Envelope<T> {
    /// The DataContract name .NET gives `CommonOperationResultWithTag<T>`.
    ///
    /// ```
    /// use posbridge_protocol::dto::PosSellFromWebInterfaceResult;
    /// use posbridge_protocol::envelope::Envelope;
    ///
    /// assert_eq!(
    ///     Envelope::<PosSellFromWebInterfaceResult>::type_name().name,
    ///     "CommonOperationResultWithTagOfPosSellFromWebInterfaceResultlTRO8TLE"
    /// );
    /// ```
    pub fn type_name() -> TypeName {
        let name = format!(
            "CommonOperationResultWithTagOf{}{}",
            T::TYPE_NAME.name,
            generic_digest(&[T::TYPE_NAME.namespace])
        );
        TypeName {
            name: Cow::Owned(name),
            namespace: NS_ENVELOPE,
            dialect: Dialect::DataContract,
        }
    }

    /// The envelope as a node tree, members in JSON order.
    pub fn to_node(&self) -> Node {
        Node::Object(Object::typed(
            Self::type_name(),
            vec![
                ("errcode".into(), Node::Int(i64::from(self.errcode))),
                ("errmsg".into(), write::string(&self.errmsg)),
                ("tag".into(), write::nested(&self.tag)),
            ],
        ))
    }

    /// Reads an envelope (a client reading an answer).
    pub fn from_root(node: &Node) -> Result<Envelope<T>, ReadError> {
        let root = Path::Root;
        let object = read::object(Some(node), &root)?.ok_or_else(|| ReadError {
            field: root.to_field_path(),
            problem: read::ReadProblem::NotAnObject,
        })?;
        Ok(Envelope {
            errcode: read::int(object.get("errcode"), &root.member("errcode"))?.unwrap_or_default(),
            errmsg: read::string(object.get("errmsg"), &root.member("errmsg"))?,
            tag: read::nested(object.get("tag"), &root.member("tag"))?,
        })
    }
}

impl CommonOperationResult {
    /// An answer with a text tag (or none).
    pub fn new(errcode: i32, errmsg: impl Into<String>, tag: Option<String>) -> Self {
        CommonOperationResult {
            errcode: Some(errcode),
            errmsg: Some(errmsg.into()),
            tag,
        }
    }
}

/// The digest .NET's `DataContract.GetNamespacesDigest` appends to generic contract names: the
/// first 6 bytes of the MD5 of `" 1"` (one generic parameter, not nested) followed by `" "` and
/// each parameter's namespace, base64 without padding, `/` and `+` written `_S` and `_P`.
pub fn generic_digest(namespaces: &[&str]) -> String {
    let mut text = format!(" {}", namespaces.len());
    for namespace in namespaces {
        text.push(' ');
        text.push_str(namespace);
    }
    let digest = Md5::digest(text.as_bytes());
    let mut out = String::with_capacity(12);
    for c in base64(&digest[..6]).chars() {
        match c {
            '=' => {}
            '/' => out.push_str("_S"),
            '+' => out.push_str("_P"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 of a few bytes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{NS_SELL, NS_UNPOS, PosSellPayBillResult};

    #[test]
    fn the_digest_is_dotnets() {
        assert_eq!(generic_digest(&[NS_SELL]), "lTRO8TLE");
        assert_eq!(
            Envelope::<PosSellPayBillResult>::type_name().name,
            "CommonOperationResultWithTagOfPosSellPayBillResultlTRO8TLE"
        );
        // Another namespace, another digest.
        assert_ne!(generic_digest(&[NS_UNPOS]), "lTRO8TLE");
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }
}
