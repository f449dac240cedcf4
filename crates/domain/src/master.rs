//! Master data (CONTRACT §3): merchants, shops, customer units, guides, products, stock, prices
//! and accounts, and the all-or-nothing reference check of an import.
//!
//! Entities are upserted by key, so a document may refer to entities stored by an earlier import;
//! [`MasterData::check_references`] takes those as [`KnownKeys`].

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::amounts::RebateRate;
use crate::catalog::PriceQuote;
use crate::ids::{CustomerUnit, GuiderNumber, MerchantId, ProductId, ShopId};

/// A merchant renting shops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    /// `MerchantId`.
    pub id: MerchantId,
    /// Display name.
    pub name: String,
}

/// A point of sale of one merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    /// `ShopId`, also the Qimen `storeCode`.
    pub id: ShopId,
    /// The merchant the shop belongs to.
    pub merchant_id: MerchantId,
    /// Display name.
    pub name: String,
}

/// A customer unit with its rebate rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerUnitEntry {
    /// `CustomerType` + `CustomerId`.
    pub unit: CustomerUnit,
    /// Display name.
    pub name: String,
    /// The rate rebates of this unit are computed with.
    pub rebate_rate: RebateRate,
}

/// A tour guide of a customer unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// `GuiderNumber`, the licence number.
    pub number: GuiderNumber,
    /// Display name.
    pub name: String,
    /// The customer unit the guide belongs to.
    pub customer: CustomerUnit,
}

/// A product and its descriptive fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// `ProductId`.
    pub id: ProductId,
    /// `BarCode`.
    pub bar_code: Option<String>,
    /// Display name.
    pub name: String,
    /// `Standard` (specification).
    pub standard: Option<String>,
    /// `Unit`.
    pub unit: Option<String>,
    /// `ProducingArea`.
    pub producing_area: Option<String>,
    /// `QualityLevel`.
    pub quality_level: Option<String>,
    /// `SellType`.
    pub sell_type: Option<String>,
}

/// A shop's stock record of a product; a record with quantity 0 still allows selling (2001).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRecord {
    /// The shop.
    pub shop_id: ShopId,
    /// The product.
    pub product_id: ProductId,
    /// The quantity on hand, never negative.
    pub quantity: Decimal,
}

/// A shop's current price quote of a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRecord {
    /// The shop.
    pub shop_id: ShopId,
    /// The product.
    pub product_id: ProductId,
    /// Listing, retail and lowest retail price.
    pub quote: PriceQuote,
}

/// Where an account's events are POSTed (CONTRACT §9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// The receiver's URL.
    pub url: String,
    /// The HMAC-SHA256 key of `X-Posbridge-Signature`; without one, events are sent unsigned.
    pub secret: Option<String>,
}

/// What an account may do, and what it is bound to (CONTRACT §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountScope {
    /// A channel account: submits sell bills for one shop and one customer unit.
    Channel {
        /// The shop its bills are sold in.
        shop_id: ShopId,
        /// The customer unit its bills belong to.
        customer: CustomerUnit,
    },
    /// A merchant account: submits rebate settlements for its own shops.
    Merchant {
        /// The merchant.
        merchant_id: MerchantId,
    },
    /// An ERP account: synchronises clerks through the signed Qimen endpoint.
    Erp {
        /// Qimen `app_key`.
        app_key: String,
        /// The signing secret; kept as given because signatures are computed with it.
        secret: String,
        /// Qimen `customerId` the requests must carry.
        customer_id: String,
        /// The shops whose clerks it may change.
        shop_ids: BTreeSet<ShopId>,
    },
}

impl AccountScope {
    /// The account kind as master data spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            AccountScope::Channel { .. } => "channel",
            AccountScope::Merchant { .. } => "merchant",
            AccountScope::Erp { .. } => "erp",
        }
    }
}

/// An account of a partner system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account's id.
    pub id: String,
    /// Kind and binding.
    pub scope: AccountScope,
    /// SHA-256 of the bearer token; `None` for ERP accounts, which sign instead.
    pub token_sha256: Option<[u8; 32]>,
    /// Where its events go, if anywhere.
    pub callback: Option<Callback>,
}

/// One master data document: every list is upserted by key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MasterData {
    /// Merchants, by id.
    pub merchants: Vec<Merchant>,
    /// Shops, by id.
    pub shops: Vec<Shop>,
    /// Customer units, by type and id.
    pub customer_units: Vec<CustomerUnitEntry>,
    /// Guides, by number.
    pub guides: Vec<Guide>,
    /// Products, by id.
    pub products: Vec<Product>,
    /// Stock records, by shop and product.
    pub stock: Vec<StockRecord>,
    /// Price quotes, by shop and product.
    pub prices: Vec<PriceRecord>,
    /// Accounts, by id.
    pub accounts: Vec<Account>,
}

/// Keys already stored, which a document may refer to without repeating them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownKeys {
    /// Stored merchants.
    pub merchants: BTreeSet<MerchantId>,
    /// Stored shops.
    pub shops: BTreeSet<ShopId>,
    /// Stored customer units.
    pub customer_units: BTreeSet<CustomerUnit>,
    /// Stored products.
    pub products: BTreeSet<ProductId>,
    /// Token hashes of stored accounts, with the account each belongs to.
    pub account_tokens: BTreeMap<[u8; 32], String>,
    /// Qimen app keys of stored ERP accounts, with the account each belongs to.
    pub app_keys: BTreeMap<String, String>,
}

/// Why a master data document is refused; nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MasterDataError {
    /// An entity refers to one that is neither stored nor in the document.
    #[error("{entity} {key} refers to unknown {target} {reference}")]
    UnknownReference {
        /// The referring entity's kind.
        entity: &'static str,
        /// Its key.
        key: String,
        /// The kind of entity referred to.
        target: &'static str,
        /// The missing key.
        reference: String,
    },
    /// The same key appears twice in one list.
    #[error("{entity} {key} appears twice")]
    Duplicate {
        /// The entity kind.
        entity: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A value breaks a rule of its own (a negative stock quantity, two accounts with one token).
    #[error("{entity} {key}: {problem}")]
    Invalid {
        /// The entity kind.
        entity: &'static str,
        /// Its key.
        key: String,
        /// What is wrong.
        problem: &'static str,
    },
}

impl MasterData {
    /// Checks that every reference resolves to an entity in `self` or in `known`, that no key
    /// repeats within a list, and that values are sound. All-or-nothing: the first problem found
    /// refuses the whole document.
    pub fn check_references(&self, known: &KnownKeys) -> Result<(), MasterDataError> {
        let merchants = unique(
            "merchant",
            self.merchants.iter().map(|m| (m.id, m.id.to_string())),
        )?;
        let shops = unique(
            "shop",
            self.shops.iter().map(|s| (s.id.clone(), s.id.to_string())),
        )?;
        let units = unique(
            "customer unit",
            self.customer_units
                .iter()
                .map(|c| (c.unit.clone(), c.unit.to_string())),
        )?;
        let products = unique(
            "product",
            self.products.iter().map(|p| (p.id, p.id.to_string())),
        )?;
        unique(
            "guide",
            self.guides
                .iter()
                .map(|g| (g.number.clone(), g.number.to_string())),
        )?;
        unique(
            "stock record",
            self.stock.iter().map(|s| {
                (
                    (s.shop_id.clone(), s.product_id),
                    format!("{}/{}", s.shop_id, s.product_id),
                )
            }),
        )?;
        unique(
            "price",
            self.prices.iter().map(|p| {
                (
                    (p.shop_id.clone(), p.product_id),
                    format!("{}/{}", p.shop_id, p.product_id),
                )
            }),
        )?;
        unique(
            "account",
            self.accounts.iter().map(|a| (a.id.clone(), a.id.clone())),
        )?;
        let has_merchant = |id: &MerchantId| merchants.contains(id) || known.merchants.contains(id);
        let has_shop = |id: &ShopId| shops.contains(id) || known.shops.contains(id);
        let has_unit = |u: &CustomerUnit| units.contains(u) || known.customer_units.contains(u);
        let has_product = |id: &ProductId| products.contains(id) || known.products.contains(id);

        for shop in &self.shops {
            require(
                has_merchant(&shop.merchant_id),
                "shop",
                &shop.id,
                "merchant",
                &shop.merchant_id,
            )?;
        }
        for guide in &self.guides {
            require(
                has_unit(&guide.customer),
                "guide",
                &guide.number,
                "customer unit",
                &guide.customer,
            )?;
        }
        for stock in &self.stock {
            let key = format!("{}/{}", stock.shop_id, stock.product_id);
            require(
                has_shop(&stock.shop_id),
                "stock record",
                &key,
                "shop",
                &stock.shop_id,
            )?;
            require(
                has_product(&stock.product_id),
                "stock record",
                &key,
                "product",
                &stock.product_id,
            )?;
            if stock.quantity.is_sign_negative() && !stock.quantity.is_zero() {
                return Err(MasterDataError::Invalid {
                    entity: "stock record",
                    key,
                    problem: "quantity is negative",
                });
            }
        }
        for price in &self.prices {
            let key = format!("{}/{}", price.shop_id, price.product_id);
            require(
                has_shop(&price.shop_id),
                "price",
                &key,
                "shop",
                &price.shop_id,
            )?;
            require(
                has_product(&price.product_id),
                "price",
                &key,
                "product",
                &price.product_id,
            )?;
        }
        let in_document: BTreeSet<&str> = self.accounts.iter().map(|a| a.id.as_str()).collect();
        // After the import, a token or app key still belongs to a stored account the document
        // does not mention; two accounts sharing one would make authentication ambiguous.
        let mut tokens: BTreeMap<[u8; 32], &str> = known
            .account_tokens
            .iter()
            .filter(|(_, id)| !in_document.contains(id.as_str()))
            .map(|(hash, id)| (*hash, id.as_str()))
            .collect();
        let mut app_keys: BTreeMap<&str, &str> = known
            .app_keys
            .iter()
            .filter(|(_, id)| !in_document.contains(id.as_str()))
            .map(|(key, id)| (key.as_str(), id.as_str()))
            .collect();
        for account in &self.accounts {
            if let Some(hash) = account.token_sha256
                && tokens.insert(hash, &account.id).is_some()
            {
                return Err(MasterDataError::Invalid {
                    entity: "account",
                    key: account.id.clone(),
                    problem: "token is used by another account",
                });
            }
            if let AccountScope::Erp { app_key, .. } = &account.scope
                && app_keys.insert(app_key, &account.id).is_some()
            {
                return Err(MasterDataError::Invalid {
                    entity: "account",
                    key: account.id.clone(),
                    problem: "appKey is used by another account",
                });
            }
        }
        for account in &self.accounts {
            match &account.scope {
                AccountScope::Channel { shop_id, customer } => {
                    require(has_shop(shop_id), "account", &account.id, "shop", shop_id)?;
                    require(
                        has_unit(customer),
                        "account",
                        &account.id,
                        "customer unit",
                        customer,
                    )?;
                }
                AccountScope::Merchant { merchant_id } => {
                    require(
                        has_merchant(merchant_id),
                        "account",
                        &account.id,
                        "merchant",
                        merchant_id,
                    )?;
                }
                AccountScope::Erp { shop_ids, .. } => {
                    for shop_id in shop_ids {
                        require(has_shop(shop_id), "account", &account.id, "shop", shop_id)?;
                    }
                }
            }
            if account.token_sha256.is_none() && !matches!(account.scope, AccountScope::Erp { .. })
            {
                return Err(MasterDataError::Invalid {
                    entity: "account",
                    key: account.id.clone(),
                    problem: "channel and merchant accounts need a token",
                });
            }
        }
        Ok(())
    }
}

fn unique<K: Ord>(
    entity: &'static str,
    keys: impl Iterator<Item = (K, String)>,
) -> Result<BTreeSet<K>, MasterDataError> {
    let mut seen = BTreeSet::new();
    for (key, label) in keys {
        if !seen.insert(key) {
            return Err(MasterDataError::Duplicate { entity, key: label });
        }
    }
    Ok(seen)
}

fn require(
    present: bool,
    entity: &'static str,
    key: &dyn std::fmt::Display,
    target: &'static str,
    reference: &dyn std::fmt::Display,
) -> Result<(), MasterDataError> {
    if present {
        Ok(())
    } else {
        Err(MasterDataError::UnknownReference {
            entity,
            key: key.to_string(),
            target,
            reference: reference.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop(id: &str, merchant: i64) -> Shop {
        Shop {
            id: ShopId::new(id),
            merchant_id: MerchantId(merchant),
            name: id.into(),
        }
    }

    fn check(data: &MasterData, known: &KnownKeys, expect: Result<(), &str>) {
        let got = data.check_references(known).map_err(|e| e.to_string());
        assert_eq!(got, expect.map_err(str::to_owned));
    }

    #[test]
    fn references_resolve_to_the_document_or_the_store() {
        let mut data = MasterData {
            shops: vec![shop("S1", 2)],
            ..MasterData::default()
        };
        check(
            &data,
            &KnownKeys::default(),
            Err("shop S1 refers to unknown merchant 2"),
        );
        let known = KnownKeys {
            merchants: [MerchantId(2)].into(),
            ..KnownKeys::default()
        };
        check(&data, &known, Ok(()));
        data.merchants.push(Merchant {
            id: MerchantId(2),
            name: "m".into(),
        });
        check(&data, &KnownKeys::default(), Ok(()));
        data.shops.push(shop("S1", 2));
        check(&data, &KnownKeys::default(), Err("shop S1 appears twice"));
    }

    #[test]
    fn negative_stock_and_shared_tokens_are_refused() {
        let known = KnownKeys {
            shops: [ShopId::new("S1")].into(),
            products: [ProductId(1)].into(),
            customer_units: [CustomerUnit::new("TA", "C1")].into(),
            ..KnownKeys::default()
        };
        let data = MasterData {
            stock: vec![StockRecord {
                shop_id: ShopId::new("S1"),
                product_id: ProductId(1),
                quantity: Decimal::NEGATIVE_ONE,
            }],
            ..MasterData::default()
        };
        check(
            &data,
            &known,
            Err("stock record S1/1: quantity is negative"),
        );
        let channel = |id: &str| Account {
            id: id.into(),
            scope: AccountScope::Channel {
                shop_id: ShopId::new("S1"),
                customer: CustomerUnit::new("TA", "C1"),
            },
            token_sha256: Some([7; 32]),
            callback: None,
        };
        let data = MasterData {
            accounts: vec![channel("a"), channel("b")],
            ..MasterData::default()
        };
        check(
            &data,
            &known,
            Err("account b: token is used by another account"),
        );
        // A stored account keeps its token unless the document gives it another one.
        let mut known = known;
        known.account_tokens.insert([7; 32], "stored".into());
        let data = MasterData {
            accounts: vec![channel("a")],
            ..MasterData::default()
        };
        check(
            &data,
            &known,
            Err("account a: token is used by another account"),
        );
        known.account_tokens.insert([7; 32], "a".into());
        check(&data, &known, Ok(()));
    }
}
