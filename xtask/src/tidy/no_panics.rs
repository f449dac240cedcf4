//! Tidy check `no-panics`: the server, store and protocol crates handle every failure as a value,
//! so their non-test code has no `.unwrap()`, `.expect(`, `panic!`, `todo!`, `unimplemented!` or
//! `dbg!`.
//!
//! Clippy's `unwrap_used`, `expect_used` and `panic` lints (allowed in tests) back this check up.

use super::rust_source::{self, words};
use super::{Check, Finding, Outcome, Repo};
use crate::files::SourceFile;

/// The source directories checked; absent ones (crates not written yet) are skipped.
const DIRS: &[&str] = &[
    "crates/server/src",
    "crates/store/src",
    "crates/protocol/src",
    "crates/client/src",
];

/// Test support compiled only for tests and test features (`cfg(any(test, feature = …))`):
/// assertions are its job.
const TEST_SUPPORT: &[&str] = &["crates/store/src/conformance/"];

/// Methods that panic on the error path, matched as `.name(`.
const PANICKING_METHODS: &[&str] = &["unwrap", "expect"];

/// Macros that panic or only belong in a debugging session, matched as `name!`.
const PANICKING_MACROS: &[&str] = &["panic", "todo", "unimplemented", "dbg"];

pub const CHECK: Check = Check {
    name: "no-panics",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    super::scan_rust_dirs(repo, DIRS, check_file)
}

/// The panicking calls in the non-test code of one file.
fn check_file(file: &SourceFile) -> Vec<Finding> {
    let path = file.path.replace('\\', "/");
    if TEST_SUPPORT.iter().any(|dir| path.starts_with(dir)) {
        return Vec::new();
    }
    let Some(lines) = rust_source::non_test_lines(file) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for (line_no, line) in &lines {
        for (start, end, word) in words(line) {
            let before = line[..start].trim_end();
            let after = line[end..].trim_start();
            if PANICKING_METHODS.contains(&word) && before.ends_with('.') && after.starts_with('(')
            {
                findings.push(Finding::at(
                    &file.path,
                    *line_no,
                    format!("`.{word}(` in non-test code; return the error instead"),
                ));
            } else if PANICKING_MACROS.contains(&word) && after.starts_with('!') {
                findings.push(Finding::at(
                    &file.path,
                    *line_no,
                    format!("`{word}!` in non-test code; return the error instead"),
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, text: &str, expect: &[&str]) {
        let got: Vec<String> = check_file(&SourceFile::new(path, text))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, expect, "{path}: {text}");
    }

    #[test]
    fn panicking_calls_are_found() {
        let path = "crates/store/src/sqlite.rs";
        check(
            path,
            "let a = b.unwrap();\nlet c = d\n    .expect(\"row\");\npanic!(\"x\");\ntodo!();\n\
             unimplemented!()\nlet e = dbg!(f);\nstd::panic!(\"y\");",
            &[
                "crates/store/src/sqlite.rs:1: `.unwrap(` in non-test code; return the error instead",
                "crates/store/src/sqlite.rs:3: `.expect(` in non-test code; return the error instead",
                "crates/store/src/sqlite.rs:4: `panic!` in non-test code; return the error instead",
                "crates/store/src/sqlite.rs:5: `todo!` in non-test code; return the error instead",
                "crates/store/src/sqlite.rs:6: `unimplemented!` in non-test code; return the error \
                 instead",
                "crates/store/src/sqlite.rs:7: `dbg!` in non-test code; return the error instead",
                "crates/store/src/sqlite.rs:8: `panic!` in non-test code; return the error instead",
            ],
        );
    }

    #[test]
    fn lookalikes_comments_and_tests_are_allowed() {
        let path = "crates/server/src/api.rs";
        check(
            path,
            "let a = b.unwrap_or(0);\nlet c = d.unwrap_or_else(f);\nlet e = g.expect_err(h);\n",
            &[],
        );
        check(
            path,
            "#[should_panic]\nfn unwrap() {}\n#[deny(clippy::todo)]\n",
            &[],
        );
        check(path, "// a.unwrap() is banned\nlet s = \"panic!(\";\n", &[]);
        check(
            path,
            "fn a() {}\n#[cfg(test)]\nmod tests { fn t() { x.unwrap(); } }\n",
            &[],
        );
        check("crates/server/src/api/tests.rs", "x.unwrap();\n", &[]);
        check(
            "crates/store/src/conformance/bills.rs",
            "x.unwrap();\n",
            &[],
        );
        check(
            "crates/store/src/conformance.rs",
            "x.unwrap();\n",
            &[
                "crates/store/src/conformance.rs:1: `.unwrap(` in non-test code; return the error instead",
            ],
        );
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
