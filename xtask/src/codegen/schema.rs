//! The DTO schema (`crates/protocol/schema/dto.toml`) as read by codegen, and its consistency
//! checks: every referenced type exists, names are unique, and field kinds are known.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The whole schema file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Namespace keys to DataContract namespaces.
    pub namespaces: BTreeMap<String, String>,
    /// Every type, in file order.
    pub types: Vec<TypeDef>,
}

/// One DTO.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// The wire name (DataContract contract name, or the Qimen element name).
    pub name: String,
    /// The Rust type name when the wire name is not one.
    pub rust: Option<String>,
    /// The key of its DataContract namespace (DataContract types only).
    pub namespace: Option<String>,
    /// `datacontract` (default) or `qimen`.
    #[serde(default)]
    pub dialect: Dialect,
    /// What it is, in English.
    pub doc: String,
    /// The source document's wording, when it has one.
    pub doc_zh: Option<String>,
    /// Members in JSON order.
    pub fields: Vec<FieldDef>,
}

/// How a type is written on the wire.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// .NET DataContract XML and Json.NET.
    #[default]
    DataContract,
    /// Qimen XML and JSON.
    Qimen,
}

/// One member of a DTO.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The wire name.
    pub name: String,
    /// `string`, `int`, `long`, `decimal`, `list`, `map`, or another type's Rust name.
    #[serde(rename = "type")]
    pub kind: String,
    /// For lists: the items' Rust type name.
    pub item: Option<String>,
    /// Whether the rules require it.
    #[serde(default)]
    pub required: bool,
    /// Most characters, for text.
    pub max_len: Option<usize>,
    /// Most items, for lists.
    pub max_items: Option<usize>,
    /// The accepted values, for coded text.
    #[serde(rename = "enum", default)]
    pub allowed: Vec<String>,
    /// What it is, in English.
    pub doc: String,
    /// The source document's wording, when it has one.
    pub doc_zh: Option<String>,
}

/// What a field holds, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
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
    /// A list of DTOs of this Rust type.
    List(String),
    /// A nested DTO of this Rust type.
    Nested(String),
}

impl TypeDef {
    /// The Rust type name.
    pub fn rust_name(&self) -> &str {
        self.rust.as_deref().unwrap_or(&self.name)
    }
}

impl FieldDef {
    /// The resolved kind; [`Schema::parse`] has checked that it resolves.
    pub fn kind(&self) -> Kind {
        match self.kind.as_str() {
            "string" => Kind::String,
            "int" => Kind::Int,
            "long" => Kind::Long,
            "decimal" => Kind::Decimal,
            "map" => Kind::Map,
            "list" => Kind::List(self.item.clone().unwrap_or_default()),
            other => Kind::Nested(other.to_owned()),
        }
    }

    /// The Rust field name: `SenderBillNum` → `sender_bill_num`.
    pub fn rust_name(&self) -> String {
        snake_case(&self.name)
    }
}

impl Schema {
    /// Reads and checks a schema.
    pub fn parse(text: &str) -> Result<Schema, String> {
        let schema: Schema = toml::from_str(text).map_err(|err| format!("schema: {err}"))?;
        schema.check()?;
        Ok(schema)
    }

    /// The type with this Rust name.
    pub fn type_named(&self, rust_name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|ty| ty.rust_name() == rust_name)
    }

    fn check(&self) -> Result<(), String> {
        let mut names = BTreeSet::new();
        for ty in &self.types {
            if !names.insert(ty.rust_name()) {
                return Err(format!("schema: type {} is defined twice", ty.rust_name()));
            }
            match (ty.dialect, &ty.namespace) {
                (Dialect::DataContract, Some(key)) if self.namespaces.contains_key(key) => {}
                (Dialect::DataContract, _) => {
                    return Err(format!("schema: type {} needs a known namespace", ty.name));
                }
                (Dialect::Qimen, None) => {}
                (Dialect::Qimen, Some(_)) => {
                    return Err(format!("schema: Qimen type {} has no namespace", ty.name));
                }
            }
            let mut fields = BTreeSet::new();
            for field in &ty.fields {
                if !fields.insert(field.name.to_ascii_lowercase()) {
                    return Err(format!(
                        "schema: {}.{} is defined twice",
                        ty.name, field.name
                    ));
                }
                match field.kind() {
                    Kind::List(item) | Kind::Nested(item) if self.type_named(&item).is_none() => {
                        return Err(format!(
                            "schema: {}.{} refers to unknown type `{item}`",
                            ty.name, field.name
                        ));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// `SenderBillNum` → `sender_bill_num`, `actionType` → `action_type`, `sub_code` stays.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        for (wire, rust) in [
            ("SenderBillNum", "sender_bill_num"),
            ("actionType", "action_type"),
            ("sub_code", "sub_code"),
            ("errcode", "errcode"),
            ("Id", "id"),
            ("LineNo", "line_no"),
        ] {
            assert_eq!(snake_case(wire), rust);
        }
    }

    #[test]
    fn schema_errors_are_found() {
        let base = |field: &str| {
            format!(
                "[namespaces]\nns = \"urn:x\"\n[[types]]\nname = \"A\"\nnamespace = \"ns\"\ndoc = \"a\"\n{field}"
            )
        };
        let field = |kind: &str| {
            format!("[[types.fields]]\nname = \"F\"\ntype = \"{kind}\"\ndoc = \"f\"\n")
        };
        assert!(Schema::parse(&base(&field("string"))).is_ok());
        let unknown = Schema::parse(&base(&field("Nope"))).unwrap_err();
        assert!(unknown.contains("unknown type `Nope`"), "{unknown}");
        let twice =
            Schema::parse(&base(&format!("{}{}", field("string"), field("int")))).unwrap_err();
        assert!(twice.contains("defined twice"), "{twice}");
        let typo = Schema::parse(&base(
            "[[types.fields]]\nname = \"F\"\ntype = \"string\"\ndoc = \"f\"\nmaxlen = 3\n",
        ));
        assert!(typo.is_err(), "unknown keys are refused");
        let no_namespace = "[namespaces]\n[[types]]\nname = \"A\"\ndoc = \"a\"\nfields = []\n";
        assert!(
            Schema::parse(no_namespace)
                .unwrap_err()
                .contains("needs a known namespace")
        );
    }
}
