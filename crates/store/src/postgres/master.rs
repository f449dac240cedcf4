//! Master data on PostgreSQL: upserts by key, the price history and shop catalogs (accounts
//! are in `accounts`).

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::amounts::RebateRate;
use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::{PriceQuote, ShopCatalog};
use posbridge_domain::ids::{CustomerUnit, GuiderNumber, MerchantId, ProductId, ShopId};
use posbridge_domain::master::{
    CustomerUnitEntry, Guide, KnownKeys, MasterData, Merchant, PriceRecord, Product, Shop,
    StockRecord,
};
use tokio_postgres::Row;

use super::accounts;
use super::sql::{column, decimal_column, numeric_text};
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;
use crate::model::ImportSummary;

/// The keys of stored merchants, shops, customer units and products.
pub(crate) async fn known_keys(tx: &PgTx<'_>) -> Result<KnownKeys, StoreError> {
    let mut keys = KnownKeys::default();
    for row in tx.query("SELECT id FROM merchants", &[]).await? {
        keys.merchants.insert(MerchantId(column(&row, "id")?));
    }
    for row in tx.query("SELECT id FROM shops", &[]).await? {
        keys.shops
            .insert(ShopId::new(column::<String>(&row, "id")?));
    }
    for row in tx
        .query("SELECT customer_type, customer_id FROM customer_units", &[])
        .await?
    {
        keys.customer_units.insert(customer_unit(&row)?);
    }
    for row in tx.query("SELECT id FROM products", &[]).await? {
        keys.products.insert(ProductId(column(&row, "id")?));
    }
    for row in tx
        .query(
            "SELECT token_sha256, app_key, id FROM accounts \
             WHERE token_sha256 IS NOT NULL OR app_key IS NOT NULL",
            &[],
        )
        .await?
    {
        let id: String = column(&row, "id")?;
        if let Some(hash) = column::<Option<Vec<u8>>>(&row, "token_sha256")?
            && let Ok(hash) = <[u8; 32]>::try_from(hash)
        {
            keys.account_tokens.insert(hash, id.clone());
        }
        if let Some(app_key) = column::<Option<String>>(&row, "app_key")? {
            keys.app_keys.insert(app_key, id);
        }
    }
    Ok(keys)
}

/// Upserts every entity of a checked document; a new or changed price quote also goes to the
/// price history, effective from `now`.
pub(crate) async fn upsert(
    tx: &PgTx<'_>,
    data: &MasterData,
    now: Timestamp,
) -> Result<ImportSummary, StoreError> {
    for merchant in &data.merchants {
        tx.execute(
            "INSERT INTO merchants (id, name) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name",
            &[&merchant.id.0, &merchant.name],
        )
        .await?;
    }
    for shop in &data.shops {
        tx.execute(
            "INSERT INTO shops (id, merchant_id, name) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, \
             name = EXCLUDED.name",
            &[&shop.id.as_str(), &shop.merchant_id.0, &shop.name],
        )
        .await?;
    }
    for entry in &data.customer_units {
        let rate = numeric_text(entry.rebate_rate.get());
        tx.execute(
            "INSERT INTO customer_units (customer_type, customer_id, name, rebate_rate) \
             VALUES ($1, $2, $3, $4::text::numeric) \
             ON CONFLICT (customer_type, customer_id) \
             DO UPDATE SET name = EXCLUDED.name, rebate_rate = EXCLUDED.rebate_rate",
            &[
                &entry.unit.customer_type,
                &entry.unit.customer_id,
                &entry.name,
                &rate,
            ],
        )
        .await?;
    }
    for guide in &data.guides {
        tx.execute(
            "INSERT INTO guides (number, name, customer_type, customer_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (number) DO UPDATE SET name = EXCLUDED.name, \
             customer_type = EXCLUDED.customer_type, customer_id = EXCLUDED.customer_id",
            &[
                &guide.number.as_str(),
                &guide.name,
                &guide.customer.customer_type,
                &guide.customer.customer_id,
            ],
        )
        .await?;
    }
    for product in &data.products {
        tx.execute(
            "INSERT INTO products (id, bar_code, name, standard, unit, producing_area, \
             quality_level, sell_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET bar_code = EXCLUDED.bar_code, name = EXCLUDED.name, \
             standard = EXCLUDED.standard, unit = EXCLUDED.unit, \
             producing_area = EXCLUDED.producing_area, quality_level = EXCLUDED.quality_level, \
             sell_type = EXCLUDED.sell_type",
            &[
                &product.id.0,
                &product.bar_code,
                &product.name,
                &product.standard,
                &product.unit,
                &product.producing_area,
                &product.quality_level,
                &product.sell_type,
            ],
        )
        .await?;
    }
    for stock in &data.stock {
        let quantity = numeric_text(stock.quantity);
        tx.execute(
            "INSERT INTO stock (shop_id, product_id, quantity) VALUES ($1, $2, $3::text::numeric) \
             ON CONFLICT (shop_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity",
            &[&stock.shop_id.as_str(), &stock.product_id.0, &quantity],
        )
        .await?;
    }
    let mut prices_changed = 0;
    for price in &data.prices {
        if upsert_price(tx, price, now).await? {
            prices_changed += 1;
        }
    }
    for account in &data.accounts {
        accounts::upsert(tx, account).await?;
    }
    let upserted = BTreeMap::from([
        ("merchants", data.merchants.len()),
        ("shops", data.shops.len()),
        ("customerUnits", data.customer_units.len()),
        ("guides", data.guides.len()),
        ("products", data.products.len()),
        ("stock", data.stock.len()),
        ("prices", data.prices.len()),
        ("accounts", data.accounts.len()),
    ]);
    Ok(ImportSummary {
        upserted,
        prices_changed,
    })
}

/// Upserts one quote; answers whether it is new or changed (and so went to the history).
async fn upsert_price(
    tx: &PgTx<'_>,
    price: &PriceRecord,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let shop = price.shop_id.as_str();
    // The row lock keeps a concurrent import from recording the same change twice.
    let stored = tx
        .query_opt(
            "SELECT listing_price::text AS listing_price, retail_price::text AS retail_price, \
             lowest_retail_price::text AS lowest_retail_price, updated_at \
             FROM prices WHERE shop_id = $1 AND product_id = $2 FOR UPDATE",
            &[&shop, &price.product_id.0],
        )
        .await?;
    let (changed, updated_at) = match &stored {
        Some(row) => {
            let changed = price_quote(row)? != price.quote;
            let updated_at = if changed {
                now.0
            } else {
                column(row, "updated_at")?
            };
            (changed, updated_at)
        }
        None => (true, now.0),
    };
    let listing = numeric_text(price.quote.listing_price.get());
    let retail = numeric_text(price.quote.retail_price.get());
    let lowest = numeric_text(price.quote.lowest_retail_price.get());
    tx.execute(
        "INSERT INTO prices (shop_id, product_id, listing_price, retail_price, \
         lowest_retail_price, updated_at) \
         VALUES ($1, $2, $3::text::numeric, $4::text::numeric, $5::text::numeric, $6) \
         ON CONFLICT (shop_id, product_id) DO UPDATE SET \
         listing_price = EXCLUDED.listing_price, retail_price = EXCLUDED.retail_price, \
         lowest_retail_price = EXCLUDED.lowest_retail_price, updated_at = EXCLUDED.updated_at",
        &[
            &shop,
            &price.product_id.0,
            &listing,
            &retail,
            &lowest,
            &updated_at,
        ],
    )
    .await?;
    if changed {
        tx.execute(
            "INSERT INTO price_history (shop_id, product_id, listing_price, retail_price, \
             lowest_retail_price, effective_from) \
             VALUES ($1, $2, $3::text::numeric, $4::text::numeric, $5::text::numeric, $6)",
            &[
                &shop,
                &price.product_id.0,
                &listing,
                &retail,
                &lowest,
                &now.0,
            ],
        )
        .await?;
    }
    Ok(changed)
}

/// Every stored entity, each list in key order (byte order for text keys, as SQLite sorts).
pub(crate) async fn load(tx: &PgTx<'_>) -> Result<MasterData, StoreError> {
    let mut data = MasterData::default();
    for row in tx
        .query("SELECT id, name FROM merchants ORDER BY id", &[])
        .await?
    {
        data.merchants.push(Merchant {
            id: MerchantId(column(&row, "id")?),
            name: column(&row, "name")?,
        });
    }
    for row in tx
        .query(
            "SELECT id, merchant_id, name FROM shops ORDER BY id COLLATE \"C\"",
            &[],
        )
        .await?
    {
        data.shops.push(Shop {
            id: ShopId::new(column::<String>(&row, "id")?),
            merchant_id: MerchantId(column(&row, "merchant_id")?),
            name: column(&row, "name")?,
        });
    }
    for row in tx
        .query(
            "SELECT customer_type, customer_id, name, rebate_rate::text AS rebate_rate \
             FROM customer_units ORDER BY customer_type COLLATE \"C\", customer_id COLLATE \"C\"",
            &[],
        )
        .await?
    {
        data.customer_units.push(CustomerUnitEntry {
            unit: customer_unit(&row)?,
            name: column(&row, "name")?,
            rebate_rate: codec::decimal::rebate_rate(&column::<String>(&row, "rebate_rate")?)?,
        });
    }
    for row in tx
        .query(
            "SELECT number, name, customer_type, customer_id FROM guides \
             ORDER BY number COLLATE \"C\"",
            &[],
        )
        .await?
    {
        data.guides.push(Guide {
            number: GuiderNumber::new(column::<String>(&row, "number")?),
            name: column(&row, "name")?,
            customer: customer_unit(&row)?,
        });
    }
    for row in tx
        .query(
            "SELECT id, bar_code, name, standard, unit, producing_area, quality_level, sell_type \
             FROM products ORDER BY id",
            &[],
        )
        .await?
    {
        data.products.push(Product {
            id: ProductId(column(&row, "id")?),
            bar_code: column(&row, "bar_code")?,
            name: column(&row, "name")?,
            standard: column(&row, "standard")?,
            unit: column(&row, "unit")?,
            producing_area: column(&row, "producing_area")?,
            quality_level: column(&row, "quality_level")?,
            sell_type: column(&row, "sell_type")?,
        });
    }
    for row in tx
        .query(
            "SELECT shop_id, product_id, quantity::text AS quantity FROM stock \
             ORDER BY shop_id COLLATE \"C\", product_id",
            &[],
        )
        .await?
    {
        data.stock.push(StockRecord {
            shop_id: ShopId::new(column::<String>(&row, "shop_id")?),
            product_id: ProductId(column(&row, "product_id")?),
            quantity: decimal_column(&row, "quantity")?,
        });
    }
    for row in tx
        .query(
            "SELECT shop_id, product_id, listing_price::text AS listing_price, \
             retail_price::text AS retail_price, lowest_retail_price::text AS lowest_retail_price \
             FROM prices ORDER BY shop_id COLLATE \"C\", product_id",
            &[],
        )
        .await?
    {
        data.prices.push(PriceRecord {
            shop_id: ShopId::new(column::<String>(&row, "shop_id")?),
            product_id: ProductId(column(&row, "product_id")?),
            quote: price_quote(&row)?,
        });
    }
    data.accounts = accounts::all(tx).await?;
    Ok(data)
}

/// Stock records and prices of `products` at `shop`, and `guide` if it is known.
pub(crate) async fn catalog(
    tx: &PgTx<'_>,
    shop: &ShopId,
    products: &BTreeSet<ProductId>,
    guide: Option<&GuiderNumber>,
) -> Result<ShopCatalog, StoreError> {
    let product_ids: Vec<i64> = products.iter().map(|p| p.0).collect();
    let mut catalog = ShopCatalog::new();
    // One round trip for stock, prices and the guide: this read is on the path of every new bill.
    let rows = tx
        .query(
            "SELECT p.id AS product_id, s.quantity::text AS quantity, \
             pr.listing_price::text AS listing_price, pr.retail_price::text AS retail_price, \
             pr.lowest_retail_price::text AS lowest_retail_price, \
             EXISTS (SELECT 1 FROM guides WHERE number = $3) AS guide_known \
             FROM unnest($2::bigint[]) AS p(id) \
             LEFT JOIN stock s ON s.shop_id = $1 AND s.product_id = p.id \
             LEFT JOIN prices pr ON pr.shop_id = $1 AND pr.product_id = p.id",
            &[
                &shop.as_str(),
                &product_ids,
                &guide.map(GuiderNumber::as_str),
            ],
        )
        .await?;
    for row in &rows {
        let product = ProductId(column(row, "product_id")?);
        if let Some(quantity) = column::<Option<String>>(row, "quantity")? {
            catalog
                .stock
                .insert(product, codec::decimal::parse(&quantity)?);
        }
        if column::<Option<String>>(row, "retail_price")?.is_some() {
            catalog.prices.insert(product, price_quote(row)?);
        }
        if let Some(guide) = guide
            && column::<bool>(row, "guide_known")?
        {
            catalog.guides.insert(guide.clone());
        }
    }
    Ok(catalog)
}

/// The shops of a merchant.
pub(crate) async fn merchant_shops(
    tx: &PgTx<'_>,
    merchant: MerchantId,
) -> Result<BTreeSet<ShopId>, StoreError> {
    let rows = tx
        .query(
            "SELECT id FROM shops WHERE merchant_id = $1",
            &[&merchant.0],
        )
        .await?;
    rows.iter()
        .map(|row| column::<String>(row, "id").map(ShopId::new))
        .collect()
}

/// The rebate rate of a customer unit, `None` when the unit is unknown.
pub(crate) async fn rebate_rate(
    tx: &PgTx<'_>,
    unit: &CustomerUnit,
) -> Result<Option<RebateRate>, StoreError> {
    let row = tx
        .query_opt(
            "SELECT rebate_rate::text AS rebate_rate FROM customer_units \
             WHERE customer_type = $1 AND customer_id = $2",
            &[&unit.customer_type, &unit.customer_id],
        )
        .await?;
    row.map(|row| codec::decimal::rebate_rate(&column::<String>(&row, "rebate_rate")?))
        .transpose()
}

fn customer_unit(row: &Row) -> Result<CustomerUnit, StoreError> {
    Ok(CustomerUnit::new(
        column::<String>(row, "customer_type")?,
        column::<String>(row, "customer_id")?,
    ))
}

/// A quote from its three price columns (selected as text).
fn price_quote(row: &Row) -> Result<PriceQuote, StoreError> {
    Ok(PriceQuote {
        listing_price: codec::decimal::unit_price(&column::<String>(row, "listing_price")?)?,
        retail_price: codec::decimal::unit_price(&column::<String>(row, "retail_price")?)?,
        lowest_retail_price: codec::decimal::unit_price(&column::<String>(
            row,
            "lowest_retail_price",
        )?)?,
    })
}
