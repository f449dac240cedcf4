//! posbridge's client: a typed async client over reqwest for every endpoint of CONTRACT §5–§7 in
//! JSON, DataContract XML or BSON, the Qimen clerk client with each sign method, and
//! `verify_callback` for receivers of §9's callbacks.
//!
//! - [`Client`] (built by [`Client::builder`]): sell bills ([`Client::add_or_update`],
//!   [`Client::pay_bill`], [`Client::delete_or_close`], [`Client::get_bill`],
//!   [`Client::list_bills`]) and settlements ([`Client::add_settlement`],
//!   [`Client::get_settlement`]). Requests and results are the DTOs of
//!   [`posbridge_protocol::dto`], the format a [`posbridge_protocol::media::Format`]; this crate
//!   re-exports no other workspace crate's items (the layering rule of docs/ARCHITECTURE.md).
//! - [`qimen::QimenClient`]: `taobao.qimen.pos.clerk.synchronize`, signed.
//! - [`callback::verify_callback`]: a receiver's check of a signed callback.
//! - [`ClientError`]: every failure, with [`ClientError::errcode`] and [`ClientError::class`]
//!   telling business refusals from transport failures.
//! - [`RetryPolicy`]: network failures and 500/502/503/504 are retried, boundedly; every write
//!   is keyed and idempotent, so a repeat never applies twice.
//!
//! ```no_run
//! use posbridge_client::{BillKey, Client};
//! use posbridge_protocol::dto::{PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm};
//! use posbridge_protocol::media::Format;
//!
//! # async fn run() -> Result<(), posbridge_client::ClientError> {
//! let client = Client::builder("http://127.0.0.1:8080")
//!     .token("demo-channel-s001")
//!     .format(Format::Json)
//!     .build()?;
//! let bill = PosSellFromWebInterfaceParm {
//!     sender_bill_num: Some("POS-0001".into()),
//!     details: Some(vec![PosSellFromWebInterfaceDetailParm {
//!         product_id: Some(1),
//!         amount: Some(2.into()),
//!         retail_price: Some("99.00".parse().unwrap_or_default()),
//!         ..Default::default()
//!     }]),
//!     ..Default::default()
//! };
//! let created = client.add_or_update(&bill).await?;
//! let view = client.get_bill(&BillKey::SenderBillNum("POS-0001".into())).await?;
//! println!("{:?} {:?}", created.bill_num, view.total_amount);
//! # Ok(())
//! # }
//! ```

pub mod callback;
mod clock;
mod error;
pub mod qimen;
mod retry;
mod sell;
mod settle;
mod transport;
mod web;

pub use callback::{CallbackError, VerifiedCallback, verify_callback};
pub use error::{ClientError, ErrorClass};
pub use qimen::QimenClient;
pub use retry::RetryPolicy;
pub use sell::{BillKey, ListQuery};
pub use transport::DEFAULT_TIMEOUT;
pub use web::{Client, ClientBuilder};
