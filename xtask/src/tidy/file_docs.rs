//! Tidy check `file-docs`: every Rust file under `crates/`, `xtask/` and `tests/` starts with a
//! `//!` comment saying what the file is for.

use super::{Check, Finding, Outcome, Repo};
use crate::files::SourceFile;

/// The directories whose Rust files are checked.
pub const DIRS: &[&str] = &["crates", "xtask", "tests"];

pub const CHECK: Check = Check {
    name: "file-docs",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    let files = repo.rust_files_under(DIRS)?;
    let findings = files.iter().filter_map(check_file).collect();
    Ok(Outcome {
        findings,
        summary: format!("{} Rust file(s) under {}", files.len(), DIRS.join(", ")),
    })
}

fn check_file(file: &SourceFile) -> Option<Finding> {
    let first = file.text.trim_start_matches('\u{feff}').lines().next();
    if first.is_some_and(|line| line.starts_with("//!")) {
        None
    } else {
        Some(Finding::at(
            &file.path,
            1,
            "does not start with a `//!` comment saying what the file is for",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: bool) {
        let file = SourceFile::new("crates/domain/src/a.rs", text);
        assert_eq!(check_file(&file).is_none(), expect, "{text:?}");
    }

    #[test]
    fn only_a_leading_inner_doc_comment_passes() {
        check("//! Money.\nuse x;\n", true);
        check("//!\n", true);
        check("", false);
        check("use x;\n//! Money.\n", false);
        check("\n//! Money.\n", false);
        check("/// Money.\npub struct Money;\n", false);
        check("// Money.\n", false);
        check("#![allow(x)]\n//! Money.\n", false);
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
