//! Tidy check `file-size`: no Rust file under `crates/`, `xtask/` or `tests/` is longer than
//! [`LINES_MAX`] lines.
//!
//! Generated code (under a `generated/` directory) is exempt: its size follows the schema, not
//! anybody's structure. Files over the cap may be listed in [`EXEMPT`] while they wait to be
//! split. The list is a ratchet: an exempt file that is back under the cap (or gone) fails the check until its entry
//! is removed, so the list only shrinks.

use super::file_docs::DIRS;
use super::{Check, Finding, Outcome, Repo};
use crate::files::SourceFile;

/// The most lines a Rust file may have.
const LINES_MAX: usize = 600;

/// Files allowed over the cap for now, relative to the workspace root.
const EXEMPT: &[&str] = &[];

pub const CHECK: Check = Check {
    name: "file-size",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    let files = repo.rust_files_under(DIRS)?;
    let findings = check_files(&files, EXEMPT, LINES_MAX);
    Ok(Outcome {
        findings,
        summary: format!(
            "{} Rust file(s), cap {LINES_MAX} lines, {} exempt",
            files.len(),
            EXEMPT.len()
        ),
    })
}

/// Whether a file is generated code, which has no size cap.
fn is_generated(path: &str) -> bool {
    path.split('/').any(|part| part == "generated")
}

fn check_files(files: &[SourceFile], exempt: &[&str], lines_max: usize) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in files.iter().filter(|file| !is_generated(&file.path)) {
        let n_lines = file.text.lines().count();
        let is_exempt = exempt.contains(&file.path.as_str());
        if n_lines > lines_max && !is_exempt {
            findings.push(Finding::file(
                &file.path,
                format!("{n_lines} lines, over the cap of {lines_max}; split the file"),
            ));
        } else if n_lines <= lines_max && is_exempt {
            findings.push(Finding::file(
                &file.path,
                format!(
                    "{n_lines} lines, within the cap of {lines_max}; remove it from `EXEMPT` in \
                     xtask/src/tidy/file_size.rs"
                ),
            ));
        }
    }
    for path in exempt {
        if !files.iter().any(|file| file.path == *path) {
            findings.push(Finding::file(
                path,
                "is exempt but does not exist; remove it from `EXEMPT` in \
                 xtask/src/tidy/file_size.rs",
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, n_lines: usize) -> SourceFile {
        SourceFile::new(path, &"x\n".repeat(n_lines))
    }

    fn check(files: &[SourceFile], exempt: &[&str], expect: &[&str]) {
        let got: Vec<String> = check_files(files, exempt, 3)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn files_over_the_cap_are_found_unless_exempt() {
        let files = [file("a.rs", 3), file("b.rs", 4), file("c.rs", 5)];
        check(
            &files,
            &["c.rs"],
            &["b.rs: 4 lines, over the cap of 3; split the file"],
        );
    }

    #[test]
    fn generated_files_have_no_cap() {
        let files = [
            file("crates/protocol/src/generated/dto.rs", 9),
            file("src/generator.rs", 9),
        ];
        check(
            &files,
            &[],
            &["src/generator.rs: 9 lines, over the cap of 3; split the file"],
        );
    }

    #[test]
    fn exemptions_that_are_no_longer_needed_are_found() {
        let files = [file("a.rs", 2)];
        check(
            &files,
            &["a.rs", "gone.rs"],
            &[
                "a.rs: 2 lines, within the cap of 3; remove it from `EXEMPT` in \
                 xtask/src/tidy/file_size.rs",
                "gone.rs: is exempt but does not exist; remove it from `EXEMPT` in \
                 xtask/src/tidy/file_size.rs",
            ],
        );
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
