//! A minimal HTTP/1.1 client over hyper: one request per connection, JSON envelopes back.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// An answer: HTTP status and the JSON envelope `{errcode, errmsg, tag}`.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// The envelope's `errcode`.
    pub fn errcode(&self) -> i64 {
        self.body["errcode"]
            .as_i64()
            .unwrap_or_else(|| panic!("no errcode in {:?}", self.body))
    }

    /// A text member of the tag, e.g. `BillNum`.
    pub fn tag(&self, member: &str) -> String {
        self.body["tag"][member]
            .as_str()
            .unwrap_or_else(|| panic!("no tag.{member} in {:?}", self.body))
            .to_owned()
    }

    /// Asserts HTTP 200 and `errcode`, answering the answer for more checks.
    pub fn expect(self, errcode: i64) -> Answer {
        assert_eq!(
            (self.status, self.errcode()),
            (200, errcode),
            "{:?}",
            self.body
        );
        self
    }
}

/// Why a request got no answer: the connection failed or closed before one arrived.
#[derive(Debug)]
pub struct NoAnswer(pub String);

/// Sends one JSON request on a fresh connection.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Result<Answer, NoAnswer> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| NoAnswer(format!("connect: {e}")))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| NoAnswer(format!("handshake: {e}")))?;
    tokio::spawn(connection);
    let request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .map_err(|e| NoAnswer(format!("request: {e}")))?;
    let answer = sender
        .send_request(request)
        .await
        .map_err(|e| NoAnswer(format!("send: {e}")))?;
    let status = answer.status().as_u16();
    let bytes = answer
        .into_body()
        .collect()
        .await
        .map_err(|e| NoAnswer(format!("body: {e}")))?
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "a non-JSON answer ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    Ok(Answer { status, body })
}

/// POSTs `body`; a connection failure fails the test.
pub async fn post(addr: SocketAddr, path: &str, token: &str, body: &str) -> Answer {
    send(addr, "POST", path, token, Some(body))
        .await
        .unwrap_or_else(|NoAnswer(why)| panic!("POST {path}: no answer: {why}"))
}

/// GETs `path`; a connection failure fails the test.
pub async fn get(addr: SocketAddr, path: &str, token: &str) -> Answer {
    send(addr, "GET", path, token, None)
        .await
        .unwrap_or_else(|NoAnswer(why)| panic!("GET {path}: no answer: {why}"))
}
