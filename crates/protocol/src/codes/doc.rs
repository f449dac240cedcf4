//! `docs/wire-codes.md`, rendered from the table so that no code or meaning is written twice.
//!
//! The test below fails when the committed file differs; `cargo xtask codegen` (or this test with
//! `POSBRIDGE_BLESS=1`) rewrites it.

use std::fmt::Write as _;

use super::{QimenAnswer, TopCode, WireCode};

/// The reference of every errcode.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from crates/protocol/src/codes (the one table). Do not edit: run \
         `cargo xtask codegen`. -->\n\n\
         # Wire codes\n\n\
         Every answer of the Web API is the envelope `{errcode, errmsg, tag}`. `errcode` is 0 for\n\
         success; `errmsg` says what happened and names the field or line at fault. Business\n\
         outcomes are HTTP 200; transport problems use the HTTP status below. The Qimen endpoint\n\
         answers field and transport errors with `error_response` (TOP code) and business\n\
         failures with `response` `flag` `failure` and `code` the errcode.\n\n\
         | errcode | HTTP | meaning | Qimen |\n| --- | --- | --- | --- |\n",
    );
    for code in WireCode::ALL {
        let row = code.row();
        let qimen = match row.qimen {
            QimenAnswer::Success => "`response` success".to_owned(),
            QimenAnswer::BusinessFailure => "`response` failure".to_owned(),
            QimenAnswer::Gateway(top, sub_code) => {
                let (code, msg) = top.parts();
                match sub_code {
                    Some(sub_code) => format!("`error_response` {code} {msg} (`{sub_code}`)"),
                    None => format!("`error_response` {code} {msg}"),
                }
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {qimen} |",
            row.errcode, row.http_status, row.meaning
        );
    }
    out.push_str("\n## Qimen gateway codes\n\n| code | msg |\n| --- | --- |\n");
    for top in TopCode::ALL {
        let (code, msg) = top.parts();
        let _ = writeln!(out, "| {code} | {msg} |");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_codes_doc_is_fresh() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/wire-codes.md");
        let rendered = render_markdown();
        if std::env::var_os("POSBRIDGE_BLESS").is_some() {
            std::fs::write(&path, &rendered).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == rendered,
            "docs/wire-codes.md is stale: run `cargo xtask codegen`"
        );
    }
}
