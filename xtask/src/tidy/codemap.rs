//! Tidy check `codemap`: `docs/ARCHITECTURE.md` has exactly one ``### `dir` `` heading per
//! workspace member (its directory, such as `crates/domain`), so the codemap cannot fall behind
//! the workspace.

use std::collections::BTreeSet;

use super::{Check, Finding, Outcome, Repo};
use crate::metadata;

/// The codemap, relative to the workspace root.
const CODEMAP: &str = "docs/ARCHITECTURE.md";

/// The start of a crate heading; the directory follows, closed by a backtick.
const HEADING_START: &str = "### `";

pub const CHECK: Check = Check {
    name: "codemap",
    run,
};

fn run(repo: &Repo) -> Result<Outcome, String> {
    let members: Vec<String> = metadata::members(repo.metadata()?)?
        .into_iter()
        .map(|member| member.dir)
        .collect();
    let path = repo.root().join(CODEMAP);
    let text = if path.is_file() {
        Some(
            std::fs::read_to_string(&path)
                .map_err(|err| format!("could not read {CODEMAP}: {err}"))?,
        )
    } else {
        None
    };
    let findings = check_codemap(&members, text.as_deref());
    Ok(Outcome {
        findings,
        summary: format!(
            "{} workspace member(s): {}",
            members.len(),
            members.join(", ")
        ),
    })
}

/// Compares the member directories with the codemap's headings; `None` when there is no
/// codemap.
fn check_codemap(members: &[String], codemap: Option<&str>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(text) = codemap else {
        findings.push(Finding::file(
            CODEMAP,
            format!("missing; it needs one ``{HEADING_START}dir` `` heading per workspace member"),
        ));
        for member in members {
            findings.push(missing(member));
        }
        return findings;
    };
    let members: BTreeSet<&str> = members.iter().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    for (line_no, dir) in headings(text) {
        if !seen.insert(dir) {
            findings.push(Finding::at(
                CODEMAP,
                line_no,
                format!("second heading for `{dir}`"),
            ));
        } else if !members.contains(dir) {
            findings.push(Finding::at(
                CODEMAP,
                line_no,
                format!("heading `{dir}` is not a workspace member; remove it or add the crate"),
            ));
        }
    }
    for member in members.difference(&seen) {
        findings.push(missing(member));
    }
    findings
}

fn missing(member: &str) -> Finding {
    Finding::file(
        CODEMAP,
        format!("no ``{HEADING_START}{member}` `` heading for workspace member `{member}`"),
    )
}

/// The crate headings with their 1-based line numbers, skipping fenced code blocks.
fn headings(text: &str) -> Vec<(usize, &str)> {
    let mut in_fence = false;
    let mut headings = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let Some(rest) = line.strip_prefix(HEADING_START) else {
            continue;
        };
        if let Some(close) = rest.find('`') {
            headings.push((idx + 1, rest[..close].trim_end_matches('/')));
        }
    }
    headings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(members: &[&str], codemap: Option<&str>, expect: &[&str]) {
        let members: Vec<String> = members.iter().map(|member| (*member).to_owned()).collect();
        let got: Vec<String> = check_codemap(&members, codemap)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, expect);
    }

    const MEMBERS: &[&str] = &["crates/domain", "xtask"];

    #[test]
    fn matching_headings_pass() {
        check(
            MEMBERS,
            Some(
                "# Architecture\n\n## Crates\n\n### `crates/domain` (posbridge-domain)\n\nPure.\n\n\
                 ### `xtask/`\n",
            ),
            &[],
        );
    }

    #[test]
    fn missing_extra_and_duplicate_headings_are_found() {
        check(
            MEMBERS,
            Some(
                "### `crates/domain`\n### `crates/protocol` wire types\n### `crates/domain`\n\
                 ## `xtask`\n#### `xtask`\n",
            ),
            &[
                "docs/ARCHITECTURE.md:2: heading `crates/protocol` is not a workspace member; \
                 remove it or add the crate",
                "docs/ARCHITECTURE.md:3: second heading for `crates/domain`",
                "docs/ARCHITECTURE.md: no ``### `xtask` `` heading for workspace member `xtask`",
            ],
        );
    }

    #[test]
    fn headings_in_code_blocks_do_not_count() {
        check(
            &["xtask"],
            Some("```md\n### `xtask`\n```\n"),
            &["docs/ARCHITECTURE.md: no ``### `xtask` `` heading for workspace member `xtask`"],
        );
    }

    #[test]
    fn a_missing_codemap_is_found() {
        check(
            MEMBERS,
            None,
            &[
                "docs/ARCHITECTURE.md: missing; it needs one ``### `dir` `` heading per workspace \
                 member",
                "docs/ARCHITECTURE.md: no ``### `crates/domain` `` heading for workspace member \
                 `crates/domain`",
                "docs/ARCHITECTURE.md: no ``### `xtask` `` heading for workspace member `xtask`",
            ],
        );
    }

    #[test]
    fn real_repo_is_clean() {
        super::super::assert_clean(&CHECK);
    }
}
