//! `posbridge qimen sync-clerks FILE --app-key … --secret … --customer-id …` (CONTRACT §7, §12):
//! an ERP's clerk synchronisation against a running server, signed as the Qimen SDKs sign,
//! through `posbridge-client`. FILE is a Qimen `request` document in XML or JSON.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use posbridge_client::QimenClient;
use posbridge_protocol::dto::QimenRequest;
use posbridge_protocol::media::Format;
use posbridge_protocol::qimen::sign::SignMethod;
use posbridge_protocol::qimen::{QimenFormat, read_request, write_response};

use crate::failure::Failure;
use crate::remote::{Document, Server, file_format, read_bytes, send_all};

/// `qimen sync-clerks`.
#[derive(Debug, Args)]
pub struct SyncClerksArgs {
    /// Qimen request documents (`<request>…</request>` or JSON), .xml or .json.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// The erp account's appKey.
    #[arg(long, env = "POSBRIDGE_QIMEN_APP_KEY",
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    app_key: String,
    /// The erp account's secret (signs the request; never sent or printed).
    #[arg(long, env = "POSBRIDGE_QIMEN_SECRET", hide_env_values = true,
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    secret: String,
    /// The erp account's customerId.
    #[arg(long, env = "POSBRIDGE_QIMEN_CUSTOMER_ID",
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    customer_id: String,
    /// How the request is signed.
    #[arg(long, value_enum, default_value_t = Sign::Md5)]
    sign_method: Sign,
    /// The format the request is sent and answered in.
    #[arg(long, value_enum, default_value_t = Body::Xml)]
    qimen_format: Body,
    #[command(flatten)]
    server: Server,
}

/// `--sign-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Sign {
    /// MD5 of secret + text + secret.
    Md5,
    /// HMAC-MD5.
    Hmac,
    /// HMAC-SHA256.
    #[value(name = "hmac-sha256")]
    HmacSha256,
}

/// `--qimen-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Body {
    /// XML.
    Xml,
    /// JSON.
    Json,
}

/// Runs `qimen sync-clerks`.
pub async fn sync_clerks(args: SyncClerksArgs) -> Result<(), Failure> {
    let documents = args
        .files
        .iter()
        .map(|path| {
            let bytes = read_bytes(path)?;
            let format = match file_format(path, &bytes) {
                Format::Json => QimenFormat::Json,
                Format::Xml => QimenFormat::Xml,
                Format::Bson => {
                    return Err(Failure::usage(format!(
                        "{} is neither XML nor JSON",
                        path.display()
                    ))
                    .hint("a Qimen request is XML (<request>…</request>) or JSON"));
                }
            };
            let request = read_request(&bytes, format).map_err(|err| {
                Failure::usage(format!(
                    "{} is not a Qimen clerk request: {err}",
                    path.display()
                ))
                .hint("fix the file and run again; nothing was sent")
            })?;
            Ok(Document {
                path: path.clone(),
                request,
            })
        })
        .collect::<Result<Vec<Document<QimenRequest>>, Failure>>()?;
    let format = match args.qimen_format {
        Body::Xml => QimenFormat::Xml,
        Body::Json => QimenFormat::Json,
    };
    let client = QimenClient::builder(args.server.url.trim_end_matches('/'))
        .app_key(&args.app_key)
        .secret(&args.secret)
        .customer_id(&args.customer_id)
        .sign_method(match args.sign_method {
            Sign::Md5 => SignMethod::Md5,
            Sign::Hmac => SignMethod::Hmac,
            Sign::HmacSha256 => SignMethod::HmacSha256,
        })
        .format(format)
        .build()
        .map_err(|err| args.server.failure(&err, "the request"))?;
    let (client, server) = (&client, &args.server);
    send_all(documents, |request| async move {
        let response = client
            .sync_clerks(&request)
            .await
            .map_err(|err| server.failure(&err, "the clerks"))?;
        if server.json {
            return Ok(
                String::from_utf8_lossy(&write_response(&response, QimenFormat::Json)).into_owned(),
            );
        }
        let clerks: Vec<String> = response
            .clerks
            .iter()
            .flatten()
            .map(|clerk| {
                format!(
                    "{}/{}",
                    clerk.store_code.as_deref().unwrap_or("-"),
                    clerk.clerk_code.as_deref().unwrap_or("-")
                )
            })
            .collect();
        Ok(format!(
            "{}: {} clerk(s) processed: {}",
            response.message.as_deref().unwrap_or("success"),
            clerks.len(),
            clerks.join(", ")
        ))
    })
    .await
}
