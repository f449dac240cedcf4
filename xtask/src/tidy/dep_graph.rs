//! The dependency graph of `cargo metadata`, reduced to the edges that ship: normal dependencies
//! that the depending package's enabled features actually turn on.
//!
//! The resolve graph of `cargo metadata` is the lock file's graph, and that lists optional
//! dependencies that are only named by a weak feature (`serde_json?/std`) even though nothing
//! turns them on. An optional edge is therefore followed only when one of the package's enabled
//! features activates it: the implicit feature of the same name, `dep:name`, or `name/feature`.
//! Features are unified across the workspace (and `cargo metadata` runs with all features on), so
//! the graph is a superset of what any one package builds with.

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

use crate::metadata::{array_field, str_field};

/// Package names by id, and the followed dependency ids of each package.
pub struct DepGraph {
    names: BTreeMap<String, String>,
    normal_deps: BTreeMap<String, Vec<String>>,
}

/// Every reached package id with the id it was first reached from (`None` for the start).
pub type Reached = BTreeMap<String, Option<String>>;

impl DepGraph {
    /// Reads the graph from `cargo metadata` output.
    pub fn read(metadata: &Value) -> Result<DepGraph, String> {
        let mut names = BTreeMap::new();
        let mut packages = BTreeMap::new();
        for package in array_field(metadata, "packages")? {
            let id = str_field(package, "id")?;
            names.insert(id.to_owned(), str_field(package, "name")?.to_owned());
            packages.insert(id, package);
        }
        let resolve = metadata
            .get("resolve")
            .filter(|resolve| !resolve.is_null())
            .ok_or("cargo metadata has no resolve graph (was it run with --no-deps?)")?;
        let mut normal_deps = BTreeMap::new();
        for node in array_field(resolve, "nodes")? {
            let id = str_field(node, "id")?;
            let package = packages.get(id).copied();
            let mut deps = Vec::new();
            for dep in array_field(node, "deps")? {
                let dep_id = str_field(dep, "pkg")?;
                let dep_name = names.get(dep_id).map_or(dep_id, String::as_str);
                if is_normal(dep) && package.is_none_or(|pkg| is_active(pkg, node, dep_name)) {
                    deps.push(dep_id.to_owned());
                }
            }
            normal_deps.insert(id.to_owned(), deps);
        }
        Ok(DepGraph { names, normal_deps })
    }

    /// The package name of `id` (the id itself if unknown).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }

    /// Breadth-first from `start`, so the path [`DepGraph::path_to`] gives is a shortest one.
    pub fn reach(&self, start: &str) -> Reached {
        let mut reached = BTreeMap::from([(start.to_owned(), None)]);
        let mut queue = VecDeque::from([start.to_owned()]);
        while let Some(id) = queue.pop_front() {
            for dep in self.normal_deps.get(&id).into_iter().flatten() {
                if !reached.contains_key(dep) {
                    reached.insert(dep.clone(), Some(id.clone()));
                    queue.push_back(dep.clone());
                }
            }
        }
        reached
    }

    /// The package names from the start of `reached` down to `id`.
    pub fn path_to(&self, reached: &Reached, id: &str) -> Vec<String> {
        let mut path = vec![self.name(id).to_owned()];
        let mut current = id;
        while let Some(Some(parent)) = reached.get(current) {
            path.push(self.name(parent).to_owned());
            current = parent;
        }
        path.reverse();
        path
    }
}

/// Whether a resolve edge is a normal dependency: some `dep_kinds` entry has `kind: null`.
/// Metadata from before `dep_kinds` existed counts every edge as normal.
fn is_normal(dep: &Value) -> bool {
    match dep.get("dep_kinds").and_then(Value::as_array) {
        Some(kinds) => kinds
            .iter()
            .any(|kind| kind.get("kind").is_none_or(Value::is_null)),
        None => true,
    }
}

/// Whether `package` (whose resolve node is `node`) turns on its normal dependency on the
/// package named `dep_name`: it is not optional, or an enabled feature activates it. An edge
/// the manifest does not explain is followed, to err on the side of reporting.
fn is_active(package: &Value, node: &Value, dep_name: &str) -> bool {
    let declared: Vec<&Value> = package
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|dep| dep.get("name").and_then(Value::as_str) == Some(dep_name))
        .filter(|dep| dep.get("kind").is_none_or(Value::is_null))
        .collect();
    if declared.is_empty() {
        return true;
    }
    let enabled: Vec<&str> = node
        .get("features")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    declared.iter().any(|dep| {
        let optional = dep.get("optional").and_then(Value::as_bool) == Some(true);
        let key = dep
            .get("rename")
            .and_then(Value::as_str)
            .unwrap_or(dep_name);
        !optional || activates(package, &enabled, key)
    })
}

/// Whether one of the `enabled` features turns on the optional dependency known as `key`.
fn activates(package: &Value, enabled: &[&str], key: &str) -> bool {
    if enabled.contains(&key) {
        return true;
    }
    let dep_feature = format!("dep:{key}");
    let strong_prefix = format!("{key}/");
    enabled.iter().any(|feature| {
        package
            .get("features")
            .and_then(|features| features.get(*feature))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|item| item == dep_feature || item.starts_with(&strong_prefix))
    })
}

#[cfg(test)]
mod tests {
    use super::super::metadata_fixture::{Dep, Package, dep, metadata, package};
    use super::*;

    /// Walks from the first package and lists every reached package as its path.
    fn check(packages: &[Package], expect: &[&str]) {
        let metadata = metadata(&[packages[0].name], packages);
        let graph = DepGraph::read(&metadata).unwrap();
        let reached = graph.reach(packages[0].name);
        let got: Vec<String> = reached
            .keys()
            .map(|id| graph.path_to(&reached, id).join(" -> "))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn normal_edges_are_followed_and_paths_are_shortest() {
        check(
            &[
                package("a", vec![dep("b"), dep("c")]),
                package("b", vec![dep("d")]),
                package("c", vec![dep("b")]),
                package("d", vec![]),
            ],
            &["a", "a -> b", "a -> c", "a -> b -> d"],
        );
    }

    #[test]
    fn dev_and_build_edges_are_not_followed() {
        let dev = Dep {
            to: "tokio",
            kind: Some("dev"),
            optional: false,
        };
        let build = Dep {
            to: "cc",
            kind: Some("build"),
            optional: false,
        };
        check(
            &[package("a", vec![dev, build, dep("b")])],
            &["a", "a -> b"],
        );
    }

    #[test]
    fn optional_edges_are_followed_only_when_a_feature_turns_them_on() {
        let optional = |to| Dep {
            to,
            kind: None,
            optional: true,
        };
        check(
            &[
                package("a", vec![dep("decimal")]),
                Package {
                    name: "decimal",
                    enabled: &["std", "serde", "rand"],
                    features: &[
                        ("std", &["json?/std", "bytes?/std", "arrayvec/std"]),
                        ("serde", &["dep:serde"]),
                        ("db", &["dep:bytes"]),
                        ("rand", &[]),
                    ],
                    deps: vec![
                        optional("json"),
                        optional("bytes"),
                        optional("serde"),
                        optional("rand"),
                        optional("arrayvec"),
                    ],
                },
            ],
            &[
                "a",
                "a -> decimal -> arrayvec",
                "a -> decimal",
                "a -> decimal -> rand",
                "a -> decimal -> serde",
            ],
        );
    }

    #[test]
    fn a_dependency_both_optional_and_not_is_followed() {
        let edges = vec![
            Dep {
                to: "proptest",
                kind: None,
                optional: true,
            },
            Dep {
                to: "proptest",
                kind: Some("dev"),
                optional: false,
            },
        ];
        check(&[package("a", edges)], &["a"]);
        let edges = vec![
            Dep {
                to: "proptest",
                kind: None,
                optional: true,
            },
            dep("proptest"),
        ];
        check(&[package("a", edges)], &["a", "a -> proptest"]);
    }

    #[test]
    fn metadata_without_a_resolve_graph_is_an_error() {
        let mut metadata = metadata(&["a"], &[package("a", vec![])]);
        metadata["resolve"] = Value::Null;
        assert!(DepGraph::read(&metadata).is_err());
    }
}
