//! A `posbridge serve` child started on a free loopback port, found by the address it reports in
//! its JSON log. Shared by the CLI's tests (`crates/cli/tests/cli/support`) and the end-to-end
//! tests (`tests/e2e/server.rs`), which include this file with `#[path]`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to start or to stop; generous, as CI machines are slow.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// Starts `command` (a `serve` without `--listen`) on `127.0.0.1:0` with JSON logs, and waits
/// until it logs the address it listens on.
pub fn spawn_listening(mut command: Command) -> (Child, SocketAddr) {
    let mut child = command
        .args(["--listen", "127.0.0.1:0"])
        .env("POSBRIDGE_LOG_FORMAT", "json")
        .env("POSBRIDGE_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (found, listening) = mpsc::channel();
    // Reads the log to its end, so the child never blocks on a full pipe; what came before the
    // address is the explanation when the server does not start.
    std::thread::spawn(move || {
        let mut found = Some(found);
        let mut before = Vec::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            match (listen_address(&line), found.take()) {
                (Some(addr), Some(sender)) => {
                    let _ = sender.send(Ok(addr));
                }
                (None, Some(sender)) => {
                    before.push(line);
                    found = Some(sender);
                }
                (_, None) => {}
            }
        }
        if let Some(sender) = found {
            let _ = sender.send(Err(before.join("\n")));
        }
    });
    match listening.recv_timeout(PATIENCE) {
        Ok(Ok(addr)) => (child, addr),
        Ok(Err(log)) => {
            let _ = child.kill();
            panic!("the server stopped before listening:\n{log}")
        }
        Err(_) => {
            let _ = child.kill();
            panic!("the server did not report its address in time")
        }
    }
}

/// The address of the JSON log line `posbridge is listening`.
fn listen_address(line: &str) -> Option<SocketAddr> {
    let record: serde_json::Value = serde_json::from_str(line).ok()?;
    let fields = record.get("fields")?;
    if fields.get("message")?.as_str()? != "posbridge is listening" {
        return None;
    }
    fields.get("listen")?.as_str()?.parse().ok()
}
