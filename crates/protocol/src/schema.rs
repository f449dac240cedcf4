//! The DTO schema as data: every type's members and rules, generated from
//! `crates/protocol/schema/dto.toml` into [`crate::dto::TYPES`].

use crate::node::Dialect;

/// One DTO's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeSpec {
    /// The wire name.
    pub name: &'static str,
    /// The Rust type name.
    pub rust: &'static str,
    /// The DataContract namespace; empty for Qimen types.
    pub namespace: &'static str,
    /// How it is written.
    pub dialect: Dialect,
    /// What it is.
    pub doc: &'static str,
    /// Its members, in JSON order.
    pub fields: &'static [FieldSpec],
}

/// One member's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The wire name.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether the rules require it.
    pub required: bool,
    /// Most characters, for text.
    pub max_len: Option<usize>,
    /// Most items, for lists.
    pub max_items: Option<usize>,
    /// The accepted values, for coded text; empty when free.
    pub allowed: &'static [&'static str],
    /// What it is.
    pub doc: &'static str,
}

/// What a member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Text.
    String,
    /// A 32-bit integer.
    Int,
    /// A 64-bit integer.
    Long,
    /// An exact decimal.
    Decimal,
    /// A map of text values.
    Map,
    /// A list of the named DTO.
    List(&'static str),
    /// The named DTO.
    Nested(&'static str),
}

/// The type with this Rust name.
pub fn type_spec(rust: &str) -> Option<&'static TypeSpec> {
    crate::dto::TYPES.iter().find(|spec| spec.rust == rust)
}
