//! SIGTERM under load: requests already in a handler are answered, the process exits 0, and
//! every bill a client saw acknowledged is in the database when the server starts again.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use crate::bodies::*;
use crate::http::{get, send};
use crate::server::{DEMO, Scratch, Server, run_ok};

/// Clients creating bills in a loop.
const LOADERS: usize = 16;
/// Acknowledged bills to wait for before SIGTERM, so it lands in the middle of the load.
const BEFORE_SIGTERM: usize = 200;
/// Requests held open inside a handler across the SIGTERM.
const HELD: usize = 4;

/// A request whose handler has started reading its body (the server sent `100 Continue`) and
/// waits for the rest of it.
struct Held {
    stream: TcpStream,
    sender: String,
    body: String,
}

impl Held {
    async fn open(addr: SocketAddr, sender: String) -> Held {
        let body = scarves(&sender, 1);
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {ADD} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {CHANNEL_S001}\r\n\
             Content-Type: application/json\r\nAccept: application/json\r\n\
             Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let interim = read_head(&mut stream).await;
        assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
        Held {
            stream,
            sender,
            body,
        }
    }

    /// Sends the body and answers the BillNum of the 200 answer.
    async fn finish(mut self) -> (String, String) {
        self.stream.write_all(self.body.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        self.stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let json = &answer[answer.find('{').unwrap()..=answer.rfind('}').unwrap()];
        let envelope: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(envelope["errcode"], 0, "{envelope}");
        let bill_num = envelope["tag"]["BillNum"].as_str().unwrap().to_owned();
        (self.sender, bill_num)
    }
}

/// Reads one response head, up to its blank line.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = stream.read_u8().await.unwrap();
        head.push(byte);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Creates bills until the server stops answering; answers the acknowledged ones.
async fn load(
    addr: SocketAddr,
    loader: usize,
    acknowledged: Arc<AtomicUsize>,
    enough: Arc<Notify>,
) -> BTreeMap<String, String> {
    let mut bills = BTreeMap::new();
    for n in 0.. {
        let sender = format!("LOAD-{loader}-{n}");
        let Ok(answer) = send(addr, "POST", ADD, CHANNEL_S001, Some(&scarves(&sender, 1))).await
        else {
            break;
        };
        match (answer.status, answer.errcode()) {
            (200, 0) => {
                bills.insert(sender, answer.tag("BillNum"));
                if acknowledged.fetch_add(1, Ordering::SeqCst) + 1 == BEFORE_SIGTERM {
                    enough.notify_one();
                }
            }
            // Refused as shutting down: a clear answer, and nothing was stored.
            (503, 9002) => {}
            other => panic!("{sender}: unexpected answer {other:?}: {:?}", answer.body),
        }
    }
    bills
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_load_answers_in_flight_requests_and_exits_0() {
    let scratch = Scratch::new("sigterm");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    let addr = server.addr;

    let mut held = Vec::new();
    for n in 0..HELD {
        held.push(Held::open(addr, format!("HELD-{n}")).await);
    }
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(Notify::new());
    let loaders: Vec<_> = (0..LOADERS)
        .map(|loader| {
            tokio::spawn(load(
                addr,
                loader,
                Arc::clone(&acknowledged),
                Arc::clone(&enough),
            ))
        })
        .collect();
    enough.notified().await;
    server.terminate();

    let mut bills = BTreeMap::new();
    for request in held {
        let (sender, bill_num) = request.finish().await;
        bills.insert(sender, bill_num);
    }
    for loader in loaders {
        bills.extend(loader.await.unwrap());
    }
    let status = server.wait();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(bills.len() >= BEFORE_SIGTERM + HELD);

    let restarted = Server::start(&url);
    for (sender, bill_num) in &bills {
        let found = get(
            restarted.addr,
            &format!("{GET}?SenderBillNum={sender}"),
            CHANNEL_S001,
        )
        .await
        .expect(0);
        assert_eq!(&found.tag("BillNum"), bill_num, "{sender}");
    }
}
