//! posbridge's build tasks, run as `cargo xtask <command>` (see `usage` for the list).
//!
//! Everything here is plain Rust over `std` and `serde_json`, so the tasks need nothing beyond a
//! Rust toolchain and git.

mod bench;
mod ci;
mod codegen;
mod command;
mod files;
mod metadata;
mod project;
mod tidy;

use std::process::ExitCode;

/// The commands that exist, shown by `cargo xtask --help` and on an unknown command.
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  ci       the one test command: fmt, codegen freshness, clippy, tidy checks, tests, doctests,
           rustdoc of the domain and protocol crates
  codegen  write the files generated from crates/protocol/schema/dto.toml
  bench    run the benchmarks (divan prints its own tables)
  tidy     run only the tidy checks
  help     print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = project::root();
    let result = match args.as_slice() {
        ["ci"] => ci::run(&root),
        ["bench"] => bench::run(&root),
        ["codegen"] => codegen::run(&root, codegen::Mode::Write),
        ["tidy"] => tidy::run_all(&tidy::Repo::new(root)),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [] => {
            eprintln!("error: no command given\n\n{USAGE}");
            return ExitCode::from(2);
        }
        [other, ..] => {
            eprintln!("error: unknown command or arguments starting at `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
