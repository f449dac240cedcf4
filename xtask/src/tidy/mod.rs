//! The tidy checks: repository-wide rules that the compiler and clippy cannot state.
//!
//! Each check is a function from the repository to its findings, listed in [`CHECKS`]. Each one
//! also has a `#[test]` that runs it on this repository (so the test run enforces it) and
//! unit tests on made-up inputs that prove it finds what it is meant to find.

mod codemap;
mod dep_graph;
mod domain_deps;
mod file_docs;
mod file_size;
mod markers;
#[cfg(test)]
mod metadata_fixture;
mod no_floats;
mod no_panics;
mod repo;
mod rust_source;

use std::fmt;

use crate::files::SourceFile;

pub use repo::Repo;

/// One rule violation, printed as `tidy <check>: <path>:<line>: <message>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file, relative to the workspace root.
    pub path: String,
    /// The 1-based line, when the finding is about one line.
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    /// A finding about one line of a file.
    pub fn at(path: &str, line: usize, message: impl Into<String>) -> Finding {
        Finding {
            path: path.to_owned(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A finding about a whole file.
    pub fn file(path: &str, message: impl Into<String>) -> Finding {
        Finding {
            path: path.to_owned(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What a check found, and a one-line account of what it looked at.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: String,
}

/// A named check.
pub struct Check {
    pub name: &'static str,
    pub run: fn(&Repo) -> Result<Outcome, String>,
}

/// Every tidy check, in the order they run.
pub const CHECKS: &[Check] = &[
    no_floats::CHECK,
    domain_deps::CHECK,
    codemap::CHECK,
    file_docs::CHECK,
    file_size::CHECK,
    no_panics::CHECK,
    markers::CHECK,
];

/// Runs every check, prints what each found, and fails if any check found something or could
/// not run.
pub fn run_all(repo: &Repo) -> Result<(), String> {
    let mut failed = Vec::new();
    for check in CHECKS {
        match (check.run)(repo) {
            Ok(outcome) => {
                for finding in &outcome.findings {
                    println!("tidy {}: {finding}", check.name);
                }
                if outcome.findings.is_empty() {
                    println!("tidy {}: ok ({})", check.name, outcome.summary);
                } else {
                    println!(
                        "tidy {}: {} finding(s) ({})",
                        check.name,
                        outcome.findings.len(),
                        outcome.summary
                    );
                    failed.push(check.name);
                }
            }
            Err(err) => {
                println!("tidy {}: could not run: {err}", check.name);
                failed.push(check.name);
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("tidy checks failed: {}", failed.join(", ")))
    }
}

/// Runs `check_file` over the Rust files of those `dirs` that exist (crates not written yet are
/// skipped and named in the summary).
fn scan_rust_dirs(
    repo: &Repo,
    dirs: &[&str],
    check_file: fn(&SourceFile) -> Vec<Finding>,
) -> Result<Outcome, String> {
    let present: Vec<&str> = dirs
        .iter()
        .copied()
        .filter(|dir| repo.has_dir(dir))
        .collect();
    let files = repo.rust_files_under(&present)?;
    let findings = files.iter().flat_map(check_file).collect();
    Ok(Outcome {
        findings,
        summary: scope_summary(files.len(), dirs, &present),
    })
}

/// The summary of a check over some source directories, naming those that do not exist yet.
fn scope_summary(n_files: usize, dirs: &[&str], present: &[&str]) -> String {
    let absent: Vec<&str> = dirs
        .iter()
        .copied()
        .filter(|dir| !present.contains(dir))
        .collect();
    if present.is_empty() {
        return format!("nothing to check yet: {} absent", absent.join(", "));
    }
    let mut summary = format!("{n_files} file(s) under {}", present.join(", "));
    if !absent.is_empty() {
        summary.push_str(&format!("; skipped absent {}", absent.join(", ")));
    }
    summary
}

/// Runs one check on this repository and fails the test with its findings, if any.
#[cfg(test)]
fn assert_clean(check: &Check) {
    let repo = Repo::new(crate::project::root());
    let outcome = (check.run)(&repo).unwrap_or_else(|err| panic!("tidy {}: {err}", check.name));
    let findings: Vec<String> = outcome
        .findings
        .iter()
        .map(|finding| format!("tidy {}: {finding}", check.name))
        .collect();
    assert!(findings.is_empty(), "\n{}\n", findings.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_are_unique() {
        let mut names: Vec<&str> = CHECKS.iter().map(|check| check.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CHECKS.len());
    }

    #[test]
    fn findings_print_with_and_without_a_line() {
        assert_eq!(Finding::at("a.rs", 3, "bad").to_string(), "a.rs:3: bad");
        assert_eq!(Finding::file("a.rs", "bad").to_string(), "a.rs: bad");
    }
}
