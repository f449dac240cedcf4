//! The real `posbridge` binary's commands, one test binary (each binary links the whole
//! workspace, so fewer binaries build faster):
//!
//! - `commands`: `migrate`, `import`, `export`, exit codes, and `serve --demo` answering the bill
//!   its own `curl` line describes, then stopping cleanly on SIGTERM.
//! - `config`: the serve-time limits, time zone and callback settings, and their usage errors.
//! - `local`: `bill get|list` and `clerks list` read the database as the API shows it.
//! - `remote`: `sell`, `settle` and `qimen` against a real `serve --demo`, in every format.
//!
//! `support` starts servers and scratch directories; the end-to-end tests of the whole system
//! are the `e2e` target (`tests/e2e` at the workspace's top level).

mod commands;
mod config;
mod local;
mod remote;
mod support;
