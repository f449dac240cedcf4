//! The real transport: `serve` on a loopback listener, `Expect: 100-continue` as .NET's
//! `HttpWebRequest` sends it, and graceful shutdown.

use std::sync::Arc;

use posbridge_protocol::dto::{PosSellFromWebInterfaceParm, PosSellFromWebInterfaceResult};
use posbridge_protocol::envelope::Envelope;
use posbridge_protocol::media::Format;
use posbridge_server::{ServerConfig, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::*;

/// Reads one HTTP/1.1 response head, and its body when `with_body` (by `Content-Length`).
async fn read_response(stream: &mut TcpStream, with_body: bool) -> (String, Vec<u8>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.expect("reading the head");
        assert_eq!(
            n,
            1,
            "connection closed in the head: {}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).expect("an ASCII head");
    if !with_body {
        return (head, Vec::new());
    }
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .expect("a Content-Length");
    let mut body = vec![0; length];
    stream
        .read_exact(&mut body)
        .await
        .expect("reading the body");
    (head, body)
}

#[tokio::test]
async fn expect_continue_then_graceful_shutdown() {
    let app = spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding");
    let address = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let store = Arc::clone(&app.store);
    let server = tokio::spawn(serve(
        listener,
        store,
        ServerConfig::default(),
        async move {
            let _ = stopped.await;
        },
    ));

    let body = body_as::<PosSellFromWebInterfaceParm>(XML, &scarves("P-100", "1", "99.00"));
    let mut stream = TcpStream::connect(address).await.expect("connecting");
    let head = format!(
        "POST /api/Pos/Sell/Bill/AddOrUpdate HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: text/xml; charset=utf-8\r\nAuthorization: Bearer {CH_S001}\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("writing the head");
    let (interim, _) = read_response(&mut stream, false).await;
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    stream.write_all(&body).await.expect("writing the body");
    let (head, body) = read_response(&mut stream, true).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let node = posbridge_protocol::codec::read_document(Format::Xml, &body).expect("XML");
    let envelope = Envelope::<PosSellFromWebInterfaceResult>::from_root(&node).expect("envelope");
    assert_eq!(envelope.errcode, 0, "{envelope:?}");
    drop(stream);

    stop.send(()).expect("the server is running");
    server
        .await
        .expect("the server task")
        .expect("serve returns cleanly");
    assert_eq!(c001_bills(&app).await, 1);
}
