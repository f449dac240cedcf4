//! The real `posbridge` binary against temporary SQLite databases: `migrate`, `import`, `export`,
//! exit codes, and `serve --demo` answering the bill its own `curl` line describes, then stopping
//! cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{DEMO, Server, TempDir, check_exit, posbridge, run, text};

#[test]
fn migrate_import_and_export_the_demo_document() {
    let dir = TempDir::new("cli", "import");
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
    let dir = TempDir::new("cli", "refused");
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
    let dir = TempDir::new("cli", "env");
    let from_env = posbridge()
        .arg("migrate")
        .env("POSBRIDGE_DATABASE_URL", dir.database())
        .output()
        .unwrap();
    check_exit(&from_env, 0);
    assert!(dir.0.join("posbridge.db").exists());
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
    let dir = TempDir::new("cli", "serve");
    let mut command = posbridge();
    command
        .args(["serve", "--demo", "--database", &dir.database()])
        .stdout(Stdio::piped());
    let mut server = Server::spawn(command);
    let addr = server.addr;
    let curl = curl_line(&mut server.child);
    assert!(
        curl.contains(&format!("http://{addr}/api/Pos/Sell/Bill/AddOrUpdate")),
        "{curl}"
    );
    let token = between(&curl, "Authorization: Bearer ", "'");
    // The demo body has no single quote, so it is the text between the quotes as it is.
    let body = between(&curl, "-d '", "'");
    serde_json::from_str::<serde_json::Value>(body).unwrap();

    let (status, answer) = server.post(
        "/api/Pos/Sell/Bill/AddOrUpdate",
        Some(token),
        "application/json",
        body,
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(r#""errcode":0"#), "{answer}");
    assert!(answer.contains(r#""BillState":"Initial""#), "{answer}");

    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(dir.0.join("posbridge.db").exists());
}
