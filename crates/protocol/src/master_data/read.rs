//! JSON bytes to [`MasterData`]: every object's keys checked against the ones §3 allows there
//! and for repeats, every value read exactly, every problem named by its position in the
//! document.

use std::collections::{BTreeSet, HashMap};

use posbridge_domain::amounts::{RebateRate, UnitPrice};
use posbridge_domain::catalog::PriceQuote;
use posbridge_domain::field::{FieldProblem, check_decimal};
use posbridge_domain::ids::{CustomerUnit, GuiderNumber, MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    Account, AccountScope, Callback, CustomerUnitEntry, Guide, MasterData, Merchant, PriceRecord,
    Product, Shop, StockRecord,
};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::decimal_text::{DecimalTextError, parse_decimal};
use crate::format_error::FormatError;
use crate::limits::DEPTH_CEILING;
use crate::node::{Node, Object};

/// Why a master data document cannot be read; nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MasterDataReadError {
    /// Not JSON at all (invalid UTF-8, bad syntax, nested deeper than
    /// [`DEPTH_CEILING`](crate::limits::DEPTH_CEILING)); the message gives line and column.
    #[error("not a JSON document: {0}")]
    Syntax(String),
    /// Valid JSON whose top level is not an object.
    #[error("the document must be a JSON object of the lists in CONTRACT §3")]
    NotAnObject,
    /// A field is missing, unknown or holds a bad value.
    #[error("{path}: {problem}")]
    Field {
        /// Where, as `accounts[2].kind`.
        path: String,
        /// What is wrong there.
        problem: Problem,
    },
}

/// What is wrong with one field of a master data document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A required field is absent or `null`.
    #[error("is required")]
    Missing,
    /// A key that is not allowed in this object (often a typo).
    #[error("unknown field (expected one of: {})", .expected.join(", "))]
    UnknownField {
        /// The keys this object may have.
        expected: &'static [&'static str],
    },
    /// A value of the wrong JSON type.
    #[error("must be {expected}")]
    WrongType {
        /// What it must be, as `a string`.
        expected: &'static str,
    },
    /// An empty identifier.
    #[error("must not be empty")]
    Empty,
    /// A decimal that cannot be read exactly.
    #[error("{0}")]
    Decimal(DecimalTextError),
    /// A decimal outside its range (places, magnitude, sign).
    #[error("{0}")]
    Value(FieldProblem),
    /// A rebate rate above 1.
    #[error("must be a fraction from 0 to 1 (0.30 is 30 %)")]
    RateAboveOne,
    /// An account `kind` other than `channel`, `merchant` and `erp`.
    #[error("unknown account kind {0:?} (expected channel, merchant or erp)")]
    UnknownKind(String),
    /// `callbackSecret` without `callbackUrl`.
    #[error("is only allowed together with callbackUrl")]
    SecretWithoutUrl,
    /// Both `token` and `tokenSha256`.
    #[error("give token or tokenSha256, not both")]
    TokenTwice,
    /// A channel or merchant account without a token.
    #[error("a {kind} account needs token or tokenSha256")]
    TokenMissing {
        /// The account kind.
        kind: &'static str,
    },
    /// A `tokenSha256` that is not 64 hexadecimal digits.
    #[error("must be 64 hexadecimal digits")]
    BadHash,
    /// The same shop twice in `shopIds`.
    #[error("lists shop {0:?} twice")]
    DuplicateShop(String),
    /// A key given twice in one object, in the same spelling or in another letter case: which
    /// one was meant cannot be told, and a typo in master data must not pass silently.
    #[error("repeats the key {0:?}; a key may appear only once in an object, in one spelling")]
    RepeatedKey(String),
}

const DOCUMENT: &[&str] = &[
    "merchants",
    "shops",
    "customerUnits",
    "guides",
    "products",
    "stock",
    "prices",
    "accounts",
];
const MERCHANT: &[&str] = &["id", "name"];
const SHOP: &[&str] = &["id", "merchantId", "name"];
const CUSTOMER_UNIT: &[&str] = &["type", "id", "name", "rebateRate"];
const GUIDE: &[&str] = &["number", "name", "customerType", "customerId"];
const PRODUCT: &[&str] = &[
    "id",
    "barCode",
    "name",
    "standard",
    "unit",
    "producingArea",
    "qualityLevel",
    "sellType",
];
const STOCK: &[&str] = &["shopId", "productId", "quantity"];
const PRICE: &[&str] = &[
    "shopId",
    "productId",
    "listingPrice",
    "retailPrice",
    "lowestRetailPrice",
];
const CHANNEL: &[&str] = &[
    "id",
    "kind",
    "token",
    "tokenSha256",
    "shopId",
    "customerType",
    "customerId",
    "callbackUrl",
    "callbackSecret",
];
const MERCHANT_ACCOUNT: &[&str] = &[
    "id",
    "kind",
    "token",
    "tokenSha256",
    "merchantId",
    "callbackUrl",
    "callbackSecret",
];
const ERP: &[&str] = &[
    "id",
    "kind",
    "appKey",
    "secret",
    "customerId",
    "shopIds",
    "callbackUrl",
    "callbackSecret",
];

type Result<T> = std::result::Result<T, MasterDataReadError>;

/// Reads a master data document (CONTRACT §3). Tokens are hashed at once; references between
/// entities are left to `MasterData::check_references`. A key repeated in one object (also in
/// another letter case) is refused, naming both spellings. One UTF-8 byte order mark before the
/// document is skipped; nesting deeper than [`DEPTH_CEILING`] levels is not JSON here either.
///
/// ```
/// use posbridge_protocol::master_data::read_master_data;
///
/// let data = read_master_data(br#"{"merchants": [{"id": 2, "name": "West Lake Silk"}]}"#);
/// assert_eq!(data.unwrap().merchants[0].name, "West Lake Silk");
/// let typo = read_master_data(br#"{"merchants": [{"id": 2, "nmae": "x"}]}"#);
/// assert_eq!(
///     typo.unwrap_err().to_string(),
///     "merchants[0].nmae: unknown field (expected one of: id, name)"
/// );
/// let twice = read_master_data(br#"{"merchants": [{"id": 2, "name": "x", "Name": "y"}]}"#);
/// assert_eq!(
///     twice.unwrap_err().to_string(),
///     "merchants[0].Name: repeats the key \"name\"; a key may appear only once in an object, \
///      in one spelling"
/// );
/// ```
pub fn read_master_data(bytes: &[u8]) -> Result<MasterData> {
    let node = crate::json::read_tree(bytes, DEPTH_CEILING).map_err(|err| {
        MasterDataReadError::Syntax(match err {
            FormatError::Malformed(message) => message,
            FormatError::TooDeep { max } => format!("nested deeper than {max} levels"),
            other => other.to_string(),
        })
    })?;
    let Node::Object(object) = &node else {
        return Err(MasterDataReadError::NotAnObject);
    };
    let doc = Fields::new(object, String::new())?;
    doc.only(DOCUMENT)?;
    Ok(MasterData {
        merchants: doc.list("merchants", merchant)?,
        shops: doc.list("shops", shop)?,
        customer_units: doc.list("customerUnits", customer_unit)?,
        guides: doc.list("guides", guide)?,
        products: doc.list("products", product)?,
        stock: doc.list("stock", stock)?,
        prices: doc.list("prices", price)?,
        accounts: doc.list("accounts", account)?,
    })
}

fn merchant(item: &Fields) -> Result<Merchant> {
    item.only(MERCHANT)?;
    Ok(Merchant {
        id: MerchantId(item.integer("id")?),
        name: item.string("name")?,
    })
}

fn shop(item: &Fields) -> Result<Shop> {
    item.only(SHOP)?;
    Ok(Shop {
        id: ShopId::new(item.id("id")?),
        merchant_id: MerchantId(item.integer("merchantId")?),
        name: item.string("name")?,
    })
}

fn customer_unit(item: &Fields) -> Result<CustomerUnitEntry> {
    item.only(CUSTOMER_UNIT)?;
    let rate = item.decimal("rebateRate")?;
    Ok(CustomerUnitEntry {
        unit: CustomerUnit::new(item.id("type")?, item.id("id")?),
        name: item.string("name")?,
        rebate_rate: RebateRate::new(rate).map_err(|problem| {
            let problem = match problem {
                // Above 1, whatever the magnitude: the domain's message speaks of 10^12.
                FieldProblem::TooLarge => Problem::RateAboveOne,
                other => Problem::Value(other),
            };
            item.error("rebateRate", problem)
        })?,
    })
}

fn guide(item: &Fields) -> Result<Guide> {
    item.only(GUIDE)?;
    Ok(Guide {
        number: GuiderNumber::new(item.id("number")?),
        name: item.string("name")?,
        customer: CustomerUnit::new(item.id("customerType")?, item.id("customerId")?),
    })
}

fn product(item: &Fields) -> Result<Product> {
    item.only(PRODUCT)?;
    Ok(Product {
        id: ProductId(item.integer("id")?),
        bar_code: item.optional_string("barCode")?,
        name: item.string("name")?,
        standard: item.optional_string("standard")?,
        unit: item.optional_string("unit")?,
        producing_area: item.optional_string("producingArea")?,
        quality_level: item.optional_string("qualityLevel")?,
        sell_type: item.optional_string("sellType")?,
    })
}

fn stock(item: &Fields) -> Result<StockRecord> {
    item.only(STOCK)?;
    let quantity = item.decimal("quantity")?;
    Ok(StockRecord {
        shop_id: ShopId::new(item.id("shopId")?),
        product_id: ProductId(item.integer("productId")?),
        quantity: check_decimal(quantity).map_err(|p| item.error("quantity", Problem::Value(p)))?,
    })
}

fn price(item: &Fields) -> Result<PriceRecord> {
    item.only(PRICE)?;
    Ok(PriceRecord {
        shop_id: ShopId::new(item.id("shopId")?),
        product_id: ProductId(item.integer("productId")?),
        quote: PriceQuote {
            listing_price: item.price("listingPrice")?,
            retail_price: item.price("retailPrice")?,
            lowest_retail_price: item.price("lowestRetailPrice")?,
        },
    })
}

fn account(item: &Fields) -> Result<Account> {
    let id = item.id("id")?;
    let kind = item.id("kind")?;
    let (allowed, kind): (_, &'static str) = match kind.as_str() {
        "channel" => (CHANNEL, "channel"),
        "merchant" => (MERCHANT_ACCOUNT, "merchant"),
        "erp" => (ERP, "erp"),
        _ => return Err(item.error("kind", Problem::UnknownKind(kind))),
    };
    item.only(allowed)?;
    let scope = match kind {
        "channel" => AccountScope::Channel {
            shop_id: ShopId::new(item.id("shopId")?),
            customer: CustomerUnit::new(item.id("customerType")?, item.id("customerId")?),
        },
        "merchant" => AccountScope::Merchant {
            merchant_id: MerchantId(item.integer("merchantId")?),
        },
        _ => AccountScope::Erp {
            app_key: item.id("appKey")?,
            secret: item.id("secret")?,
            customer_id: item.id("customerId")?,
            shop_ids: item.shop_ids("shopIds")?,
        },
    };
    let token_sha256 = match (item.get("token"), item.get("tokenSha256")) {
        (Some(_), Some(_)) => return Err(item.error("tokenSha256", Problem::TokenTwice)),
        (Some(_), None) => Some(Sha256::digest(item.id("token")?.as_bytes()).into()),
        (None, Some(_)) => Some(
            parse_hash(&item.id("tokenSha256")?)
                .ok_or_else(|| item.error("tokenSha256", Problem::BadHash))?,
        ),
        (None, None) if kind == "erp" => None,
        (None, None) => return Err(item.error("token", Problem::TokenMissing { kind })),
    };
    let callback = match (
        item.optional_string("callbackUrl")?,
        item.optional_string("callbackSecret")?,
    ) {
        (Some(url), secret) => Some(Callback { url, secret }),
        (None, Some(_)) => return Err(item.error("callbackSecret", Problem::SecretWithoutUrl)),
        (None, None) => None,
    };
    Ok(Account {
        id,
        scope,
        token_sha256,
        callback,
    })
}

/// 64 hexadecimal digits, either case, to 32 bytes.
fn parse_hash(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut hash = [0; 32];
    for (byte, pair) in hash.iter_mut().zip(digits.chunks_exact(2)) {
        let &[high, low] = pair else {
            return None;
        };
        let high = char::from(high).to_digit(16)?;
        let low = char::from(low).to_digit(16)?;
        *byte = u8::try_from(high * 16 + low).ok()?;
    }
    Some(hash)
}

/// One JSON object of the document and its position, for reading fields by name.
struct Fields<'a> {
    object: &'a Object,
    path: String,
}

impl<'a> Fields<'a> {
    /// The object at `path`, once no key of it is repeated in any letter case.
    fn new(object: &'a Object, path: String) -> Result<Fields<'a>> {
        let fields = Fields { object, path };
        let mut seen = HashMap::with_capacity(object.fields.len());
        for (key, _) in &object.fields {
            if let Some(first) = seen.insert(key.to_ascii_lowercase(), key) {
                return Err(fields.error(key, Problem::RepeatedKey(first.to_string())));
            }
        }
        Ok(fields)
    }

    /// The position of `key` in this object.
    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn error(&self, key: &str, problem: Problem) -> MasterDataReadError {
        MasterDataReadError::Field {
            path: self.at(key),
            problem,
        }
    }

    /// Refuses every key not in `allowed`.
    fn only(&self, allowed: &'static [&'static str]) -> Result<()> {
        let mut keys = self.object.fields.iter().map(|(key, _)| key);
        match keys.find(|key| !allowed.contains(&key.as_ref())) {
            Some(key) => Err(self.error(key, Problem::UnknownField { expected: allowed })),
            None => Ok(()),
        }
    }

    /// A present, non-null value (keys are spelt exactly; none is repeated).
    fn get(&self, key: &str) -> Option<&'a Node> {
        self.object
            .fields
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
            .filter(|value| !matches!(value, Node::Null(_)))
    }

    fn required(&self, key: &str) -> Result<&'a Node> {
        self.get(key)
            .ok_or_else(|| self.error(key, Problem::Missing))
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Text(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.wrong_type(key, "a string")),
        }
    }

    fn string(&self, key: &str) -> Result<String> {
        self.optional_string(key)?
            .ok_or_else(|| self.error(key, Problem::Missing))
    }

    /// A required, non-empty string.
    fn id(&self, key: &str) -> Result<String> {
        let text = self.string(key)?;
        if text.is_empty() {
            return Err(self.error(key, Problem::Empty));
        }
        Ok(text)
    }

    fn integer(&self, key: &str) -> Result<i64> {
        match self.required(key)? {
            Node::Number(text) => text
                .parse::<i64>()
                .map_err(|_| self.wrong_type(key, "an integer")),
            _ => Err(self.wrong_type(key, "an integer")),
        }
    }

    /// A decimal from a string or a JSON number, read exactly from its text.
    fn decimal(&self, key: &str) -> Result<Decimal> {
        let text = match self.required(key)? {
            Node::Text(text) | Node::Number(text) => text.as_str(),
            _ => return Err(self.wrong_type(key, "a decimal (string or number)")),
        };
        parse_decimal(text).map_err(|problem| self.error(key, Problem::Decimal(problem)))
    }

    fn price(&self, key: &str) -> Result<UnitPrice> {
        UnitPrice::new(self.decimal(key)?)
            .map_err(|problem| self.error(key, Problem::Value(problem)))
    }

    fn shop_ids(&self, key: &str) -> Result<BTreeSet<ShopId>> {
        let Node::List(list) = self.required(key)? else {
            return Err(self.wrong_type(key, "a list of shop ids"));
        };
        let mut shop_ids = BTreeSet::new();
        for (idx, item) in list.items.iter().enumerate() {
            let at = format!("{key}[{idx}]");
            let shop_id = match item {
                Node::Text(text) if !text.is_empty() => ShopId::new(text.as_str()),
                Node::Text(_) => return Err(self.error(&at, Problem::Empty)),
                _ => return Err(self.wrong_type(&at, "a string")),
            };
            if !shop_ids.insert(shop_id.clone()) {
                return Err(self.error(&at, Problem::DuplicateShop(shop_id.to_string())));
            }
        }
        Ok(shop_ids)
    }

    /// A list of objects, each read by `read`; absent or `null` is an empty list.
    fn list<T>(&self, key: &str, read: impl Fn(&Fields) -> Result<T>) -> Result<Vec<T>> {
        let items = match self.get(key) {
            None => return Ok(Vec::new()),
            Some(Node::List(list)) => &list.items,
            Some(_) => return Err(self.wrong_type(key, "a list")),
        };
        let mut read_items = Vec::with_capacity(items.len());
        for (idx, item) in items.iter().enumerate() {
            let at = format!("{key}[{idx}]");
            let Node::Object(object) = item else {
                return Err(self.wrong_type(&at, "an object"));
            };
            read_items.push(read(&Fields::new(object, self.at(&at))?)?);
        }
        Ok(read_items)
    }

    fn wrong_type(&self, key: &str, expected: &'static str) -> MasterDataReadError {
        self.error(key, Problem::WrongType { expected })
    }
}
