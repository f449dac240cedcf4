//! Reading `cargo metadata`: the workspace members and the resolved dependency graph.

use std::path::Path;

use serde_json::Value;

use crate::command::Cmd;

/// Runs `cargo metadata` with the dependency graph resolved for all features, so optional
/// dependencies behind a feature (such as the domain's `testing`) are in it, and for the host
/// platform only: a dependency another platform alone needs (wasm's `js-sys`) is not built here.
pub fn load(root: &Path) -> Result<Value, String> {
    let host = host_triple(root)?;
    let stdout = Cmd::cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--all-features",
        "--filter-platform",
        &host,
    ])
    .read_stdout(root)?;
    serde_json::from_slice(&stdout).map_err(|err| format!("cargo metadata printed bad JSON: {err}"))
}

/// The host's target triple, from `rustc -vV`.
fn host_triple(root: &Path) -> Result<String, String> {
    let stdout = Cmd::program("rustc", &["-vV"]).read_stdout(root)?;
    String::from_utf8_lossy(&stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV printed no host triple".to_owned())
}

/// A workspace member: its package name and its directory relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub dir: String,
}

/// The workspace members, in `cargo metadata` order.
pub fn members(metadata: &Value) -> Result<Vec<Member>, String> {
    let root = str_field(metadata, "workspace_root")?;
    let ids = array_field(metadata, "workspace_members")?;
    let mut members = Vec::new();
    for id in ids {
        let id = id
            .as_str()
            .ok_or("cargo metadata: a workspace member id is not a string")?;
        let package = package(metadata, id)?;
        let manifest = str_field(package, "manifest_path")?;
        members.push(Member {
            name: str_field(package, "name")?.to_owned(),
            dir: relative_dir(root, manifest),
        });
    }
    Ok(members)
}

/// The package with the given id.
pub fn package<'a>(metadata: &'a Value, id: &str) -> Result<&'a Value, String> {
    array_field(metadata, "packages")?
        .iter()
        .find(|package| package.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| format!("cargo metadata: no package with id {id}"))
}

/// A string field of a JSON object, or an error naming it.
pub fn str_field<'a>(value: &'a Value, field: &str) -> Result<&'a str, String> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("cargo metadata: missing string field `{field}`"))
}

/// An array field of a JSON object, or an error naming it.
pub fn array_field<'a>(value: &'a Value, field: &str) -> Result<&'a [Value], String> {
    value
        .get(field)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| format!("cargo metadata: missing array field `{field}`"))
}

/// The directory of `manifest` relative to `root`, `/`-separated; `.` for the root itself.
fn relative_dir(root: &str, manifest: &str) -> String {
    let dir = Path::new(manifest).parent().unwrap_or(Path::new(""));
    let relative = dir.strip_prefix(root).unwrap_or(dir);
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_with_relative_dirs() {
        let metadata = serde_json::json!({
            "workspace_root": "/w",
            "workspace_members": ["a", "b", "c"],
            "packages": [
                {"id": "a", "name": "posbridge-domain", "manifest_path": "/w/crates/domain/Cargo.toml"},
                {"id": "b", "name": "xtask", "manifest_path": "/w/xtask/Cargo.toml"},
                {"id": "c", "name": "root", "manifest_path": "/w/Cargo.toml"},
                {"id": "d", "name": "serde", "manifest_path": "/r/serde/Cargo.toml"}
            ]
        });
        let members = members(&metadata).unwrap();
        let dirs: Vec<(&str, &str)> = members
            .iter()
            .map(|member| (member.name.as_str(), member.dir.as_str()))
            .collect();
        assert_eq!(
            dirs,
            [
                ("posbridge-domain", "crates/domain"),
                ("xtask", "xtask"),
                ("root", ".")
            ]
        );
    }
}
