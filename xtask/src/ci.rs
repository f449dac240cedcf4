//! `cargo xtask ci`: the one test command, a fixed list of steps run in order that stops at the
//! first failure.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::codegen;
use crate::command::Cmd;
use crate::tidy;

/// The package whose every public item must be documented.
const DOCUMENTED_PACKAGE: &str = "posbridge-domain";

/// What a step does.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// Run an external command; it prints its own output.
    Run(Cmd),
    /// Run the tidy checks in this process.
    Tidy,
    /// Check that the files generated from the DTO schema are fresh, in this process.
    Codegen,
    /// Run rustdoc with missing docs and warnings denied, then summarise what it found.
    Rustdoc(Cmd),
}

/// One named step of the gate.
#[derive(Debug, PartialEq, Eq)]
struct Step {
    name: &'static str,
    action: Action,
}

impl Step {
    fn describe(&self) -> String {
        match &self.action {
            Action::Run(cmd) | Action::Rustdoc(cmd) => cmd.to_string(),
            Action::Tidy => "tidy checks (in process, see xtask/src/tidy)".to_owned(),
            Action::Codegen => "codegen freshness (in process, see xtask/src/codegen)".to_owned(),
        }
    }

    fn run(&self, root: &Path) -> Result<(), String> {
        match &self.action {
            Action::Run(cmd) => cmd.run(root),
            Action::Tidy => tidy::run_all(&tidy::Repo::new(root.to_path_buf())),
            Action::Codegen => codegen::run(root, codegen::Mode::Check),
            Action::Rustdoc(cmd) => run_rustdoc(cmd, root),
        }
    }
}

/// The steps in order; `nextest` says whether `cargo nextest` is installed.
fn steps(nextest: bool) -> Vec<Step> {
    let mut steps = vec![
        Step {
            name: "fmt",
            action: Action::Run(Cmd::cargo(&["fmt", "--all", "--check"])),
        },
        Step {
            name: "codegen",
            action: Action::Codegen,
        },
        Step {
            name: "clippy",
            action: Action::Run(Cmd::cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ])),
        },
        Step {
            name: "tidy",
            action: Action::Tidy,
        },
    ];
    if nextest {
        steps.push(Step {
            name: "test",
            action: Action::Run(Cmd::cargo(&[
                "nextest",
                "run",
                "--workspace",
                "--all-features",
            ])),
        });
        // Nextest does not run doctests, so they get their own step.
        steps.push(Step {
            name: "doctest",
            action: Action::Run(Cmd::cargo(&[
                "test",
                "--doc",
                "--workspace",
                "--all-features",
            ])),
        });
    } else {
        steps.push(Step {
            name: "test",
            action: Action::Run(Cmd::cargo(&["test", "--workspace", "--all-features"])),
        });
    }
    steps.push(Step {
        name: "rustdoc",
        action: Action::Rustdoc(Cmd::cargo(&[
            "rustdoc",
            "-p",
            DOCUMENTED_PACKAGE,
            "--all-features",
            "--",
            "-D",
            "warnings",
            "-D",
            "missing_docs",
        ])),
    });
    steps
}

/// Runs every step in order and stops at the first failure.
pub fn run(root: &Path) -> Result<(), String> {
    let nextest = Cmd::cargo(&["nextest", "--version"]).succeeds_quietly(root);
    if !nextest {
        println!("ci: cargo-nextest is not installed; tests run with `cargo test`");
    }
    let steps = steps(nextest);
    let started = Instant::now();
    for (idx, step) in steps.iter().enumerate() {
        println!(
            "\n==> ci step {}/{} `{}`: {}",
            idx + 1,
            steps.len(),
            step.name,
            step.describe()
        );
        let step_started = Instant::now();
        let result = step.run(root);
        let elapsed = seconds(step_started.elapsed());
        match result {
            Ok(()) => println!("<== ci step `{}` passed in {elapsed}", step.name),
            Err(err) => {
                println!("<== ci step `{}` FAILED after {elapsed}", step.name);
                return Err(format!("ci failed at step `{}`: {err}", step.name));
            }
        }
    }
    println!(
        "\nci: all {} steps passed in {}",
        steps.len(),
        seconds(started.elapsed())
    );
    Ok(())
}

/// Runs rustdoc on the documented package and says what it found, since its verdict is the
/// "every public item is documented" check.
fn run_rustdoc(cmd: &Cmd, root: &Path) -> Result<(), String> {
    let (success, stderr) = cmd.run_capturing_stderr(root)?;
    eprint!("{stderr}");
    let found = RustdocFindings::parse(&stderr);
    if success {
        println!(
            "rustdoc: every public item of {DOCUMENTED_PACKAGE} is documented, no rustdoc warnings"
        );
        Ok(())
    } else {
        Err(format!(
            "rustdoc found {} missing doc(s) and {} other error(s) in {DOCUMENTED_PACKAGE} \
             (see above)",
            found.missing_docs, found.other_errors
        ))
    }
}

/// Counts of what rustdoc reported, read from its human-readable output.
#[derive(Debug, Default, PartialEq, Eq)]
struct RustdocFindings {
    missing_docs: usize,
    other_errors: usize,
}

impl RustdocFindings {
    fn parse(stderr: &str) -> RustdocFindings {
        let mut found = RustdocFindings::default();
        for line in stderr.lines() {
            if line.starts_with("error: missing documentation") {
                found.missing_docs += 1;
            } else if line.starts_with("error")
                && !line.starts_with("error: aborting")
                && !line.starts_with("error: could not document")
            {
                found.other_errors += 1;
            }
        }
        found
    }
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.1}s", elapsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_steps(nextest: bool, expect: &[&str]) {
        let described: Vec<String> = steps(nextest)
            .iter()
            .map(|step| format!("{}: {}", step.name, step.describe()))
            .collect();
        assert_eq!(described, expect);
    }

    #[test]
    fn steps_with_nextest_add_a_doctest_step() {
        check_steps(
            true,
            &[
                "fmt: cargo fmt --all --check",
                "codegen: codegen freshness (in process, see xtask/src/codegen)",
                "clippy: cargo clippy --workspace --all-targets --all-features -- -D warnings",
                "tidy: tidy checks (in process, see xtask/src/tidy)",
                "test: cargo nextest run --workspace --all-features",
                "doctest: cargo test --doc --workspace --all-features",
                "rustdoc: cargo rustdoc -p posbridge-domain --all-features -- -D warnings -D \
                 missing_docs",
            ],
        );
    }

    #[test]
    fn steps_without_nextest_use_cargo_test() {
        check_steps(
            false,
            &[
                "fmt: cargo fmt --all --check",
                "codegen: codegen freshness (in process, see xtask/src/codegen)",
                "clippy: cargo clippy --workspace --all-targets --all-features -- -D warnings",
                "tidy: tidy checks (in process, see xtask/src/tidy)",
                "test: cargo test --workspace --all-features",
                "rustdoc: cargo rustdoc -p posbridge-domain --all-features -- -D warnings -D \
                 missing_docs",
            ],
        );
    }

    fn check_rustdoc(stderr: &str, missing_docs: usize, other_errors: usize) {
        assert_eq!(
            RustdocFindings::parse(stderr),
            RustdocFindings {
                missing_docs,
                other_errors
            }
        );
    }

    #[test]
    fn rustdoc_output_is_counted() {
        check_rustdoc(
            "    Documenting posbridge-domain v0.1.0\n    Finished\n",
            0,
            0,
        );
        check_rustdoc(
            "error: missing documentation for a function\n  --> src/lib.rs:3:1\n\
             error: unresolved link to `Nope`\n\
             error: missing documentation for a struct\n\
             error: aborting due to 3 previous errors\n\
             error: could not document `posbridge-domain`\n",
            2,
            1,
        );
    }
}
