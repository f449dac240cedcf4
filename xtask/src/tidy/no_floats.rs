//! Tidy check `no-floats`: money never passes through a float, so the non-test code of the domain
//! and protocol crates has no `f32`/`f64` and no float conversion such as `Decimal::from_f64`.
//!
//! The domain's `testing` module is test-support code shipped behind a feature, so it is checked
//! too. Clippy's `float_arithmetic` and `disallowed-methods` back this check up.

use super::rust_source::{self, words};
use super::{Check, Finding, Outcome, Repo};
use crate::files::SourceFile;

/// The source directories checked; absent ones (crates not written yet) are skipped.
const DIRS: &[&str] = &["crates/domain/src", "crates/protocol/src"];

/// Float types, matched as whole words.
const FLOAT_TYPES: &[&str] = &["f32", "f64"];

/// Float conversions, matched inside words (so `from_f64_retain` counts too).
const FLOAT_CONVERSIONS: &[&str] = &["from_f64", "to_f64", "from_f32", "to_f32"];

pub const CHECK: Check = Check {
    name: "no-floats",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    super::scan_rust_dirs(repo, DIRS, check_file)
}

/// The float tokens in the non-test code of one file.
fn check_file(file: &SourceFile) -> Vec<Finding> {
    let Some(lines) = rust_source::non_test_lines(file) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for (line_no, line) in &lines {
        for (_, _, word) in words(line) {
            if let Some(what) = float_word(word) {
                findings.push(Finding::at(&file.path, *line_no, what));
            }
        }
    }
    findings
}

/// What is wrong with `word`, if it names or makes a float.
fn float_word(word: &str) -> Option<String> {
    if FLOAT_TYPES.contains(&word) {
        return Some(format!(
            "float type `{word}`; money and quantities are `Decimal`"
        ));
    }
    if let Some(conversion) = FLOAT_CONVERSIONS.iter().find(|conv| word.contains(*conv)) {
        return Some(format!(
            "float conversion `{word}` ({conversion}); money never passes through a float"
        ));
    }
    let is_number = word.starts_with(|c: char| c.is_ascii_digit());
    let is_hex = word.starts_with("0x") || word.starts_with("0X");
    if is_number && !is_hex && FLOAT_TYPES.iter().any(|ty| word.ends_with(ty)) {
        return Some(format!("float literal suffix in `{word}`"));
    }
    None
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
    fn floats_in_code_are_found() {
        let path = "crates/domain/src/money.rs";
        check(
            path,
            "fn a(x: f64) {}\nlet y = x as f32;\n",
            &[
                "crates/domain/src/money.rs:1: float type `f64`; money and quantities are `Decimal`",
                "crates/domain/src/money.rs:2: float type `f32`; money and quantities are `Decimal`",
            ],
        );
        check(
            path,
            "let d = Decimal::from_f64(x);\nlet e = d.to_f32();\nlet f = Decimal::from_f64_retain(x);",
            &[
                "crates/domain/src/money.rs:1: float conversion `from_f64` (from_f64); money never \
                 passes through a float",
                "crates/domain/src/money.rs:2: float conversion `to_f32` (to_f32); money never \
                 passes through a float",
                "crates/domain/src/money.rs:3: float conversion `from_f64_retain` (from_f64); \
                 money never passes through a float",
            ],
        );
        check(
            path,
            "let a = 1.5f64;\nlet b = 2_f32;\nlet c = 1e3f64;",
            &[
                "crates/domain/src/money.rs:1: float literal suffix in `5f64`",
                "crates/domain/src/money.rs:2: float literal suffix in `2_f32`",
                "crates/domain/src/money.rs:3: float literal suffix in `1e3f64`",
            ],
        );
    }

    #[test]
    fn the_testing_module_is_not_exempt() {
        check(
            "crates/domain/src/testing/mod.rs",
            "//! Strategies.\nfn price() -> f64 { 1 }\n",
            &[
                "crates/domain/src/testing/mod.rs:2: float type `f64`; money and quantities are \
               `Decimal`",
            ],
        );
    }

    #[test]
    fn comments_strings_tests_and_lookalikes_are_not_floats() {
        let path = "crates/domain/src/exact.rs";
        check(path, "// beyond f64, exact here\n/* f32 */\n", &[]);
        check(path, "let s = \"f64\"; let r = r#\"to_f64\"#;\n", &[]);
        check(
            path,
            "let x = 0x1f32; let f640 = 1; let my_f64x = 2;\n",
            &[],
        );
        check(
            path,
            "fn a() {}\n#[cfg(test)]\nmod tests { const X: f64 = 1.0; }\n",
            &[],
        );
        check(
            "crates/domain/src/pricing/tests.rs",
            "const X: f64 = 1.0;\n",
            &[],
        );
        check(
            "crates/domain/src/tests/model.rs",
            "const X: f64 = 1.0;\n",
            &[],
        );
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
