//! Fuzzes the Qimen request readers (XML and JSON), the mapping to a clerk batch and its
//! validation, and the query-string parser used for signatures.
#![no_main]

use posbridge_domain::clerk::ClerkBatchDraft;
use posbridge_protocol::qimen::query::parse_query;
use posbridge_protocol::qimen::{QimenFormat, read_request};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for format in [QimenFormat::Xml, QimenFormat::Json] {
        if let Ok(request) = read_request(data, format) {
            let _ = ClerkBatchDraft::from(request).validate();
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_query(text);
    }
});
