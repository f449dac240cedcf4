//! Synchronises clerks through the Qimen endpoint of `posbridge serve --demo`, signed with each
//! sign method, then shows what a wrong secret gets.
//!
//! ```text
//! cargo run --release -- serve --demo            # in another terminal
//! cargo run -p posbridge-client --example qimen_clerks [xml|json]
//! ```
//!
//! `POSBRIDGE_URL` (default `http://127.0.0.1:8080`); `QIMEN_APP_KEY`, `QIMEN_SECRET` and
//! `QIMEN_CUSTOMER_ID` (defaults: the demo's ERP account).

use std::process::ExitCode;

use posbridge_client::qimen::QimenClient;
use posbridge_client::{ClientError, RetryPolicy};
use posbridge_protocol::dto::{QimenClerk, QimenContactInfo, QimenRequest};
use posbridge_protocol::qimen::QimenFormat;
use posbridge_protocol::qimen::sign::SignMethod;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(if error.is_business() { 1 } else { 2 })
        }
    }
}

async fn run() -> Result<(), ClientError> {
    let url = env_or("POSBRIDGE_URL", "http://127.0.0.1:8080");
    let format = match std::env::args().nth(1).as_deref() {
        Some("json") => QimenFormat::Json,
        _ => QimenFormat::Xml,
    };
    let builder = |secret: String| {
        QimenClient::builder(&url)
            .app_key(env_or("QIMEN_APP_KEY", "demo-app-key"))
            .secret(secret)
            .customer_id(env_or("QIMEN_CUSTOMER_ID", "demo-erp"))
            .format(format)
    };
    let secret = env_or("QIMEN_SECRET", "demo-erp-secret");

    for (method, code, name) in [
        (SignMethod::Md5, "EX-001", "Zhang San"),
        (SignMethod::Hmac, "EX-002", "Li Si"),
        (SignMethod::HmacSha256, "EX-003", "Wang Wu"),
    ] {
        let client = builder(secret.clone()).sign_method(method).build()?;
        let answer = client.sync_clerks(&request(code, name)).await?;
        let clerks: Vec<String> = answer
            .clerks
            .unwrap_or_default()
            .into_iter()
            .map(|clerk| {
                format!(
                    "{}/{} {}",
                    clerk.store_code.unwrap_or_default(),
                    clerk.clerk_code.unwrap_or_default(),
                    clerk.clerk_name.unwrap_or_default()
                )
            })
            .collect();
        println!(
            "{} ({}): {} code {}: {}",
            method.as_str(),
            format.as_str(),
            answer.flag.as_deref().unwrap_or("-"),
            answer.code.as_deref().unwrap_or("-"),
            clerks.join(", ")
        );
    }

    // A wrong secret: the gateway refuses the signature (TOP code 25), a business-class error.
    let forged = builder("not-the-secret".to_owned())
        .retry(RetryPolicy::none())
        .build()?;
    match forged.sync_clerks(&request("EX-001", "Zhang San")).await {
        Err(error @ ClientError::Gateway { .. }) => {
            println!("wrong secret: {error} (business: {})", error.is_business());
        }
        other => println!("wrong secret: unexpected {other:?}"),
    }
    Ok(())
}

fn request(code: &str, name: &str) -> QimenRequest {
    QimenRequest {
        action_type: Some("add".to_owned()),
        total: Some(1),
        clerks: Some(vec![QimenClerk {
            store_code: Some("S001".to_owned()),
            clerk_code: Some(code.to_owned()),
            clerk_name: Some(name.to_owned()),
            clerk_type: Some("SHY".to_owned()),
            contact_info: Some(QimenContactInfo {
                name: Some(name.to_owned()),
                mobile: Some("13800000000".to_owned()),
                ..Default::default()
            }),
            is_valid: Some("Y".to_owned()),
            ..Default::default()
        }]),
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}
