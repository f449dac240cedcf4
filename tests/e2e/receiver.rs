//! A callback receiver in the test process: a raw HTTP/1.1 server on a loopback port (keep-alive,
//! `Content-Length` bodies, as the delivery worker sends them) that records every request and
//! answers 503 while refusing, 200 otherwise; it can also stall its first requests, never
//! answering them, as a receiver that hangs would.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// Lower-case header names and their values.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// Whether it was answered 200 (a stalled request never is).
    pub accepted: bool,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
struct State {
    refusing: bool,
    /// Requests still to stall.
    stall: usize,
    requests: Vec<Request>,
}

/// The receiver; it stops with the test's runtime.
pub struct Receiver {
    /// The `callbackUrl` to give accounts.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    /// Listens on a free loopback port, refusing every request while `refusing`.
    pub async fn start(refusing: bool) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            refusing,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Receiver { url, state }
    }

    /// Starts or stops refusing.
    pub fn set_refusing(&self, refusing: bool) {
        self.state.lock().unwrap().refusing = refusing;
    }

    /// Stalls the next `n` requests: they get no answer until the sender gives up.
    pub fn stall(&self, n: usize) {
        self.state.lock().unwrap().stall = n;
    }

    /// Every request so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// How many requests arrived so far.
    pub fn count(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }
}

/// Answers the requests of one connection until it closes.
async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let mut line = String::new();
        // The request line; end of stream or a failure ends the connection.
        match stream.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut headers = BTreeMap::new();
        loop {
            let mut line = String::new();
            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length: usize = headers
            .get("content-length")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let (stalled, accepted) = {
            let mut state = state.lock().unwrap();
            let stalled = state.stall > 0;
            state.stall = state.stall.saturating_sub(1);
            let accepted = !state.refusing && !stalled;
            state.requests.push(Request {
                headers,
                body,
                accepted,
            });
            (stalled, accepted)
        };
        if stalled {
            // Hold the connection without answering until the sender closes it.
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest).await;
            return;
        }
        let answer = if accepted {
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
        } else {
            "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"
        };
        if stream.get_mut().write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}
