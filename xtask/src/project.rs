//! Where the workspace is: every task runs from its root, whatever the caller's directory.

use std::path::{Path, PathBuf};

/// The workspace root, the parent of the `xtask` package directory.
///
/// Cargo sets `CARGO_MANIFEST_DIR` both when building and when running through `cargo run` or
/// `cargo test`; the run-time value wins so a moved checkout still finds itself.
pub fn root() -> PathBuf {
    let xtask_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    xtask_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(xtask_dir)
}
