//! Accounts on PostgreSQL: one row per account, its scope spread over nullable columns.

use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
use posbridge_domain::master::{Account, AccountScope, Callback};
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use super::sql::column;
use super::tx::PgTx;
use crate::error::StoreError;

/// The columns an account is stored in, by its scope.
#[derive(Default)]
struct AccountColumns<'a> {
    shop_id: Option<&'a str>,
    customer_type: Option<&'a str>,
    customer_id: Option<&'a str>,
    merchant_id: Option<i64>,
    app_key: Option<&'a str>,
    secret: Option<&'a str>,
    erp_customer_id: Option<&'a str>,
    shop_ids: Option<String>,
}

pub(crate) async fn upsert(tx: &PgTx<'_>, account: &Account) -> Result<(), StoreError> {
    let columns = match &account.scope {
        AccountScope::Channel { shop_id, customer } => AccountColumns {
            shop_id: Some(shop_id.as_str()),
            customer_type: Some(&customer.customer_type),
            customer_id: Some(&customer.customer_id),
            ..AccountColumns::default()
        },
        AccountScope::Merchant { merchant_id } => AccountColumns {
            merchant_id: Some(merchant_id.0),
            ..AccountColumns::default()
        },
        AccountScope::Erp {
            app_key,
            secret,
            customer_id,
            shop_ids,
        } => {
            let ids: Vec<&str> = shop_ids.iter().map(ShopId::as_str).collect();
            let json = serde_json::to_string(&ids).map_err(|e| {
                StoreError::Corrupt(format!("account {} shop ids: {e}", account.id))
            })?;
            AccountColumns {
                app_key: Some(app_key),
                secret: Some(secret),
                erp_customer_id: Some(customer_id),
                shop_ids: Some(json),
                ..AccountColumns::default()
            }
        }
    };
    let token = account.token_sha256.as_ref().map(<[u8; 32]>::as_slice);
    let callback_url = account.callback.as_ref().map(|c| c.url.as_str());
    let callback_secret = account.callback.as_ref().and_then(|c| c.secret.as_deref());
    tx.execute(
        "INSERT INTO accounts (id, kind, token_sha256, shop_id, customer_type, customer_id, \
         merchant_id, app_key, secret, erp_customer_id, shop_ids, callback_url, callback_secret) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, \
         token_sha256 = EXCLUDED.token_sha256, shop_id = EXCLUDED.shop_id, \
         customer_type = EXCLUDED.customer_type, customer_id = EXCLUDED.customer_id, \
         merchant_id = EXCLUDED.merchant_id, app_key = EXCLUDED.app_key, \
         secret = EXCLUDED.secret, erp_customer_id = EXCLUDED.erp_customer_id, \
         shop_ids = EXCLUDED.shop_ids, callback_url = EXCLUDED.callback_url, \
         callback_secret = EXCLUDED.callback_secret",
        &[
            &account.id,
            &account.scope.kind(),
            &token,
            &columns.shop_id,
            &columns.customer_type,
            &columns.customer_id,
            &columns.merchant_id,
            &columns.app_key,
            &columns.secret,
            &columns.erp_customer_id,
            &columns.shop_ids,
            &callback_url,
            &callback_secret,
        ],
    )
    .await?;
    Ok(())
}

/// The columns of an account, in the order [`account`] reads them.
const ACCOUNT_SELECT: &str = "SELECT id, kind, token_sha256, shop_id, customer_type, customer_id, \
     merchant_id, app_key, secret, erp_customer_id, shop_ids, callback_url, callback_secret \
     FROM accounts";

/// Every stored account, by id (byte order, as SQLite sorts).
pub(crate) async fn all(tx: &PgTx<'_>) -> Result<Vec<Account>, StoreError> {
    let sql = format!("{ACCOUNT_SELECT} ORDER BY id COLLATE \"C\"");
    let rows = tx.query(&sql, &[]).await?;
    rows.iter().map(account).collect()
}

/// The account with this token hash.
pub(crate) async fn by_token(
    tx: &PgTx<'_>,
    token_sha256: &[u8; 32],
) -> Result<Option<Account>, StoreError> {
    let sql = format!("{ACCOUNT_SELECT} WHERE token_sha256 = $1");
    let row = tx.query_opt(&sql, &[&token_sha256.as_slice()]).await?;
    row.as_ref().map(account).transpose()
}

/// The ERP account with this app key.
pub(crate) async fn by_app_key(
    tx: &PgTx<'_>,
    app_key: &str,
) -> Result<Option<Account>, StoreError> {
    let sql = format!("{ACCOUNT_SELECT} WHERE app_key = $1 AND kind = 'erp'");
    let row = tx.query_opt(&sql, &[&app_key]).await?;
    row.as_ref().map(account).transpose()
}

/// A column an account of this kind must have.
fn required<'r, T: FromSql<'r>>(row: &'r Row, name: &str) -> Result<T, StoreError> {
    column::<Option<T>>(row, name)?
        .ok_or_else(|| StoreError::Corrupt(format!("account column {name} is null")))
}

fn account(row: &Row) -> Result<Account, StoreError> {
    let id: String = column(row, "id")?;
    let kind: String = column(row, "kind")?;
    let scope = match kind.as_str() {
        "channel" => AccountScope::Channel {
            shop_id: ShopId::new(required::<String>(row, "shop_id")?),
            customer: CustomerUnit::new(
                required::<String>(row, "customer_type")?,
                required::<String>(row, "customer_id")?,
            ),
        },
        "merchant" => AccountScope::Merchant {
            merchant_id: MerchantId(required(row, "merchant_id")?),
        },
        "erp" => {
            let shop_ids: Vec<String> = serde_json::from_str(&required::<String>(row, "shop_ids")?)
                .map_err(|e| StoreError::Corrupt(format!("account {id} shop ids: {e}")))?;
            AccountScope::Erp {
                app_key: required(row, "app_key")?,
                secret: required(row, "secret")?,
                customer_id: required(row, "erp_customer_id")?,
                shop_ids: shop_ids.into_iter().map(ShopId::new).collect(),
            }
        }
        other => {
            return Err(StoreError::Corrupt(format!(
                "account {id} has unknown kind {other:?}"
            )));
        }
    };
    let token_sha256 = column::<Option<Vec<u8>>>(row, "token_sha256")?
        .map(|bytes| {
            <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
                StoreError::Corrupt(format!("account {id} token hash is not 32 bytes"))
            })
        })
        .transpose()?;
    let callback = match column::<Option<String>>(row, "callback_url")? {
        Some(url) => Some(Callback {
            url,
            secret: column(row, "callback_secret")?,
        }),
        None => None,
    };
    Ok(Account {
        id,
        scope,
        token_sha256,
        callback,
    })
}
