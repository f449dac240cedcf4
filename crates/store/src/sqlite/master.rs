//! Master data on SQLite: upserts by key, the price history, reading everything back.

use std::collections::BTreeSet;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::PriceQuote;
use posbridge_domain::ids::{CustomerUnit, GuiderNumber, MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    Account, AccountScope, Callback, CustomerUnitEntry, Guide, KnownKeys, MasterData, Merchant,
    PriceRecord, Product, Shop, StockRecord,
};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use super::error::sql_error;
use crate::codec::decimal;
use crate::error::StoreError;
use crate::model::ImportSummary;

/// The keys a document may refer to without repeating them.
pub fn known_keys(conn: &Connection) -> Result<KnownKeys, StoreError> {
    Ok(KnownKeys {
        merchants: column(conn, "SELECT id FROM merchants", |r| {
            Ok(MerchantId(r.get(0)?))
        })?,
        shops: column(conn, "SELECT id FROM shops", |r| {
            Ok(ShopId::new(r.get::<_, String>(0)?))
        })?,
        customer_units: column(
            conn,
            "SELECT customer_type, customer_id FROM customer_units",
            |r| {
                Ok(CustomerUnit::new(
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                ))
            },
        )?,
        products: column(conn, "SELECT id FROM products", |r| {
            Ok(ProductId(r.get(0)?))
        })?,
        account_tokens: pairs(
            conn,
            "SELECT token_sha256, id FROM accounts WHERE token_sha256 IS NOT NULL",
        )?
        .into_iter()
        .filter_map(|(hash, id): (Vec<u8>, String)| Some((<[u8; 32]>::try_from(hash).ok()?, id)))
        .collect(),
        app_keys: pairs(
            conn,
            "SELECT app_key, id FROM accounts WHERE app_key IS NOT NULL",
        )?
        .into_iter()
        .collect(),
    })
}

fn pairs<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql>(
    conn: &Connection,
    sql: &str,
) -> Result<Vec<(A, B)>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_error)?;
    rows.map(|r| r.map_err(sql_error)).collect()
}

fn column<T: Ord>(
    conn: &Connection,
    sql: &str,
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<BTreeSet<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_error)?;
    let rows = stmt.query_map([], read).map_err(sql_error)?;
    rows.map(|r| r.map_err(sql_error)).collect()
}

fn exec(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute(params))
        .map_err(sql_error)?;
    Ok(())
}

/// Upserts every entity of a checked document.
pub fn upsert(
    conn: &Connection,
    data: &MasterData,
    now: Timestamp,
) -> Result<ImportSummary, StoreError> {
    let mut summary = ImportSummary::default();
    for m in &data.merchants {
        exec(
            conn,
            "INSERT INTO merchants (id, name) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            params![m.id.0, m.name],
        )?;
    }
    for s in &data.shops {
        exec(
            conn,
            "INSERT INTO shops (id, merchant_id, name) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET merchant_id = excluded.merchant_id, name = excluded.name",
            params![s.id.as_str(), s.merchant_id.0, s.name],
        )?;
    }
    for c in &data.customer_units {
        exec(
            conn,
            "INSERT INTO customer_units (customer_type, customer_id, name, rebate_rate)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (customer_type, customer_id)
             DO UPDATE SET name = excluded.name, rebate_rate = excluded.rebate_rate",
            params![
                c.unit.customer_type,
                c.unit.customer_id,
                c.name,
                c.rebate_rate.to_string()
            ],
        )?;
    }
    for g in &data.guides {
        exec(
            conn,
            "INSERT INTO guides (number, name, customer_type, customer_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (number) DO UPDATE SET name = excluded.name,
                customer_type = excluded.customer_type, customer_id = excluded.customer_id",
            params![
                g.number.as_str(),
                g.name,
                g.customer.customer_type,
                g.customer.customer_id
            ],
        )?;
    }
    for p in &data.products {
        exec(
            conn,
            "INSERT INTO products (id, bar_code, name, standard, unit, producing_area,
                quality_level, sell_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET bar_code = excluded.bar_code, name = excluded.name,
                standard = excluded.standard, unit = excluded.unit,
                producing_area = excluded.producing_area, quality_level = excluded.quality_level,
                sell_type = excluded.sell_type",
            params![
                p.id.0,
                p.bar_code,
                p.name,
                p.standard,
                p.unit,
                p.producing_area,
                p.quality_level,
                p.sell_type
            ],
        )?;
    }
    for s in &data.stock {
        exec(
            conn,
            "INSERT INTO stock (shop_id, product_id, quantity) VALUES (?1, ?2, ?3)
             ON CONFLICT (shop_id, product_id) DO UPDATE SET quantity = excluded.quantity",
            params![s.shop_id.as_str(), s.product_id.0, s.quantity.to_string()],
        )?;
    }
    for p in &data.prices {
        if upsert_price(conn, p, now)? {
            summary.prices_changed += 1;
        }
    }
    for a in &data.accounts {
        upsert_account(conn, a)?;
    }
    let counts = [
        ("merchants", data.merchants.len()),
        ("shops", data.shops.len()),
        ("customerUnits", data.customer_units.len()),
        ("guides", data.guides.len()),
        ("products", data.products.len()),
        ("stock", data.stock.len()),
        ("prices", data.prices.len()),
        ("accounts", data.accounts.len()),
    ];
    summary.upserted = counts.into_iter().collect();
    Ok(summary)
}

/// Upserts a quote; a new or changed one is appended to the price history. Answers whether it
/// changed.
fn upsert_price(conn: &Connection, p: &PriceRecord, now: Timestamp) -> Result<bool, StoreError> {
    let stored = conn
        .prepare_cached(
            "SELECT listing_price, retail_price, lowest_retail_price FROM prices
             WHERE shop_id = ?1 AND product_id = ?2",
        )
        .and_then(|mut s| {
            s.query_row(params![p.shop_id.as_str(), p.product_id.0], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()
        })
        .map_err(sql_error)?;
    let stored = stored.map(|(l, r, w)| quote(&l, &r, &w)).transpose()?;
    if stored == Some(p.quote) {
        return Ok(false);
    }
    let q = &p.quote;
    let values = params![
        p.shop_id.as_str(),
        p.product_id.0,
        q.listing_price.to_string(),
        q.retail_price.to_string(),
        q.lowest_retail_price.to_string(),
        now.0
    ];
    exec(
        conn,
        "INSERT INTO prices (shop_id, product_id, listing_price, retail_price,
            lowest_retail_price, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (shop_id, product_id) DO UPDATE SET listing_price = excluded.listing_price,
            retail_price = excluded.retail_price,
            lowest_retail_price = excluded.lowest_retail_price, updated_at = excluded.updated_at",
        values,
    )?;
    exec(
        conn,
        "INSERT INTO price_history (shop_id, product_id, listing_price, retail_price,
            lowest_retail_price, effective_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        values,
    )?;
    Ok(true)
}

fn quote(listing: &str, retail: &str, lowest: &str) -> Result<PriceQuote, StoreError> {
    Ok(PriceQuote {
        listing_price: decimal::unit_price(listing)?,
        retail_price: decimal::unit_price(retail)?,
        lowest_retail_price: decimal::unit_price(lowest)?,
    })
}

fn upsert_account(conn: &Connection, a: &Account) -> Result<(), StoreError> {
    let (mut shop_id, mut customer, mut merchant_id) = (None, None, None);
    let (mut app_key, mut secret, mut erp_customer_id, mut shop_ids) = (None, None, None, None);
    match &a.scope {
        AccountScope::Channel {
            shop_id: s,
            customer: c,
        } => {
            shop_id = Some(s.as_str());
            customer = Some(c);
        }
        AccountScope::Merchant { merchant_id: m } => merchant_id = Some(m.0),
        AccountScope::Erp {
            app_key: k,
            secret: s,
            customer_id,
            shop_ids: ids,
        } => {
            app_key = Some(k.as_str());
            secret = Some(s.as_str());
            erp_customer_id = Some(customer_id.as_str());
            let ids: Vec<&str> = ids.iter().map(ShopId::as_str).collect();
            shop_ids = Some(serde_json::to_string(&ids).unwrap_or_default());
        }
    }
    exec(
        conn,
        "INSERT INTO accounts (id, kind, token_sha256, shop_id, customer_type, customer_id,
            merchant_id, app_key, secret, erp_customer_id, shop_ids, callback_url, callback_secret)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, token_sha256 = excluded.token_sha256,
            shop_id = excluded.shop_id, customer_type = excluded.customer_type,
            customer_id = excluded.customer_id, merchant_id = excluded.merchant_id,
            app_key = excluded.app_key, secret = excluded.secret,
            erp_customer_id = excluded.erp_customer_id, shop_ids = excluded.shop_ids,
            callback_url = excluded.callback_url, callback_secret = excluded.callback_secret",
        params![
            a.id,
            a.scope.kind(),
            a.token_sha256.as_ref().map(|h| h.as_slice()),
            shop_id,
            customer.map(|c| c.customer_type.as_str()),
            customer.map(|c| c.customer_id.as_str()),
            merchant_id,
            app_key,
            secret,
            erp_customer_id,
            shop_ids,
            a.callback.as_ref().map(|c| c.url.as_str()),
            a.callback.as_ref().and_then(|c| c.secret.as_deref()),
        ],
    )
}

const ACCOUNT_COLUMNS: &str = "id, kind, token_sha256, shop_id, customer_type, customer_id, \
    merchant_id, app_key, secret, erp_customer_id, shop_ids, callback_url, callback_secret";

/// The account matching `condition` (with one parameter `?1`).
pub fn account_where(
    conn: &Connection,
    condition: &str,
    value: &dyn ToSql,
) -> Result<Option<Account>, StoreError> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {condition}"
        ))
        .and_then(|mut s| s.query_row([value], account_row).optional())
        .map_err(sql_error)?;
    row.map(account).transpose()
}

type AccountRow = (
    String,
    String,
    Option<Vec<u8>>,
    [Option<String>; 3],
    Option<i64>,
    [Option<String>; 6],
);

fn account_row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        [r.get(3)?, r.get(4)?, r.get(5)?],
        r.get(6)?,
        [
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
            r.get(11)?,
            r.get(12)?,
        ],
    ))
}

fn account(row: AccountRow) -> Result<Account, StoreError> {
    let (id, kind, token, [shop_id, customer_type, customer_id], merchant_id, rest) = row;
    let [
        app_key,
        secret,
        erp_customer_id,
        shop_ids,
        callback_url,
        callback_secret,
    ] = rest;
    let corrupt = |what: &str| StoreError::Corrupt(format!("account {id}: {what}"));
    let scope = match kind.as_str() {
        "channel" => AccountScope::Channel {
            shop_id: ShopId::new(shop_id.ok_or_else(|| corrupt("shop"))?),
            customer: CustomerUnit::new(
                customer_type.ok_or_else(|| corrupt("customer type"))?,
                customer_id.ok_or_else(|| corrupt("customer id"))?,
            ),
        },
        "merchant" => AccountScope::Merchant {
            merchant_id: MerchantId(merchant_id.ok_or_else(|| corrupt("merchant"))?),
        },
        "erp" => {
            let ids: Vec<String> = serde_json::from_str(shop_ids.as_deref().unwrap_or("[]"))
                .map_err(|_| corrupt("shop ids"))?;
            AccountScope::Erp {
                app_key: app_key.ok_or_else(|| corrupt("app key"))?,
                secret: secret.ok_or_else(|| corrupt("secret"))?,
                customer_id: erp_customer_id.ok_or_else(|| corrupt("customer id"))?,
                shop_ids: ids.into_iter().map(ShopId::new).collect(),
            }
        }
        _ => return Err(corrupt("kind")),
    };
    let token_sha256 = token
        .map(|t| <[u8; 32]>::try_from(t.as_slice()).map_err(|_| corrupt("token hash")))
        .transpose()?;
    Ok(Account {
        id: id.clone(),
        scope,
        token_sha256,
        callback: callback_url.map(|url| Callback {
            url,
            secret: callback_secret,
        }),
    })
}

/// Every stored entity, ordered by key.
pub fn load(conn: &Connection) -> Result<MasterData, StoreError> {
    let rows = |sql: &str| -> Result<Vec<Vec<Option<String>>>, StoreError> {
        let mut stmt = conn.prepare_cached(sql).map_err(sql_error)?;
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Null => None,
                            rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                            rusqlite::types::Value::Text(t) => Some(t),
                            other => Some(format!("{other:?}")),
                        })
                    })
                    .collect()
            })
            .map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error)).collect()
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let int = |v: &Option<String>| -> Result<i64, StoreError> {
        v.as_deref()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| StoreError::Corrupt("master data integer".into()))
    };
    let mut data = MasterData::default();
    for r in rows("SELECT id, name FROM merchants ORDER BY id")? {
        data.merchants.push(Merchant {
            id: MerchantId(int(&r[0])?),
            name: text(&r[1]),
        });
    }
    for r in rows("SELECT id, merchant_id, name FROM shops ORDER BY id")? {
        data.shops.push(Shop {
            id: ShopId::new(text(&r[0])),
            merchant_id: MerchantId(int(&r[1])?),
            name: text(&r[2]),
        });
    }
    for r in rows(
        "SELECT customer_type, customer_id, name, rebate_rate FROM customer_units
         ORDER BY customer_type, customer_id",
    )? {
        data.customer_units.push(CustomerUnitEntry {
            unit: CustomerUnit::new(text(&r[0]), text(&r[1])),
            name: text(&r[2]),
            rebate_rate: decimal::rebate_rate(&text(&r[3]))?,
        });
    }
    for r in rows("SELECT number, name, customer_type, customer_id FROM guides ORDER BY number")? {
        data.guides.push(Guide {
            number: GuiderNumber::new(text(&r[0])),
            name: text(&r[1]),
            customer: CustomerUnit::new(text(&r[2]), text(&r[3])),
        });
    }
    for r in rows(
        "SELECT id, bar_code, name, standard, unit, producing_area, quality_level, sell_type
         FROM products ORDER BY id",
    )? {
        data.products.push(Product {
            id: ProductId(int(&r[0])?),
            bar_code: r[1].clone(),
            name: text(&r[2]),
            standard: r[3].clone(),
            unit: r[4].clone(),
            producing_area: r[5].clone(),
            quality_level: r[6].clone(),
            sell_type: r[7].clone(),
        });
    }
    for r in rows("SELECT shop_id, product_id, quantity FROM stock ORDER BY shop_id, product_id")? {
        data.stock.push(StockRecord {
            shop_id: ShopId::new(text(&r[0])),
            product_id: ProductId(int(&r[1])?),
            quantity: decimal::parse(&text(&r[2]))?,
        });
    }
    for r in rows(
        "SELECT shop_id, product_id, listing_price, retail_price, lowest_retail_price
         FROM prices ORDER BY shop_id, product_id",
    )? {
        data.prices.push(PriceRecord {
            shop_id: ShopId::new(text(&r[0])),
            product_id: ProductId(int(&r[1])?),
            quote: quote(&text(&r[2]), &text(&r[3]), &text(&r[4]))?,
        });
    }
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"
        ))
        .map_err(sql_error)?;
    let accounts = stmt.query_map([], account_row).map_err(sql_error)?;
    for row in accounts {
        data.accounts.push(account(row.map_err(sql_error)?)?);
    }
    Ok(data)
}
