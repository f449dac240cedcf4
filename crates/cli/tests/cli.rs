//! The real `posbridge` binary against temporary SQLite databases: `migrate`, `import`, `export`,
//! exit codes, and `serve --demo` answering the bill its own `curl` line describes, then stopping
//! cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/master-data.json");

/// A directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("posbridge-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn database(&self) -> String {
        format!("sqlite://{}", self.0.join("posbridge.db").display())
    }

    fn file(&self, name: &str, contents: &str) -> PathBuf {
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
fn posbridge() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posbridge"));
    for (var, _) in std::env::vars() {
        if var.starts_with("POSBRIDGE_") {
            command.env_remove(var);
        }
    }
    command.env("POSBRIDGE_LOG", "warn");
    command
}

fn run(args: &[&str]) -> Output {
    posbridge().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

#[test]
fn migrate_import_and_export_the_demo_document() {
    let dir = TempDir::new("import");
    let db = dir.database();
    let migrated = run(&["migrate", "--database", &db]);
    check_exit(&migrated, 0);
    assert!(text(&migrated.stdout).contains("schema is current"));

    let imported = run(&["import", DEMO, "--database", &db]);
    check_exit(&imported, 0);
    let summary = text(&imported.stdout);
    assert!(summary.contains("merchants 1"), "{summary}");
    assert!(summary.contains("accounts 4"), "{summary}");

    let exported = run(&["export", "--database", &db]);
    check_exit(&exported, 0);
    let json = text(&exported.stdout);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["merchants"][0]["name"], "West Lake Silk", "{json}");
    assert!(
        !json.contains("demo-channel-s001"),
        "an export holds no tokens: {json}"
    );
    assert!(json.contains("tokenSha256"), "{json}");

    // An export imports again as it is (a backup restores), and changes nothing.
    let backup = dir.file("export.json", &json);
    let restored = run(&["import", backup.to_str().unwrap(), "--database", &db]);
    check_exit(&restored, 0);
    assert!(text(&restored.stdout).contains("0 price quotes changed"));
    check_exit(&run(&["export", "--database", &db]), 0);
    assert_eq!(text(&run(&["export", "--database", &db]).stdout), json);
}

#[test]
fn a_refused_document_exits_1_and_imports_nothing() {
    let dir = TempDir::new("refused");
    let db = dir.database();
    let typo = dir.file(
        "typo.json",
        r#"{"merchants": [{"id": 2, "name": "West Lake Silk", "nmae": "x"}]}"#,
    );
    let refused = run(&["import", typo.to_str().unwrap(), "--database", &db]);
    check_exit(&refused, 1);
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("merchants[0].nmae: unknown field (expected one of: id, name)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    // References are checked by the store, all or nothing.
    let dangling = dir.file(
        "dangling.json",
        r#"{"merchants": [{"id": 2, "name": "m"}],
            "shops": [{"id": "S1", "merchantId": 3, "name": "s"}]}"#,
    );
    let refused = run(&["import", dangling.to_str().unwrap(), "--database", &db]);
    check_exit(&refused, 1);
    assert!(text(&refused.stderr).contains("shop S1 refers to unknown merchant 3"));
    let exported = run(&["export", "--database", &db]);
    check_exit(&exported, 0);
    assert!(text(&exported.stdout).contains(r#""merchants": []"#));

    let missing = run(&["import", "/nonexistent/master.json", "--database", &db]);
    check_exit(&missing, 1);
    assert!(text(&missing.stderr).contains("cannot read /nonexistent/master.json"));
}

#[test]
fn usage_errors_exit_2_and_store_errors_say_what_to_do() {
    check_exit(&run(&["frobnicate"]), 2);
    check_exit(&run(&["import"]), 2);
    check_exit(&run(&["serve", "--listen", "not-an-address"]), 2);
    check_exit(&run(&["--help"]), 0);

    let unsupported = run(&["migrate", "--database", "mysql://localhost/x"]);
    check_exit(&unsupported, 1);
    let stderr = text(&unsupported.stderr);
    assert!(
        stderr.contains("hint: use sqlite://PATH or postgres://"),
        "{stderr}"
    );

    // The database URL may come from the environment instead.
    let dir = TempDir::new("env");
    let from_env = posbridge()
        .arg("migrate")
        .env("POSBRIDGE_DATABASE_URL", dir.database())
        .output()
        .unwrap();
    check_exit(&from_env, 0);
    assert!(dir.0.join("posbridge.db").exists());
}

/// The server child, killed if the test fails before it stops.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 exchange on a fresh connection; the whole raw answer.
fn http(addr: SocketAddr, request: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// Reads the child's stdout until the `curl` line, which is printed once it listens.
fn curl_line(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.starts_with("curl ") => return line,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("no curl line printed; stdout so far: {seen:#?}");
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

#[test]
fn serve_demo_answers_its_curl_line_and_stops_on_sigterm() {
    let dir = TempDir::new("serve");
    let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let child = posbridge()
        .args(["serve", "--demo", "--listen", &addr.to_string()])
        .args(["--database", &dir.database()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let curl = curl_line(&mut server.0);
    assert!(
        curl.contains(&format!("http://{addr}/api/Pos/Sell/Bill/AddOrUpdate")),
        "{curl}"
    );
    let token = between(&curl, "Authorization: Bearer ", "'");
    // The demo body has no single quote, so it is the text between the quotes as it is.
    let body = between(&curl, "-d '", "'");
    serde_json::from_str::<serde_json::Value>(body).unwrap();

    let healthz = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match http(addr, &healthz) {
            Ok(answer) if answer.starts_with("HTTP/1.1 200") => break,
            other if Instant::now() > deadline => panic!("healthz never answered 200: {other:?}"),
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }

    let request = format!(
        "POST /api/Pos/Sell/Bill/AddOrUpdate HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = http(addr, &request).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""errcode":0"#), "{answer}");
    assert!(answer.contains(r#""BillState":"Initial""#), "{answer}");

    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(Path::new(&dir.0.join("posbridge.db")).exists());
}
