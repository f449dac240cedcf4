//! What the client commands (`sell`, `settle`, `qimen`) share: where the server is (`--url`),
//! the account's token, the wire format, reading request documents from files, and turning a
//! [`ClientError`] into a failure that says what to do.
//!
//! Exit codes: 1 for a refusal (the server's errcode and errmsg) or a server that cannot be
//! reached, 2 for a usage error, an unreadable or unparseable FILE included.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use posbridge_client::{Client, ClientError};
use posbridge_protocol::codec::decode;
use posbridge_protocol::media::Format;
use posbridge_protocol::read::WireType;

use crate::failure::Failure;
use crate::progress::Files;

/// The server and how to talk to it.
#[derive(Debug, Args)]
pub struct Server {
    /// The server's base URL.
    #[arg(
        long,
        value_name = "URL",
        env = "POSBRIDGE_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub url: String,
    /// Print the answer as JSON (the envelope's tag, or the view), for scripts.
    #[arg(long)]
    pub json: bool,
}

/// The format requests are sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WireFormat {
    /// `application/json`.
    Json,
    /// `application/xml`, .NET DataContract XML.
    Xml,
    /// `application/bson`.
    Bson,
}

impl WireFormat {
    fn format(self) -> Format {
        match self {
            WireFormat::Json => Format::Json,
            WireFormat::Xml => Format::Xml,
            WireFormat::Bson => Format::Bson,
        }
    }
}

/// A Web API account's call: the server, the token and the format.
#[derive(Debug, Args)]
pub struct Account {
    #[command(flatten)]
    pub server: Server,
    /// The bearer token of the account (channel for `sell`, merchant for `settle`).
    #[arg(long, env = "POSBRIDGE_TOKEN", hide_env_values = true, required = true,
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    token: String,
    /// The format requests are sent and answers asked for in.
    #[arg(long, value_enum, default_value_t = WireFormat::Json)]
    format: WireFormat,
}

impl Account {
    /// A client of the server with this account's token.
    pub fn client(&self) -> Result<Client, Failure> {
        Client::builder(self.server.url.trim_end_matches('/'))
            .token(&self.token)
            .format(self.format.format())
            .build()
            .map_err(|err| self.server.failure(&err, "the request"))
    }
}

impl Server {
    /// What a failed call means and what to do about it.
    pub fn failure(&self, err: &ClientError, what: &str) -> Failure {
        let url = &self.url;
        match err {
            ClientError::Refused { errcode, errmsg }
            | ClientError::Transport {
                errcode, errmsg, ..
            } => Failure::new(format!("errcode {errcode}: {errmsg}")).hint(hint(*errcode, what)),
            ClientError::QimenRefused { code, message, .. } => {
                Failure::new(format!("errcode {code}: {message}")).hint(format!(
                    "the clerk rules refused {what}; fix it and send it again"
                ))
            }
            ClientError::Gateway {
                code, msg, sub_msg, ..
            } => {
                let detail = sub_msg
                    .as_deref()
                    .map_or(String::new(), |m| format!(" ({m})"));
                Failure::new(format!("qimen gateway error {code}: {msg}{detail}")).hint(
                    "check --app-key, --secret and --customer-id against the erp account, and \
                     the document",
                )
            }
            ClientError::Network { .. } => {
                Failure::new(format!("cannot reach {url}: {err}")).hint(format!(
                    "is `posbridge serve` running at {url}? give its address with --url or \
                     POSBRIDGE_URL"
                ))
            }
            ClientError::Undecodable { .. } => Failure::new(format!("{url}: {err}"))
                .hint("is --url the address of a posbridge server?"),
            ClientError::Encode(_) => Failure::usage(format!("{what}: {err}"))
                .hint("choose another --format for this document"),
            ClientError::Config(_) => Failure::usage(err.to_string())
                .hint("give --url as http://HOST:PORT, and a token of visible ASCII characters"),
        }
    }
}

/// What to do about a refusal with `errcode`.
fn hint(errcode: i32, what: &str) -> String {
    match errcode {
        5001 => "the token is not valid: check --token or POSBRIDGE_TOKEN".to_owned(),
        5002 => "this account may not make this call: sell takes a channel account's token, \
                 settle a merchant account's"
            .to_owned(),
        1001 | 1006 => format!("the server could not read {what}; try another --format"),
        3001 | 4006 => "no such bill for this account: check the number and the token".to_owned(),
        9001 | 9002 => "the server could not answer now; sending the same again is safe".to_owned(),
        _ => format!(
            "the server refused {what} (docs/wire-codes.md explains the errcode); fix it and send it again"
        ),
    }
}

/// A request document read from a file, before it is sent.
pub struct Document<T> {
    /// The file, as given.
    pub path: PathBuf,
    /// The request.
    pub request: T,
}

/// The format a file is written in: its extension (`.json`, `.xml`, `.bson`), else its first
/// bytes (`{` JSON, `<` XML, else BSON).
pub fn file_format(path: &Path, bytes: &[u8]) -> Format {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => Format::Json,
        Some("xml") => Format::Xml,
        Some("bson") => Format::Bson,
        _ => sniff(bytes),
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Xml => "XML",
        Format::Bson => "BSON",
    }
}

fn sniff(bytes: &[u8]) -> Format {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Format::Json,
        Some(b'<') => Format::Xml,
        _ => Format::Bson,
    }
}

/// Reads and decodes every file before anything is sent (exit code 2 naming the first bad
/// file), so a batch with a typo sends nothing.
pub fn read_all<T: WireType>(files: &[PathBuf], kind: &str) -> Result<Vec<Document<T>>, Failure> {
    files
        .iter()
        .map(|path| {
            let bytes = read_bytes(path)?;
            let format = file_format(path, &bytes);
            let request = decode::<T>(format, &bytes).map_err(|err| {
                Failure::usage(format!(
                    "{} is not a {kind} in {}: {err}",
                    path.display(),
                    format_name(format)
                ))
                .hint("fix the file (its extension or first byte says its format) and run again")
            })?;
            Ok(Document {
                path: path.clone(),
                request,
            })
        })
        .collect()
}

/// A file's bytes, or a usage error saying why not.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|err| {
        Failure::usage(format!("cannot read {}: {err}", path.display()))
            .hint("give the path of a request document (.json, .xml or .bson)")
    })
}

/// Sends each document with `send` (which answers the text to print), in order, with progress;
/// a refused one is reported and the rest still go. Exit code 1 when any was refused.
pub async fn send_all<T, F, Fut>(documents: Vec<Document<T>>, mut send: F) -> Result<(), Failure>
where
    F: FnMut(T) -> Fut,
    Fut: std::future::Future<Output = Result<String, Failure>>,
{
    let count = documents.len();
    let progress = Files::new(count);
    let mut failures = Vec::new();
    for document in documents {
        let shown = document.path.display().to_string();
        progress.sending(&shown);
        let outcome = send(document.request).await;
        progress.done(|| match &outcome {
            Ok(answer) => println!("{answer}"),
            Err(failure) if count > 1 => failure.print_for(&shown),
            Err(_) => {}
        });
        if let Err(failure) = outcome {
            failures.push(failure);
        }
    }
    progress.finish();
    match (count, failures.len()) {
        (_, 0) => Ok(()),
        (1, _) => Err(failures.remove(0)),
        (sent, refused) => {
            let usage = failures.iter().any(|failure| failure.exit_code() == 2);
            let failure = Failure::new(format!("{refused} of {sent} files failed"))
                .hint("each is named above; the others were sent");
            Err(if usage { failure.into_usage() } else { failure })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, bytes: &[u8], expect: Format) {
        assert_eq!(
            file_format(Path::new(name), bytes),
            expect,
            "{name} {bytes:?}"
        );
    }

    #[test]
    fn the_extension_names_the_format_else_the_first_byte_does() {
        check("bill.json", b"<not json>", Format::Json);
        check("bill.XML", b"{}", Format::Xml);
        check("bill.bson", b"{}", Format::Bson);
        check("bill", b"  {\"SenderBillNum\": 1}", Format::Json);
        check(
            "bill.txt",
            b"\xEF\xBB\xBF<PosSellFromWebInterfaceParm/>",
            Format::Xml,
        );
        check("bill.dat", b"\x05\x00\x00\x00\x00", Format::Bson);
        check("empty", b"", Format::Bson);
    }
}
