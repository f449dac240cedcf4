//! posbridge's wire formats: every DTO of CONTRACT §5–§8, read and written as .NET DataContract
//! XML, Json.NET JSON, BSON and Qimen XML/JSON; the mapping to domain commands; Qimen signing; and
//! the one table that chooses every errcode.
//!
//! Reading goes bytes → [`node::Node`] (one reader per format) → DTO (generated code in [`dto`]);
//! writing goes the other way. Numbers never pass through a float.
//!
//! [`master_data`] reads and writes posbridge's own master data document (CONTRACT §3).

pub mod bson_format;
pub mod callback;
pub mod codec;
pub mod codes;
pub mod decimal_text;
pub mod envelope;
pub mod format_error;
mod generated;
pub mod json;
pub mod limits;
pub mod mapping;
pub mod master_data;
pub mod media;
pub mod node;
pub mod path;
pub mod qimen;
pub mod read;
pub mod report;
pub mod schema;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time_text;
pub mod write;
pub mod xml;

pub use generated::dto;
#[cfg(any(test, feature = "testing"))]
pub use generated::strategies;
