//! Fuzzes the DataContract XML reader and everything an XML request goes through before the store.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(node) = posbridge_protocol::xml::read_xml(data) {
        common::exercise(&node);
    }
});
