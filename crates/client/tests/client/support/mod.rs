//! A scripted HTTP/1.1 server on a loopback port: each request is answered (or its connection
//! dropped) as the test's script says, and every request is recorded, so tests count attempts
//! and inspect what the client sent. Real TCP, no mocking of HTTP libraries.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use posbridge_protocol::codec::write_document;
use posbridge_protocol::media::Format;
use posbridge_protocol::node::Node;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the server does with one request.
pub enum Reply {
    /// Closes the connection without answering.
    Drop,
    /// Answers with this status, `Content-Type` and body.
    Answer {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
}

impl Reply {
    /// An answer with a document written in `format`.
    pub fn document(status: u16, format: Format, node: &Node) -> Reply {
        let content_type = match format {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "application/xml; charset=utf-8",
            Format::Bson => "application/bson",
        };
        Reply::Answer {
            status,
            content_type: content_type.to_owned(),
            body: write_document(format, node).unwrap(),
        }
    }
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

type Script = dyn Fn(usize, &Received) -> Reply + Send + Sync;

/// A running scripted server.
pub struct Scripted {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Scripted {
    /// Starts a server answering request number `n` (from 1) with `script(n, request)`.
    pub async fn start(script: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let script = script.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    // Keep-alive: answer requests on this connection until it closes.
                    while let Some(request) = read_request(&mut stream).await {
                        let n = {
                            let mut log = log.lock().unwrap();
                            log.push(request.clone());
                            log.len()
                        };
                        match script(n, &request) {
                            Reply::Drop => return,
                            Reply::Answer {
                                status,
                                content_type,
                                body,
                            } => {
                                let head = format!(
                                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\n\
                                     content-length: {}\r\n\r\n",
                                    body.len()
                                );
                                let stream = stream.get_mut();
                                if stream.write_all(head.as_bytes()).await.is_err()
                                    || stream.write_all(&body).await.is_err()
                                {
                                    return;
                                }
                            }
                        }
                    }
                });
            }
        });
        Scripted { addr, received }
    }

    /// The base URL of the server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many requests came.
    pub fn hits(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

async fn read_request(stream: &mut BufReader<tokio::net::TcpStream>) -> Option<Received> {
    let mut line = String::new();
    if stream.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}
