//! Fuzzes the BSON reader and everything a BSON request goes through before the store.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(node) = posbridge_protocol::bson_format::read_bson(data) {
        common::exercise(&node);
    }
});
