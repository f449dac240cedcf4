//! What the CLI's tests share: the `posbridge` binary with a clean environment, scratch
//! directories, exit-code checks, and a `posbridge serve` child on a free loopback port that it
//! reports in its JSON log (`tests/support/listening.rs`, shared with the end-to-end tests),
//! with plain HTTP/1.1 calls to it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The demo master data: tokens `demo-channel-s001`, `demo-channel-s002`, `demo-merchant-2`.
pub const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/master-data.json");
/// The demo's channel account of shop S001 (customer unit TA/C001).
pub const CHANNEL: &str = "demo-channel-s001";
/// The demo's merchant account of merchant 2.
pub const MERCHANT: &str = "demo-merchant-2";

#[path = "../../../../../tests/support/listening.rs"]
mod listening;

use listening::{PATIENCE, spawn_listening};

/// A directory removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory named after the test binary (`binary`) and the test (`name`).
    pub fn new(binary: &str, name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("posbridge-{binary}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// The `sqlite://` URL of `posbridge.db` in the directory.
    pub fn database(&self) -> String {
        self.database_named("posbridge.db")
    }

    /// The `sqlite://` URL of the database file `name` in the directory.
    pub fn database_named(&self, name: &str) -> String {
        format!("sqlite://{}", self.0.join(name).display())
    }

    /// Writes `contents` to the file `name` in the directory.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with a clean environment: no configuration leaks in from the caller's shell.
pub fn posbridge() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posbridge"));
    for (var, _) in std::env::vars() {
        if var.starts_with("POSBRIDGE_") {
            command.env_remove(var);
        }
    }
    command.env("POSBRIDGE_LOG", "warn");
    command
}

/// Runs the binary with `args` to its end.
pub fn run(args: &[&str]) -> Output {
    posbridge().args(args).output().unwrap()
}

/// Bytes as text, for messages and `contains` checks.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
pub fn check_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// A running `posbridge serve` child, killed when the test ends.
pub struct Server {
    /// The process; its stdout is the caller's to take when it asked for a pipe.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// `posbridge serve --demo --listen 127.0.0.1:0 --database DATABASE ARGS…` with `env`,
    /// once it listens.
    pub fn demo(database: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = posbridge();
        command
            .args(["serve", "--demo", "--database", database])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null());
        Server::spawn(command)
    }

    /// Starts `command` (a `serve` without `--listen`) on a free loopback port and waits until
    /// it logs the address it listens on.
    pub fn spawn(command: Command) -> Server {
        let (child, addr) = spawn_listening(command);
        Server { child, addr }
    }

    /// `http://ADDR`, for `--url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success(), "kill -TERM failed");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One HTTP/1.1 exchange on a fresh connection: the status and the body.
    pub fn exchange(&self, head: &str, body: &[u8]) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let status = answer
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, body)| body.to_owned());
        Ok((status, body))
    }

    /// A GET asking for JSON, with a bearer token when given.
    pub fn try_get(&self, path: &str, token: Option<&str>) -> std::io::Result<(u16, String)> {
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{auth}Accept: application/json\r\n\
             Connection: close\r\n\r\n",
            self.addr
        );
        self.exchange(&head, b"")
    }

    /// A GET with a bearer token.
    pub fn get(&self, path: &str, token: &str) -> (u16, String) {
        self.try_get(path, Some(token)).unwrap()
    }

    /// A POST of `body` as `media`, asking for JSON.
    pub fn post(&self, path: &str, token: Option<&str>, media: &str, body: &str) -> (u16, String) {
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Type: {media}\r\n\
             Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        self.exchange(&head, body.as_bytes()).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `errcode` of a JSON envelope.
pub fn errcode(answer: &str) -> i64 {
    let envelope: serde_json::Value = serde_json::from_str(answer)
        .unwrap_or_else(|err| panic!("not a JSON envelope ({err}): {answer}"));
    envelope["errcode"]
        .as_i64()
        .unwrap_or_else(|| panic!("no errcode: {answer}"))
}
