//! A `posbridge serve` child process: started on a free loopback port that it reports in its
//! JSON log, stopped with SIGTERM by the test or killed when the test fails.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The demo master data: tokens `demo-channel-s001`, `demo-channel-s002`, `demo-merchant-2`.
pub const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/master-data.json");

#[path = "../support/listening.rs"]
mod listening;

use listening::{PATIENCE, spawn_listening};

/// The binary with a clean environment: no configuration leaks in from the caller's shell.
pub fn posbridge() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posbridge"));
    for (var, _) in std::env::vars() {
        if var.starts_with("POSBRIDGE_") {
            command.env_remove(var);
        }
    }
    command
}

/// Runs a local command (`import`, `migrate`) to success.
pub fn run_ok(args: &[&str]) {
    let output = posbridge().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "posbridge {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running server.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `posbridge serve --listen 127.0.0.1:0 --database URL` and waits until it listens.
    pub fn start(database: &str) -> Server {
        Server::start_with(database, &[])
    }

    /// Starts as [`Server::start`] does, with `env` set too (an admin token, short callback
    /// delays).
    pub fn start_with(database: &str, env: &[(&str, &str)]) -> Server {
        let mut command = posbridge();
        command
            .args(["serve", "--database", database])
            .envs(env.iter().copied())
            .stdout(Stdio::null());
        let (child, addr) = spawn_listening(command);
        Server { child, addr }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for it: no shutdown at all.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        let _ = self.child.wait();
    }

    /// Waits for the process to exit.
    pub fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch directory removed at the end of the test.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new empty directory named after the test.
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("posbridge-e2e-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// The path of `name` in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A `sqlite://` URL of a database in the directory.
    pub fn sqlite_url(&self) -> String {
        format!("sqlite://{}", self.0.join("posbridge.db").display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
