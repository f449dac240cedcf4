//! Tidy check `markers`: no fix-me markers in source, and every to-do marker cites an issue, as
//! in `TODO(#12)`, so unfinished work is tracked where it can be found.
//!
//! The marker words are spelled in pieces in this file so that it passes its own check.

use super::rust_source::words;
use super::{Check, Finding, Outcome, Repo};
use crate::files::SourceFile;

/// The marker that may never be committed.
const FIX_ME: &str = concat!("FIX", "ME");

/// The marker that must cite an issue.
const TO_DO: &str = concat!("TO", "DO");

/// Extensions of source files; documentation is left out, since it may describe this rule.
const SOURCE_EXTENSIONS: &[&str] = &[".rs", ".toml", ".sh", ".sql", ".py", ".yml", ".yaml"];

/// Directories whose every file is source (scripts without an extension).
const SOURCE_DIRS: &[&str] = &[".ci"];

pub const CHECK: Check = Check {
    name: "markers",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    let files = repo.read_listed(is_source)?;
    let findings = files.iter().flat_map(check_file).collect();
    Ok(Outcome {
        findings,
        summary: format!("{} source file(s)", files.len()),
    })
}

fn is_source(path: &str) -> bool {
    SOURCE_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
        || SOURCE_DIRS
            .iter()
            .any(|dir| crate::files::is_under(path, dir))
}

fn check_file(file: &SourceFile) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (idx, line) in file.text.lines().enumerate() {
        for (_, end, word) in words(line) {
            if word.contains(FIX_ME) {
                findings.push(Finding::at(
                    &file.path,
                    idx + 1,
                    format!("`{word}`: fix it now or file an issue and cite it"),
                ));
            } else if word.starts_with(TO_DO) && !(word == TO_DO && cites_issue(&line[end..])) {
                findings.push(Finding::at(
                    &file.path,
                    idx + 1,
                    format!("`{word}` must cite an issue, as in `{TO_DO}(#12)`"),
                ));
            }
        }
    }
    findings
}

/// Whether `rest` starts with `(#<digits>)`.
fn cites_issue(rest: &str) -> bool {
    rest.strip_prefix("(#")
        .and_then(|rest| rest.split_once(')'))
        .is_some_and(|(number, _)| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let text = text.replace("<F>", FIX_ME).replace("<T>", TO_DO);
        let expect: Vec<String> = expect
            .iter()
            .map(|line| line.replace("<F>", FIX_ME).replace("<T>", TO_DO))
            .collect();
        let got: Vec<String> = check_file(&SourceFile::new("x.rs", &text))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn fix_me_markers_are_found_anywhere() {
        check(
            "// <F>: later\n",
            &["x.rs:1: `<F>`: fix it now or file an issue and cite it"],
        );
        check(
            "let s = \"<F>s\";\n",
            &["x.rs:1: `<F>s`: fix it now or file an issue and cite it"],
        );
    }

    #[test]
    fn to_do_markers_must_cite_an_issue() {
        check("// <T>(#12): split this\n", &[]);
        check("// <T>(#1) and <T>(#345)\n", &[]);
        check(
            "// <T>: split this\n// <T>(12)\n// <T>(#)\n// <T>(#a1)\n// <T>s\n",
            &[
                "x.rs:1: `<T>` must cite an issue, as in `<T>(#12)`",
                "x.rs:2: `<T>` must cite an issue, as in `<T>(#12)`",
                "x.rs:3: `<T>` must cite an issue, as in `<T>(#12)`",
                "x.rs:4: `<T>` must cite an issue, as in `<T>(#12)`",
                "x.rs:5: `<T>s` must cite an issue, as in `<T>(#12)`",
            ],
        );
    }

    #[test]
    fn other_words_pass() {
        check("todo!();\n// to do, fix me\nlet todo_list = 1;\n", &[]);
    }

    #[test]
    fn source_files_are_chosen_by_extension_or_directory() {
        let check_path = |path: &str, expect: bool| assert_eq!(is_source(path), expect, "{path}");
        check_path("crates/domain/src/lib.rs", true);
        check_path("Cargo.toml", true);
        check_path(".ci/run", true);
        check_path("docs/ARCHITECTURE.md", false);
        check_path("Cargo.lock", false);
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
