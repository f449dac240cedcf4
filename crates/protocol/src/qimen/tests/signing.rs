//! Signatures against vectors computed outside Rust, against an independent implementation of
//! the steps, and by property: round trips, tampering, parameter order.
//!
//! The hard-coded digests were computed in a shell with coreutils and OpenSSL 3.0 over the
//! signed text written out by hand (parameters sorted by eye), e.g. for the seed's XML body:
//!
//! ```text
//! P='app_keystub-app-keycustomerIdstub-cust-codeformatxmlmethodtaobao.qimen.pos.clerk.synchronizesign_methodmd5timestamp2017-02-10 00:00:00v2.0'
//! { printf '%s%s' stub-secret "$P"; cat data/seed-000-request.xml; printf stub-secret; } | md5sum
//! { printf '%s' "$P"; cat data/seed-000-request.xml; } | openssl dgst -md5 -hmac stub-secret
//! { printf '%s' "$P"; cat data/seed-000-request.xml; } | openssl dgst -sha256 -hmac stub-secret
//! ```
//!
//! (with `sign_method` spelt `hmac` and `hmac-sha256` in `P` for the last two).

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use proptest::prelude::*;
use sha2::Sha256;

use super::{SEED_REQUEST_JSON, SEED_REQUEST_XML};
use crate::qimen::query::{encode_query, parse_query, query_param};
use crate::qimen::sign::{SignMethod, sign, sign_input, verify};

/// The query parameters the seed's Java sample sends, as the SDK names them; `sign` is left out
/// of the signature whatever its value.
fn seed_params(format: &str, sign_method: &str) -> Vec<(&'static str, String)> {
    vec![
        ("method", "taobao.qimen.pos.clerk.synchronize".into()),
        ("app_key", "stub-app-key".into()),
        ("customerId", "stub-cust-code".into()),
        ("v", "2.0".into()),
        ("format", format.into()),
        ("timestamp", "2017-02-10 00:00:00".into()),
        ("sign_method", sign_method.into()),
        ("sign", "anything".into()),
    ]
}

/// The steps of §7 done by hand: `text` is the signed parameters already sorted and
/// concatenated; the digests come straight from the md-5, hmac and sha2 crates.
fn independent(text: &str, body: &[u8], secret: &str, method: SignMethod) -> String {
    let mut signed = text.as_bytes().to_vec();
    signed.extend_from_slice(body);
    let digest: Vec<u8> = match method {
        SignMethod::Md5 => {
            Md5::digest([secret.as_bytes(), &signed, secret.as_bytes()].concat()).to_vec()
        }
        SignMethod::Hmac => {
            let mut mac = <Hmac<Md5> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
            Mac::update(&mut mac, &signed);
            mac.finalize().into_bytes().to_vec()
        }
        SignMethod::HmacSha256 => {
            let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
            Mac::update(&mut mac, &signed);
            mac.finalize().into_bytes().to_vec()
        }
    };
    digest.iter().map(|byte| format!("{byte:02X}")).collect()
}

const SEED_TEXT_XML_MD5: &str = "app_keystub-app-keycustomerIdstub-cust-codeformatxmlmethodtaobao.qimen.pos.clerk.synchronizesign_methodmd5timestamp2017-02-10 00:00:00v2.0";

#[test]
fn the_seed_sample_signs_as_computed_by_hand() {
    let cases = [
        (
            "xml",
            "md5",
            SEED_REQUEST_XML,
            "653F9FC500A604423222C7C39A1606D4",
        ),
        (
            "xml",
            "hmac",
            SEED_REQUEST_XML,
            "1054358820094D58CA9DBA521C450090",
        ),
        (
            "xml",
            "hmac-sha256",
            SEED_REQUEST_XML,
            "24A2D3DA8FA8306BDA4C978932C0FA41338786F00C4848B64F049F5539C61913",
        ),
        (
            "json",
            "md5",
            SEED_REQUEST_JSON,
            "E1826E8F250EE2B289718D8DAD8A9E81",
        ),
    ];
    for (format, sign_method, body, expect) in cases {
        let params = seed_params(format, sign_method);
        let method = SignMethod::parse(sign_method).unwrap();
        let got = sign(&params, body.as_bytes(), "stub-secret", method);
        assert_eq!(got, expect, "{format} {sign_method}");
        let text = SEED_TEXT_XML_MD5
            .replace("formatxml", &format!("format{format}"))
            .replace("sign_methodmd5", &format!("sign_method{sign_method}"));
        assert_eq!(
            independent(&text, body.as_bytes(), "stub-secret", method),
            expect
        );
        assert!(verify(
            &params,
            body.as_bytes(),
            "stub-secret",
            method,
            &got.to_lowercase()
        ));
    }
}

#[test]
fn the_seed_sample_verifies_from_a_raw_query() {
    // The query as an SDK sends it: `+` for spaces, `%3A` for colons, `sign` in the middle.
    let raw = "method=taobao.qimen.pos.clerk.synchronize&app_key=stub-app-key&\
               sign=653f9fc500a604423222c7c39a1606d4&customerId=stub-cust-code&v=2.0&format=xml&\
               timestamp=2017-02-10+00%3A00%3A00&sign_method=md5";
    let params = parse_query(raw);
    let given = query_param(&params, "SIGN").unwrap();
    let body = SEED_REQUEST_XML.as_bytes();
    assert!(verify(&params, body, "stub-secret", SignMethod::Md5, given));
    assert!(!verify(
        &params,
        body,
        "other-secret",
        SignMethod::Md5,
        given
    ));
    assert!(!verify(&params, b"", "stub-secret", SignMethod::Md5, given));
    assert!(!verify(
        &params,
        body,
        "stub-secret",
        SignMethod::Hmac,
        given
    ));
}

/// A signature vector: the signed text written out by hand, and its digest by md5sum/openssl.
struct Vector<'a> {
    params: Vec<(&'a str, &'a str)>,
    body: &'a str,
    secret: &'a str,
    method: SignMethod,
    text: &'a str,
    digest: &'a str,
}

#[test]
fn vectors_for_the_edges_of_the_rules() {
    let long_key = "k".repeat(100);
    let empty = |method, digest| Vector {
        params: vec![],
        body: "",
        secret: "k3y",
        method,
        text: "",
        digest,
    };
    let cases = [
        Vector {
            // Byte order puts upper case first; empty names and values and `sign` in any case
            // are left out.
            params: vec![
                ("b", "1"),
                ("B", "2"),
                ("a_b", "3"),
                ("aB", "4"),
                ("empty", ""),
                ("", "x"),
                ("SIGN", "zz"),
            ],
            body: "body",
            secret: "k3y",
            method: SignMethod::Md5,
            text: "B2aB4a_b3b1",
            digest: "734918A25D21D8E3F61B8A6F01985C71",
        },
        empty(SignMethod::Md5, "167990A361443A5D13DB15FA29079842"),
        empty(SignMethod::Hmac, "1F14AD845098D317FFE666B46CFB7298"),
        empty(
            SignMethod::HmacSha256,
            "6DEBFEADD8DF80DD8B3762FD569962DB0F3BFBBE252972C28341591BF823AA2C",
        ),
        Vector {
            // A key longer than the hash's block is hashed first (RFC 2104).
            params: vec![("a", "1")],
            body: "",
            secret: &long_key,
            method: SignMethod::HmacSha256,
            text: "a1",
            digest: "ABFA72C06979792854BC8CE9669FBD54A0421B359F3E5DB045553CE7717DA91B",
        },
        Vector {
            params: vec![("a", "1")],
            body: "",
            secret: &long_key,
            method: SignMethod::Hmac,
            text: "a1",
            digest: "9513C9FA185BB75D74994ED508B5437D",
        },
    ];
    for case in cases {
        let body = case.body.as_bytes();
        let signed = sign_input(&case.params, body);
        assert_eq!(signed, [case.text.as_bytes(), body].concat());
        let got = sign(&case.params, body, case.secret, case.method);
        assert_eq!(got, case.digest, "{}", case.text);
        let again = independent(case.text, body, case.secret, case.method);
        assert_eq!(again, case.digest, "{}", case.text);
    }
}

#[test]
fn values_are_signed_decoded() {
    let params = parse_query("timestamp=2017-02-10+00%3A00%3A00&customerId=%E8%80%81%E7%8E%8B");
    assert_eq!(
        sign(&params, b"", "secret", SignMethod::Md5),
        "ED2AC6698AE3B074995E369401280963"
    );
}

#[test]
fn query_strings_decode_leniently() {
    let cases = [
        ("a=1&b=2", vec![("a", "1"), ("b", "2")]),
        ("?a=1", vec![("a", "1")]),
        ("a=x+y%2Bz", vec![("a", "x y+z")]),
        ("a=%zz%4&b=%", vec![("a", "%zz%4"), ("b", "%")]),
        ("a&&=v&b==", vec![("a", ""), ("", "v"), ("b", "=")]),
        ("a=%FF", vec![("a", "\u{FFFD}")]),
        ("%61%3d=%e8%80%81", vec![("a=", "老")]),
        ("", vec![]),
    ];
    for (raw, expect) in cases {
        let expect: Vec<(String, String)> = expect
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        assert_eq!(parse_query(raw), expect, "{raw}");
    }
}

/// Parameter names: mostly short, `sign` and `SIGN` now and then, duplicates impossible.
fn param_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    let name = prop_oneof![
        8 => "[a-zA-Z_]{1,8}",
        1 => Just("sign".to_owned()),
        1 => Just("SIGN".to_owned()),
        1 => Just(String::new()),
    ];
    let value = prop_oneof![6 => any::<String>(), 1 => Just(String::new())];
    proptest::collection::btree_map(name, value, 0..8)
}

fn method() -> impl Strategy<Value = SignMethod> {
    proptest::sample::select(SignMethod::ALL.to_vec())
}

/// The signed text built independently: a `BTreeMap` is already in byte order.
fn text_of(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(name, value)| {
            !name.is_empty() && !value.is_empty() && !name.eq_ignore_ascii_case("sign")
        })
        .map(|(name, value)| format!("{name}{value}"))
        .collect()
}

proptest! {
    #[test]
    fn signing_matches_the_independent_steps_in_any_order(
        (params, shuffled) in param_map().prop_flat_map(|map| {
            let pairs: Vec<(String, String)> = map.clone().into_iter().collect();
            (Just(map), Just(pairs).prop_shuffle())
        }),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        secret in ".{0,80}",
        method in method(),
    ) {
        let got = sign(&shuffled, &body, &secret, method);
        prop_assert_eq!(&got, &independent(&text_of(&params), &body, &secret, method));
        prop_assert!(verify(&shuffled, &body, &secret, method, &got));
        prop_assert!(verify(&shuffled, &body, &secret, method, &got.to_ascii_lowercase()));
    }

    #[test]
    fn tampering_with_the_body_fails(
        params in param_map(),
        body in proptest::collection::vec(any::<u8>(), 1..64),
        at in any::<proptest::sample::Index>(),
        flip in 1u8..=255,
        method in method(),
    ) {
        let params: Vec<_> = params.into_iter().collect();
        let signature = sign(&params, &body, "s3cr3t", method);
        let mut tampered = body.clone();
        tampered[at.index(body.len())] ^= flip;
        prop_assert!(!verify(&params, &tampered, "s3cr3t", method, &signature));
        // A longer or shorter body fails too.
        prop_assert!(!verify(&params, &body[1..], "s3cr3t", method, &signature));
        let longer = [body.as_slice(), b" "].concat();
        prop_assert!(!verify(&params, &longer, "s3cr3t", method, &signature));
    }

    #[test]
    fn tampering_with_a_signed_value_or_the_secret_fails(
        params in param_map(),
        at in any::<proptest::sample::Index>(),
        method in method(),
    ) {
        let mut params: Vec<(String, String)> = params.into_iter().collect();
        params.push(("app_key".into(), "stub-app-key".into()));
        let signature = sign(&params, b"<request/>", "s3cr3t", method);
        prop_assert!(!verify(&params, b"<request/>", "s3cr3T", method, &signature));
        let signed: Vec<usize> = (0..params.len())
            .filter(|&i| {
                let (name, value) = &params[i];
                !name.is_empty() && !value.is_empty() && !name.eq_ignore_ascii_case("sign")
            })
            .collect();
        let target = signed[at.index(signed.len())];
        let value = &mut params[target].1;
        let first = value.chars().next().unwrap();
        let replacement = if first == 'x' { 'y' } else { 'x' };
        *value = std::iter::once(replacement).chain(value.chars().skip(1)).collect();
        prop_assert!(!verify(&params, b"<request/>", "s3cr3t", method, &signature));
    }

    #[test]
    fn encoded_queries_decode_to_the_same_pairs(
        pairs in proptest::collection::vec((".{0,10}", ".{0,10}"), 0..6),
    ) {
        prop_assert_eq!(parse_query(&encode_query(&pairs)), pairs);
    }
}
