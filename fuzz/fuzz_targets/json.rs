//! Fuzzes the JSON reader and everything a JSON request goes through before the store.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(node) = posbridge_protocol::json::read_json(data) {
        common::exercise(&node);
    }
});
