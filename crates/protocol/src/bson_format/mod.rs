//! BSON (`application/bson`) as Json.NET reads and writes it: a document with the JSON member
//! names.
//!
//! .NET writes `decimal` as a BSON double, so the reader accepts doubles (converted through their
//! shortest round-trip text: 14.0 → `14`, 0.1 → `0.1`), Decimal128, 32- and 64-bit integers and
//! strings. The writer writes decimals as strings: exact, scale kept, and read by Json.NET into a
//! `decimal` member as readily as a double would be — a double could not carry `12345678901234.5678`.

mod read;
mod write;

pub use read::{read_bson, read_bson_within};
pub use write::write_bson;

#[cfg(test)]
mod tests;
