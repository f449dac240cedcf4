//! JSON as Json.NET reads and writes it: member names in any case on input (the last of several
//! spellings wins), exact decimals, and compact output in schema order.

mod read;
mod write;

pub(crate) use read::read_tree;
pub use read::{read_json, read_json_within};
pub use write::write_json;

#[cfg(test)]
mod tests;
