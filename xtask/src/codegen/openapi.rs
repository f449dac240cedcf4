//! `docs/openapi.json`: an OpenAPI 3.1 description of the Web API, generated from the same schema
//! as the DTOs, so the two cannot drift. The server serves it at `GET /openapi.json`.
//!
//! Components are the DataContract DTOs (Qimen types are XML/JSON shapes of the signed gateway
//! and are described as such); operations are the endpoints of CONTRACT §5 and §6, each
//! answering the envelope `{errcode, errmsg, tag}` with its own `tag`.

use serde_json::{Map, Value, json};

use super::schema::{Dialect, FieldDef, Kind, Schema, TypeDef};

/// The request body media types every POST accepts (CONTRACT §4).
const REQUEST_TYPES: &[&str] = &[
    "application/json",
    "text/json",
    "application/xml",
    "text/xml",
    "application/bson",
];

/// One operation: method, path, summary, request type, answer `tag`, query parameters.
struct Operation {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    /// Account kind allowed (`channel` or `merchant`).
    account: &'static str,
    request: Option<&'static str>,
    /// The Rust name of the `tag` type, or `None` when `tag` is text.
    tag: Option<&'static str>,
    query: &'static [(&'static str, &'static str)],
}

const OPERATIONS: &[Operation] = &[
    Operation {
        method: "post",
        path: "/api/Pos/Sell/Bill/AddOrUpdate",
        summary: "Creates, replaces or replays a sell bill (idempotent on SenderBillNum per customer unit).",
        account: "channel",
        request: Some("PosSellFromWebInterfaceParm"),
        tag: Some("PosSellFromWebInterfaceResult"),
        query: &[],
    },
    Operation {
        method: "post",
        path: "/api/Pos/Sell/Bill/PayBill",
        summary: "Records a payment (idempotent on PayNum per bill).",
        account: "channel",
        request: Some("PosSellPayBillParm"),
        tag: Some("PosSellPayBillResult"),
        query: &[],
    },
    Operation {
        method: "post",
        path: "/api/Pos/Sell/Bill/DeleteOrClose",
        summary: "Deletes an unpaid bill or closes a partly paid one.",
        account: "channel",
        request: Some("PosSellDeleteOrCloseParm"),
        tag: Some("PosSellFromWebInterfaceResult"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/api/Pos/Sell/Bill/Get",
        summary: "One bill of the account's customer unit, with lines, payments and history.",
        account: "channel",
        request: None,
        tag: Some("PosSellBillView"),
        query: &[
            ("BillNum", "The server's bill number."),
            ("SenderBillNum", "The partner's key of the bill."),
        ],
    },
    Operation {
        method: "get",
        path: "/api/Pos/Sell/Bill/List",
        summary: "The customer unit's bills, newest first, cursor-paginated.",
        account: "channel",
        request: None,
        tag: Some("PosSellBillList"),
        query: &[
            (
                "from",
                "Created at or after: RFC 3339, or yyyyMMdd for the whole business day.",
            ),
            (
                "to",
                "Created at or before: RFC 3339, or yyyyMMdd for the whole business day.",
            ),
            ("state", "Initial, PartPaid, Paid, Deleted or Closed."),
            ("cursor", "NextCursor of the previous page."),
            ("limit", "Page size, 1 to 500 (default 50)."),
        ],
    },
    Operation {
        method: "post",
        path: "/api/UnPos/Merchant/Customer/CalculateBill/Add",
        summary: "Submits a rebate settlement (idempotent on BillNum per merchant); tag is its id.",
        account: "merchant",
        request: Some("UnPosCustomerCalculateAddParm"),
        tag: None,
        query: &[],
    },
    Operation {
        method: "get",
        path: "/api/UnPos/Merchant/Customer/CalculateBill/Get",
        summary: "One settlement of the merchant, with its amounts.",
        account: "merchant",
        request: None,
        tag: Some("UnPosCustomerCalculateView"),
        query: &[("BillNum", "The merchant's settlement BillNum.")],
    },
];

/// Renders the whole document, pretty-printed with a trailing newline.
pub fn render(schema: &Schema) -> String {
    let mut schemas = Map::new();
    for ty in schema
        .types
        .iter()
        .filter(|t| t.dialect == Dialect::DataContract)
    {
        schemas.insert(ty.rust_name().to_owned(), type_schema(ty));
    }
    let mut paths = Map::new();
    for op in OPERATIONS {
        let entry = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(op.method.to_owned(), operation(op));
        }
    }
    for (path, summary) in [("/healthz", "Alive."), ("/readyz", "The database answers.")] {
        paths.insert(
            path.to_owned(),
            json!({"get": {"summary": summary, "security": [], "responses": {
                "200": {"description": "Ready: errcode 0."},
                "503": {"description": "Not ready: errcode 9002."}}}}),
        );
    }
    let document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "posbridge",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Generated by `cargo xtask codegen` from crates/protocol/schema/dto.toml. \
                Paths match case-insensitively. Every answer is the envelope {errcode, errmsg, tag}; \
                business outcomes are HTTP 200 with a non-zero errcode (docs/wire-codes.md)."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "security": [{"bearer": []}],
        "paths": paths,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn operation(op: &Operation) -> Value {
    let tag = match op.tag {
        Some(name) => reference(name),
        None => json!({"type": ["string", "null"], "description": "The settlement id."}),
    };
    let envelope = json!({
        "type": "object",
        "required": ["errcode", "errmsg"],
        "properties": {
            "errcode": {"type": "integer", "format": "int32", "description": "0 for success."},
            "errmsg": {"type": "string"},
            "tag": tag,
        }
    });
    let mut answer = Map::new();
    for media in REQUEST_TYPES {
        answer.insert((*media).to_owned(), json!({"schema": envelope}));
    }
    let mut value = json!({
        "summary": op.summary,
        "description": format!("For `{}` accounts.", op.account),
        "responses": {
            "200": {"description": "The envelope; errcode 0 on success, else the business errcode.",
                    "content": answer},
            "400": {"description": "Unparseable body (1001)."},
            "401": {"description": "Missing or invalid credentials (5001)."},
            "403": {"description": "Not allowed for this account (5002)."},
            "413": {"description": "Body too large (1005)."},
            "415": {"description": "Unsupported media type (1006)."},
            "500": {"description": "Internal error; retrying is safe (9001)."},
            "503": {"description": "Overloaded or shutting down (9002)."}
        }
    });
    if let (Some(request), Value::Object(map)) = (op.request, &mut value) {
        let mut content = Map::new();
        for media in REQUEST_TYPES {
            content.insert((*media).to_owned(), json!({"schema": reference(request)}));
        }
        map.insert(
            "requestBody".into(),
            json!({"required": true, "content": content}),
        );
    }
    if let Value::Object(map) = &mut value
        && !op.query.is_empty()
    {
        let parameters: Vec<Value> = op
            .query
            .iter()
            .map(|(name, doc)| {
                json!({"name": name, "in": "query", "required": false,
                       "description": doc, "schema": {"type": "string"}})
            })
            .collect();
        map.insert("parameters".into(), Value::Array(parameters));
    }
    value
}

fn reference(rust_name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{rust_name}")})
}

fn type_schema(ty: &TypeDef) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &ty.fields {
        properties.insert(field.name.clone(), field_schema(field));
        if field.required {
            required.push(Value::String(field.name.clone()));
        }
    }
    let mut value = json!({"type": "object", "description": ty.doc, "properties": properties});
    if let Value::Object(map) = &mut value
        && !required.is_empty()
    {
        map.insert("required".into(), Value::Array(required));
    }
    value
}

fn field_schema(field: &FieldDef) -> Value {
    let mut value = match field.kind() {
        Kind::String => json!({"type": "string"}),
        Kind::Int => json!({"type": "integer", "format": "int32"}),
        Kind::Long => json!({"type": "integer", "format": "int64"}),
        Kind::Decimal => json!({
            "type": ["number", "string"],
            "description": "An exact decimal: a JSON number or a numeric string, never read through a float."
        }),
        Kind::Map => json!({"type": "object", "additionalProperties": {"type": "string"}}),
        Kind::List(item) => json!({"type": "array", "items": reference(&item)}),
        Kind::Nested(name) => reference(&name),
    };
    if let Value::Object(map) = &mut value {
        let doc = match map.remove("description") {
            Some(Value::String(extra)) => format!("{} {extra}", field.doc),
            _ => field.doc.clone(),
        };
        map.insert("description".into(), Value::String(doc));
        if let Some(max) = field.max_len {
            map.insert("maxLength".into(), json!(max));
        }
        if let Some(max) = field.max_items {
            map.insert("maxItems".into(), json!(max));
        }
        if !field.allowed.is_empty() {
            map.insert("enum".into(), json!(field.allowed));
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_refers_to_a_generated_component() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../crates/protocol/schema/dto.toml"),
        )
        .unwrap();
        let schema = Schema::parse(&text).unwrap();
        let document: Value = serde_json::from_str(&render(&schema)).unwrap();
        let schemas = &document["components"]["schemas"];
        for op in OPERATIONS {
            for name in op.request.iter().chain(op.tag.iter()) {
                assert!(schemas[*name].is_object(), "{} refers to {name}", op.path);
            }
        }
        let sender = &schemas["PosSellFromWebInterfaceParm"]["properties"]["SenderBillNum"];
        assert_eq!(sender["maxLength"], 32);
        assert_eq!(
            schemas["PosSellFromWebInterfaceParm"]["required"],
            json!(["SenderBillNum", "Details"])
        );
    }
}
