//! Tidy check `domain-deps`: the domain crate stays pure, so nothing it depends on (directly or
//! not) is an async runtime, a web stack, a database driver, a serialization format or a clock.
//!
//! The graph comes from `cargo metadata` with all features on, so the rule cannot rot as
//! dependencies change; see [`DepGraph`] for which edges count. Features are unified across the
//! workspace, so this sees a superset of what the domain crate builds with on its own; a finding
//! prints the path that reaches the forbidden crate.

use serde_json::Value;

use super::dep_graph::DepGraph;
use super::{Check, Finding, Outcome, Repo};
use crate::metadata::{self, array_field, str_field};

/// The package that must stay pure.
const ROOT_PACKAGE: &str = "posbridge-domain";

/// Forbidden packages by exact name, with the reason.
const FORBIDDEN: &[(&str, &str)] = &[
    ("tokio", "async runtime"),
    ("async-std", "async runtime"),
    ("smol", "async runtime"),
    ("futures", "async runtime"),
    ("async-trait", "async runtime"),
    ("mio", "async runtime"),
    ("axum", "web"),
    ("hyper", "web"),
    ("reqwest", "web"),
    ("tower", "web"),
    ("tower-http", "web"),
    ("http", "web"),
    ("http-body", "web"),
    ("h2", "web"),
    ("actix-web", "web"),
    ("warp", "web"),
    ("sqlx", "database"),
    ("rusqlite", "database"),
    ("libsqlite3-sys", "database"),
    ("postgres", "database"),
    ("tokio-postgres", "database"),
    ("postgres-types", "database"),
    ("diesel", "database"),
    ("sea-orm", "database"),
    ("mysql", "database"),
    ("serde_json", "serialization format"),
    ("serde_yaml", "serialization format"),
    ("quick-xml", "serialization format"),
    ("bson", "serialization format"),
    ("toml", "serialization format"),
    ("ciborium", "serialization format"),
    ("serde_cbor", "serialization format"),
    ("rmp-serde", "serialization format"),
    ("bincode", "serialization format"),
    ("postcard", "serialization format"),
    ("xml-rs", "serialization format"),
    ("roxmltree", "serialization format"),
    ("csv", "serialization format"),
    ("chrono", "clock"),
    ("time", "clock"),
];

/// Forbidden packages by name prefix, with the reason.
const FORBIDDEN_PREFIXES: &[(&str, &str)] = &[("futures-", "async runtime"), ("sqlx-", "database")];

pub const CHECK: Check = Check {
    name: "domain-deps",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    check_metadata(repo.metadata()?)
}

/// The forbidden packages reachable from the domain package in `metadata`.
fn check_metadata(metadata: &Value) -> Result<Outcome, String> {
    let graph = DepGraph::read(metadata)?;
    let root = root_id(metadata)?;
    let manifest = metadata::members(metadata)?
        .into_iter()
        .find(|member| member.name == ROOT_PACKAGE)
        .map_or_else(
            || "Cargo.toml".to_owned(),
            |member| format!("{}/Cargo.toml", member.dir),
        );
    let reached = graph.reach(&root);
    let mut findings = Vec::new();
    for id in reached.keys() {
        let name = graph.name(id);
        if let Some(reason) = forbidden(name) {
            let path = graph.path_to(&reached, id).join(" -> ");
            findings.push(Finding::file(
                &manifest,
                format!("{ROOT_PACKAGE} depends on `{name}` ({reason}): {path}"),
            ));
        }
    }
    Ok(Outcome {
        findings,
        summary: format!(
            "{} package(s) reachable from {ROOT_PACKAGE} through normal dependencies",
            reached.len().saturating_sub(1)
        ),
    })
}

/// Why `name` is forbidden, if it is.
fn forbidden(name: &str) -> Option<&'static str> {
    FORBIDDEN
        .iter()
        .find(|(forbidden, _)| *forbidden == name)
        .or_else(|| {
            FORBIDDEN_PREFIXES
                .iter()
                .find(|(prefix, _)| name.starts_with(prefix))
        })
        .map(|(_, reason)| *reason)
}

/// The id of the domain package among the workspace members.
fn root_id(metadata: &Value) -> Result<String, String> {
    for id in array_field(metadata, "workspace_members")? {
        let id = id.as_str().unwrap_or_default();
        if str_field(metadata::package(metadata, id)?, "name")? == ROOT_PACKAGE {
            return Ok(id.to_owned());
        }
    }
    Err(format!("{ROOT_PACKAGE} is not a workspace member"))
}

#[cfg(test)]
mod tests {
    use super::super::metadata_fixture::{Dep, Package, dep, metadata, package};
    use super::*;

    fn check(packages: &[Package], expect: &[&str]) {
        let metadata = metadata(&[ROOT_PACKAGE, "xtask"], packages);
        let outcome = check_metadata(&metadata).unwrap();
        let got: Vec<String> = outcome.findings.iter().map(ToString::to_string).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn forbidden_crates_are_found_with_their_path() {
        check(
            &[
                package(ROOT_PACKAGE, vec![dep("rust_decimal"), dep("proptest")]),
                package("xtask", vec![dep("tokio")]),
                package("rust_decimal", vec![dep("serde_json")]),
                package("proptest", vec![dep("futures-util")]),
                package("futures-util", vec![dep("tokio")]),
            ],
            &[
                "crates/posbridge-domain/Cargo.toml: posbridge-domain depends on `futures-util` \
                 (async runtime): posbridge-domain -> proptest -> futures-util",
                "crates/posbridge-domain/Cargo.toml: posbridge-domain depends on `serde_json` \
                 (serialization format): posbridge-domain -> rust_decimal -> serde_json",
                "crates/posbridge-domain/Cargo.toml: posbridge-domain depends on `tokio` (async \
                 runtime): posbridge-domain -> proptest -> futures-util -> tokio",
            ],
        );
    }

    #[test]
    fn dev_dependencies_and_other_members_do_not_count() {
        let dev = Dep {
            to: "tokio",
            kind: Some("dev"),
            optional: false,
        };
        check(
            &[
                package(ROOT_PACKAGE, vec![dep("thiserror"), dev]),
                package("xtask", vec![dep("serde_json"), dep("chrono")]),
            ],
            &[],
        );
    }

    #[test]
    fn names_are_matched_exactly_or_by_listed_prefix() {
        let check_name = |name: &str, expect: Option<&str>| {
            assert_eq!(forbidden(name), expect, "{name}");
        };
        check_name("time", Some("clock"));
        check_name("sqlx-core", Some("database"));
        check_name("futures", Some("async runtime"));
        check_name("futures-core", Some("async runtime"));
        check_name("timely", None);
        check_name("httparse", None);
        check_name("serde", None);
        check_name("rust_decimal", None);
    }

    #[test]
    fn a_workspace_without_the_domain_package_is_an_error() {
        let metadata = metadata(&["xtask"], &[package("xtask", vec![])]);
        assert!(check_metadata(&metadata).is_err());
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
