//! The files the tidy checks look at: what git tracks plus untracked files that are not ignored,
//! so a new file is checked before it is committed.

use std::path::Path;

use crate::command::Cmd;

/// A file's path relative to the workspace root (with `/` separators) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    /// A file made up in a test.
    #[cfg(test)]
    pub fn new(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        }
    }
}

/// Every tracked or untracked-but-not-ignored file that exists on disk, sorted.
///
/// Files deleted from the work tree but still in the index are left out: they are not code any
/// more.
pub fn listed(root: &Path) -> Result<Vec<String>, String> {
    let stdout = Cmd::program(
        "git",
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    )
    .read_stdout(root)?;
    let stdout = String::from_utf8(stdout)
        .map_err(|err| format!("git ls-files printed non-UTF-8: {err}"))?;
    let mut paths: Vec<String> = stdout
        .split('\0')
        .filter(|path| !path.is_empty())
        .filter(|path| root.join(path).is_file())
        .map(str::to_owned)
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// Whether `path` lies inside directory `dir` (both relative, `/`-separated).
pub fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Reads a listed file as UTF-8 text.
pub fn read(root: &Path, path: &str) -> Result<SourceFile, String> {
    let text = std::fs::read_to_string(root.join(path))
        .map_err(|err| format!("could not read {path}: {err}"))?;
    Ok(SourceFile {
        path: path.to_owned(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_under_needs_a_whole_directory_name() {
        let check = |path: &str, dir: &str, expect: bool| {
            assert_eq!(is_under(path, dir), expect, "{path} under {dir}");
        };
        check("crates/domain/src/lib.rs", "crates/domain/src", true);
        check("crates/domain/src/a/b.rs", "crates/domain", true);
        check("crates/domain-extra/src/lib.rs", "crates/domain", false);
        check("crates/domain", "crates/domain", false);
        check("xtask/src/main.rs", "crates", false);
    }
}
