//! `cargo xtask codegen`: writes the files generated from `crates/protocol/schema/dto.toml` — the
//! Rust DTO module, its proptest strategies, `docs/api.md` and `docs/openapi.json`.
//! `cargo xtask ci` runs it in check mode, which fails when a committed file differs from what
//! the schema gives.

mod markdown;
mod openapi;
mod rust;
mod schema;
mod strategies;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use schema::Schema;

/// The schema, relative to the workspace root.
const SCHEMA: &str = "crates/protocol/schema/dto.toml";
/// The generated Rust module.
const DTO_MODULE: &str = "crates/protocol/src/generated/dto.rs";
/// The generated proptest strategies.
const STRATEGIES_MODULE: &str = "crates/protocol/src/generated/strategies.rs";
/// The generated wire reference.
const API_DOC: &str = "docs/api.md";
/// The generated OpenAPI document, served by the server at `GET /openapi.json`.
const OPENAPI: &str = "docs/openapi.json";

/// Whether to write the generated files or only check that they are fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every file that differs.
    Write,
    /// Fail when a file differs.
    Check,
}

/// Generates every file and writes or checks it.
pub fn run(root: &Path, mode: Mode) -> Result<(), String> {
    let text = std::fs::read_to_string(root.join(SCHEMA))
        .map_err(|err| format!("cannot read {SCHEMA}: {err}"))?;
    let schema = Schema::parse(&text)?;
    let files = [
        (DTO_MODULE, rustfmt(root, &rust::render(&schema))?),
        (
            STRATEGIES_MODULE,
            rustfmt(root, &strategies::render(&schema))?,
        ),
        (API_DOC, markdown::render(&schema)),
        (OPENAPI, openapi::render(&schema)),
    ];
    let mut stale = Vec::new();
    for (path, contents) in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == *contents {
            continue;
        }
        match mode {
            Mode::Write => {
                if let Some(dir) = full.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
                }
                std::fs::write(&full, contents)
                    .map_err(|err| format!("cannot write {path}: {err}"))?;
                println!("codegen: wrote {path}");
            }
            Mode::Check => stale.push(*path),
        }
    }
    if mode == Mode::Write {
        bless_wire_codes(root)?;
    }
    if stale.is_empty() {
        if mode == Mode::Check {
            println!("codegen: {} generated file(s) are fresh", files.len());
        }
        Ok(())
    } else {
        Err(format!(
            "generated files are stale: {}; run `cargo xtask codegen` and commit the result",
            stale.join(", ")
        ))
    }
}

/// `docs/wire-codes.md` is rendered by the protocol crate from its code table (xtask does not
/// depend on that crate, so that a broken generated module can always be regenerated); its
/// freshness test rewrites the file when asked to.
fn bless_wire_codes(root: &Path) -> Result<(), String> {
    let status = Command::new("cargo")
        .args([
            "test",
            "--quiet",
            "-p",
            "posbridge-protocol",
            "--lib",
            "codes::doc",
        ])
        .env("POSBRIDGE_BLESS", "1")
        .current_dir(root)
        .status()
        .map_err(|err| format!("cannot run cargo test: {err}"))?;
    if status.success() {
        println!("codegen: refreshed docs/wire-codes.md");
        Ok(())
    } else {
        Err("rendering docs/wire-codes.md failed".to_owned())
    }
}

/// Formats Rust source with the workspace's rustfmt settings, so generated code passes
/// `cargo fmt --check` as it is.
fn rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run rustfmt: {err}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt has no stdin")?
        .write_all(source.as_bytes())
        .map_err(|err| format!("cannot feed rustfmt: {err}"))?;
    let output = child
        .wait_with_output()
        .map_err(|err| format!("rustfmt failed: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|err| format!("rustfmt wrote non-UTF-8: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed files match the schema (plain `cargo test` enforces freshness too).
    #[test]
    fn generated_files_are_fresh() {
        run(&crate::project::root(), Mode::Check).unwrap();
    }
}
