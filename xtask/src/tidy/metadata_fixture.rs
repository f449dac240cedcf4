//! Made-up `cargo metadata` output for the tests of the dependency checks: packages with their
//! manifest dependencies and features, and a resolve graph that, like a real lock file graph,
//! lists every declared dependency whether or not a feature turns it on.

use serde_json::{Value, json};

/// A dependency as a manifest declares it.
pub struct Dep {
    pub to: &'static str,
    /// `None` for a normal dependency, else `dev` or `build`.
    pub kind: Option<&'static str>,
    pub optional: bool,
}

/// A normal, non-optional dependency.
pub fn dep(to: &'static str) -> Dep {
    Dep {
        to,
        kind: None,
        optional: false,
    }
}

/// A package (its id is its name) with its enabled features, its feature table and its
/// dependencies. Every declared dependency appears in the resolve graph, whether or not a
/// feature turns it on, as in a real lock file graph.
pub struct Package {
    pub name: &'static str,
    pub enabled: &'static [&'static str],
    pub features: &'static [(&'static str, &'static [&'static str])],
    pub deps: Vec<Dep>,
}

/// A package with no features.
pub fn package(name: &'static str, deps: Vec<Dep>) -> Package {
    Package {
        name,
        enabled: &[],
        features: &[],
        deps,
    }
}

/// The metadata of a workspace at `/w` whose members are `members`.
pub fn metadata(members: &[&str], packages: &[Package]) -> Value {
    let mut all: Vec<&str> = packages.iter().map(|pkg| pkg.name).collect();
    for pkg in packages {
        for dep in &pkg.deps {
            if !all.contains(&dep.to) {
                all.push(dep.to);
            }
        }
    }
    let find = |name: &str| packages.iter().find(|pkg| pkg.name == name);
    let packages_json: Vec<Value> = all
        .iter()
        .map(|name| {
            let dir = if members.contains(name) {
                "/w/crates"
            } else {
                "/registry"
            };
            let (deps, features) = find(name).map_or((Vec::new(), json!({})), |pkg| {
                let deps = pkg
                    .deps
                    .iter()
                    .map(|dep| {
                        json!({"name": dep.to, "kind": dep.kind, "optional": dep.optional,
                               "rename": null})
                    })
                    .collect();
                let features: serde_json::Map<String, Value> = pkg
                    .features
                    .iter()
                    .map(|(feature, items)| ((*feature).to_owned(), json!(items)))
                    .collect();
                (deps, Value::Object(features))
            });
            json!({"id": name, "name": name, "dependencies": deps, "features": features,
                   "manifest_path": format!("{dir}/{name}/Cargo.toml")})
        })
        .collect();
    let nodes: Vec<Value> = all
        .iter()
        .map(|name| {
            let pkg = find(name);
            let mut edges: Vec<(&str, Vec<Value>)> = Vec::new();
            for dep in pkg.map(|pkg| pkg.deps.as_slice()).unwrap_or_default() {
                let kind = json!({"kind": dep.kind, "target": null});
                match edges.iter_mut().find(|(to, _)| *to == dep.to) {
                    Some((_, kinds)) => kinds.push(kind),
                    None => edges.push((dep.to, vec![kind])),
                }
            }
            let deps: Vec<Value> = edges
                .into_iter()
                .map(|(to, kinds)| {
                    json!({"name": to.replace('-', "_"), "pkg": to, "dep_kinds": kinds})
                })
                .collect();
            let enabled = pkg.map_or(&[][..], |pkg| pkg.enabled);
            json!({"id": name, "deps": deps, "features": enabled})
        })
        .collect();
    json!({
        "packages": packages_json,
        "workspace_members": members,
        "workspace_root": "/w",
        "resolve": {"nodes": nodes, "root": null},
    })
}
