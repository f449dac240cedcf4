//! Tests of the master data reader and writer: the §3 example, strictness, exact decimals, and
//! the round trip of an export.

use posbridge_domain::amounts::RebateRate;
use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
use posbridge_domain::master::{AccountScope, KnownKeys, MasterData};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::{read_master_data, write_master_data};

/// The example document of CONTRACT §3, with the elided tokens and secrets filled in.
const CONTRACT_EXAMPLE: &str = r#"{
  "merchants":     [{"id": 2, "name": "West Lake Silk"}],
  "shops":         [{"id": "S001", "merchantId": 2, "name": "Silk Hall"}],
  "customerUnits": [{"type": "TA", "id": "C001", "name": "Sunny Travel", "rebateRate": "0.30"}],
  "guides":        [{"number": "D-330100-01", "name": "Li", "customerType": "TA", "customerId": "C001"}],
  "products":      [{"id": 1, "barCode": "6901234567892", "name": "Silk scarf", "standard": "180x90",
                     "unit": "pc", "producingArea": "Hangzhou", "qualityLevel": "A", "sellType": "normal"}],
  "stock":         [{"shopId": "S001", "productId": 1, "quantity": "0"}],
  "prices":        [{"shopId": "S001", "productId": 1, "listingPrice": "128.00",
                     "retailPrice": "99.00", "lowestRetailPrice": "79.00"}],
  "accounts": [
    {"id": "ch-sunny", "kind": "channel", "token": "channel-token", "shopId": "S001",
     "customerType": "TA", "customerId": "C001",
     "callbackUrl": "http://127.0.0.1:9000/hook", "callbackSecret": "hook-secret"},
    {"id": "m-2", "kind": "merchant", "token": "merchant-token", "merchantId": 2,
     "callbackUrl": "http://127.0.0.1:9000/hook", "callbackSecret": "hook-secret"},
    {"id": "erp-1", "kind": "erp", "appKey": "app", "secret": "erp-secret",
     "customerId": "stub-cust-code", "shopIds": ["S001"]}
  ]
}"#;

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Reads `json` and compares the outcome's text with `expect`.
fn check(json: &str, expect: Result<(), &str>) {
    let got = read_master_data(json.as_bytes())
        .map(drop)
        .map_err(|e| e.to_string());
    assert_eq!(got, expect.map_err(str::to_owned), "{json}");
}

#[test]
fn the_contract_example_parses() {
    let data = read_master_data(CONTRACT_EXAMPLE.as_bytes()).unwrap();
    assert_eq!(data.merchants[0].id, MerchantId(2));
    assert_eq!(data.shops[0].id, ShopId::new("S001"));
    assert_eq!(data.customer_units[0].unit, CustomerUnit::new("TA", "C001"));
    assert_eq!(data.customer_units[0].rebate_rate.get(), decimal("0.30"));
    assert_eq!(data.guides[0].number.as_str(), "D-330100-01");
    assert_eq!(data.products[0].producing_area.as_deref(), Some("Hangzhou"));
    assert_eq!(data.stock[0].quantity, Decimal::ZERO);
    let quote = data.prices[0].quote;
    assert_eq!(quote.listing_price.get(), decimal("128.00"));
    assert_eq!(quote.retail_price.get(), decimal("99.00"));
    assert_eq!(quote.lowest_retail_price.get(), decimal("79.00"));

    let [channel, merchant, erp] = &data.accounts[..] else {
        panic!("three accounts expected: {:?}", data.accounts);
    };
    let expected: [u8; 32] = Sha256::digest(b"channel-token").into();
    assert_eq!(channel.token_sha256, Some(expected));
    assert_eq!(
        channel.scope,
        AccountScope::Channel {
            shop_id: ShopId::new("S001"),
            customer: CustomerUnit::new("TA", "C001"),
        }
    );
    let callback = channel.callback.as_ref().unwrap();
    assert_eq!(callback.url, "http://127.0.0.1:9000/hook");
    assert_eq!(callback.secret.as_deref(), Some("hook-secret"));
    assert_eq!(
        merchant.scope,
        AccountScope::Merchant {
            merchant_id: MerchantId(2)
        }
    );
    assert_eq!(erp.token_sha256, None);
    assert_eq!(erp.callback, None);
    assert_eq!(
        erp.scope,
        AccountScope::Erp {
            app_key: "app".into(),
            secret: "erp-secret".into(),
            customer_id: "stub-cust-code".into(),
            shop_ids: [ShopId::new("S001")].into(),
        }
    );
    // The document is complete in itself.
    data.check_references(&KnownKeys::default()).unwrap();
}

#[test]
fn unknown_fields_are_refused_everywhere() {
    check(
        r#"{"merchant": []}"#,
        Err(
            "merchant: unknown field (expected one of: merchants, shops, customerUnits, guides, \
             products, stock, prices, accounts)",
        ),
    );
    check(
        r#"{"shops": [{"id": "S1", "merchantId": 2, "name": "n", "merchant_id": 3}]}"#,
        Err("shops[0].merchant_id: unknown field (expected one of: id, merchantId, name)"),
    );
    // A field of another account kind is unknown on this one.
    check(
        r#"{"accounts": [{"id": "a", "kind": "channel", "token": "t", "shopId": "S1",
             "customerType": "TA", "customerId": "C1", "merchantId": 2}]}"#,
        Err(
            "accounts[0].merchantId: unknown field (expected one of: id, kind, token, \
             tokenSha256, shopId, customerType, customerId, callbackUrl, callbackSecret)",
        ),
    );
    // ERP accounts sign; they have no bearer token.
    check(
        r#"{"accounts": [{"id": "e", "kind": "erp", "appKey": "k", "secret": "s",
             "customerId": "c", "shopIds": [], "token": "t"}]}"#,
        Err(
            "accounts[0].token: unknown field (expected one of: id, kind, appKey, secret, \
             customerId, shopIds, callbackUrl, callbackSecret)",
        ),
    );
}

#[test]
fn a_key_repeated_in_any_spelling_is_refused() {
    let repeated = |path: &str, first: &str| {
        format!(
            "{path}: repeats the key {first:?}; a key may appear only once in an object, in one \
             spelling"
        )
    };
    check(
        r#"{"merchants": [{"id": 2, "name": "a", "name": "b"}]}"#,
        Err(&repeated("merchants[0].name", "name")),
    );
    check(
        r#"{"merchants": [], "shops": [], "Merchants": [{"id": 2, "name": "a"}]}"#,
        Err(&repeated("Merchants", "merchants")),
    );
    check(
        r#"{"accounts": [{"id": "m", "kind": "merchant", "merchantId": 2, "token": "t",
             "TOKEN": "u"}]}"#,
        Err(&repeated("accounts[0].TOKEN", "token")),
    );
    // In every object of the document, before anything of it is read.
    check(
        r#"{"prices": [{"shopId": "S1", "productId": 1, "listingPrice": "1", "retailPrice": "1",
             "lowestRetailPrice": "0"}, {"shopId": "S1", "shopid": "S2"}]}"#,
        Err(&repeated("prices[1].shopid", "shopId")),
    );
}

#[test]
fn one_byte_order_mark_is_skipped() {
    let doc = br#"{"merchants": [{"id": 2, "name": "x"}]}"#;
    let with_bom = [&b"\xEF\xBB\xBF"[..], doc].concat();
    assert_eq!(read_master_data(&with_bom), read_master_data(doc));
    let twice = [&b"\xEF\xBB\xBF\xEF\xBB\xBF"[..], doc].concat();
    assert!(matches!(
        read_master_data(&twice),
        Err(super::MasterDataReadError::Syntax(_))
    ));
}

#[test]
fn nesting_is_bounded() {
    let deep = |levels: usize| {
        format!(
            r#"{{"merchants": [{{"id": 2, "name": "x", "extra": {}{}}}]}}"#,
            "[".repeat(levels - 3),
            "]".repeat(levels - 3)
        )
    };
    // An unknown field, however deep within the bound, is named.
    check(
        &deep(64),
        Err("merchants[0].extra: unknown field (expected one of: id, name)"),
    );
    check(
        &deep(65),
        Err("not a JSON document: nested deeper than 64 levels"),
    );
    check(
        &"[".repeat(1_000_000),
        Err("not a JSON document: nested deeper than 64 levels"),
    );
}

#[test]
fn decimals_are_exact_from_strings_and_numbers() {
    let rate = |json: &str| {
        let doc = format!(
            r#"{{"customerUnits": [{{"type": "TA", "id": "C1", "name": "n", "rebateRate": {json}}}]}}"#
        );
        read_master_data(doc.as_bytes()).map(|data| data.customer_units[0].rebate_rate)
    };
    let from_text = rate(r#""0.30""#).unwrap();
    let from_number = rate("0.30").unwrap();
    assert_eq!(from_text, from_number);
    assert_eq!(from_text, RebateRate::new(decimal("0.3")).unwrap());
    // The scale is kept: the number's text is read, not a binary approximation of it.
    assert_eq!(from_number.get().to_string(), "0.30");
    assert_eq!(rate("3e-1").unwrap().get(), decimal("0.3"));
    // 0.1 has no exact binary form; read exactly, 0.1 + 0.2 is 0.3.
    let price = |json: &str| {
        let doc = format!(
            r#"{{"prices": [{{"shopId": "S1", "productId": 1, "listingPrice": {json},
                "retailPrice": {json}, "lowestRetailPrice": "0"}}]}}"#
        );
        read_master_data(doc.as_bytes()).map(|data| data.prices[0].quote.retail_price.get())
    };
    assert_eq!(
        price("0.1").unwrap() + price("0.2").unwrap(),
        decimal("0.3")
    );
    assert_eq!(price("12345678.1234").unwrap(), decimal("12345678.1234"));

    let refused = |json: &str| rate(json).unwrap_err().to_string();
    assert_eq!(
        refused("1.5"),
        "customerUnits[0].rebateRate: must be a fraction from 0 to 1 (0.30 is 30 %)"
    );
    assert_eq!(
        refused(r#""abc""#),
        "customerUnits[0].rebateRate: must be a decimal number"
    );
    assert_eq!(
        refused("true"),
        "customerUnits[0].rebateRate: must be a decimal (string or number)"
    );
    assert_eq!(
        refused("0.12345"),
        "customerUnits[0].rebateRate: has 5 decimal places, at most 4 are allowed"
    );
    check(
        r#"{"prices": [{"shopId": "S1", "productId": 1, "listingPrice": "-1",
             "retailPrice": "1", "lowestRetailPrice": "0"}]}"#,
        Err("prices[0].listingPrice: must not be negative"),
    );
}

#[test]
fn bad_values_are_named_by_position() {
    check(
        r#"{"accounts": [{"id": "e", "kind": "erp", "appKey": "k", "secret": "s",
             "customerId": "c", "shopIds": []}, {"id": "x", "kind": "foo"}]}"#,
        Err(r#"accounts[1].kind: unknown account kind "foo" (expected channel, merchant or erp)"#),
    );
    check(
        r#"{"accounts": [{"id": "m", "kind": "merchant", "merchantId": 2}]}"#,
        Err("accounts[0].token: a merchant account needs token or tokenSha256"),
    );
    check(
        r#"{"accounts": [{"id": "m", "kind": "merchant", "merchantId": 2, "token": "t",
             "tokenSha256": "00"}]}"#,
        Err("accounts[0].tokenSha256: give token or tokenSha256, not both"),
    );
    check(
        r#"{"accounts": [{"id": "m", "kind": "merchant", "merchantId": 2, "tokenSha256": "00"}]}"#,
        Err("accounts[0].tokenSha256: must be 64 hexadecimal digits"),
    );
    check(
        r#"{"accounts": [{"id": "m", "kind": "merchant", "merchantId": 2, "token": "t",
             "callbackSecret": "s"}]}"#,
        Err("accounts[0].callbackSecret: is only allowed together with callbackUrl"),
    );
    check(
        r#"{"accounts": [{"id": "e", "kind": "erp", "appKey": "k", "secret": "s",
             "customerId": "c", "shopIds": ["S1", 2]}]}"#,
        Err("accounts[0].shopIds[1]: must be a string"),
    );
    check(
        r#"{"accounts": [{"id": "e", "kind": "erp", "appKey": "k", "secret": "s",
             "customerId": "c", "shopIds": ["S1", "S1"]}]}"#,
        Err(r#"accounts[0].shopIds[1]: lists shop "S1" twice"#),
    );
    check(
        r#"{"merchants": [{"id": "2", "name": "m"}]}"#,
        Err("merchants[0].id: must be an integer"),
    );
    check(
        r#"{"merchants": [{"id": 2.5, "name": "m"}]}"#,
        Err("merchants[0].id: must be an integer"),
    );
    check(
        r#"{"merchants": [{"id": 2}]}"#,
        Err("merchants[0].name: is required"),
    );
    check(
        r#"{"shops": [{"id": "", "merchantId": 2, "name": "n"}]}"#,
        Err("shops[0].id: must not be empty"),
    );
    check(r#"{"shops": {}}"#, Err("shops: must be a list"));
    check(r#"{"shops": [1]}"#, Err("shops[0]: must be an object"));
    check(
        "[]",
        Err("the document must be a JSON object of the lists in CONTRACT §3"),
    );
    check(
        "{\"shops\": [",
        Err("not a JSON document: EOF while parsing a list at line 1 column 11"),
    );
    // Every list may be left out, and `null` counts as absent.
    check(r#"{"shops": null}"#, Ok(()));
    check("{}", Ok(()));
}

#[test]
fn an_export_reads_back_as_the_same_master_data() {
    let mut data = read_master_data(CONTRACT_EXAMPLE.as_bytes()).unwrap();
    // Optional fields left out, and a callback without a secret.
    data.products.push(posbridge_domain::master::Product {
        id: posbridge_domain::ids::ProductId(7),
        bar_code: None,
        name: "Fan \"deluxe\" \u{6247}".into(),
        standard: None,
        unit: None,
        producing_area: None,
        quality_level: None,
        sell_type: None,
    });
    data.accounts[1].callback.as_mut().unwrap().secret = None;
    let json = write_master_data(&data);
    assert!(!json.contains("channel-token"), "{json}");
    assert!(json.contains(r#""rebateRate": "0.30""#), "{json}");
    let hash = hex_of(&Sha256::digest(b"channel-token"));
    assert!(
        json.contains(&format!(r#""tokenSha256": "{hash}""#)),
        "{json}"
    );
    assert_eq!(read_master_data(json.as_bytes()).unwrap(), data);
    // Keys come out in the order §3 lists them.
    let merchants = json.find("\"merchants\"").unwrap();
    let accounts = json.find("\"accounts\"").unwrap();
    assert!(merchants < accounts);
    assert_eq!(
        write_master_data(&MasterData::default()).lines().count(),
        10
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
