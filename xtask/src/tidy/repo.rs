//! The repository the checks run on: its root, its listed files and its `cargo metadata`, each
//! read once and shared by the checks.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::files::{self, SourceFile};
use crate::metadata;

/// A checkout of the workspace.
pub struct Repo {
    root: PathBuf,
    listed: OnceCell<Vec<String>>,
    metadata: OnceCell<Value>,
}

impl Repo {
    /// The checkout rooted at `root`.
    pub fn new(root: PathBuf) -> Repo {
        Repo {
            root,
            listed: OnceCell::new(),
            metadata: OnceCell::new(),
        }
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every tracked or untracked-but-not-ignored file, relative and sorted.
    pub fn listed(&self) -> Result<&[String], String> {
        if let Some(listed) = self.listed.get() {
            return Ok(listed);
        }
        let listed = files::listed(&self.root)?;
        Ok(self.listed.get_or_init(|| listed))
    }

    /// `cargo metadata` for the workspace, all features on.
    pub fn metadata(&self) -> Result<&Value, String> {
        if let Some(metadata) = self.metadata.get() {
            return Ok(metadata);
        }
        let metadata = metadata::load(&self.root)?;
        Ok(self.metadata.get_or_init(|| metadata))
    }

    /// Whether `dir` (relative) is a directory of the checkout.
    pub fn has_dir(&self, dir: &str) -> bool {
        self.root.join(dir).is_dir()
    }

    /// The listed files for which `keep` holds, read as text.
    pub fn read_listed(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<SourceFile>, String> {
        self.listed()?
            .iter()
            .filter(|path| keep(path))
            .map(|path| files::read(&self.root, path))
            .collect()
    }

    /// The listed `.rs` files under any of `dirs`, read as text.
    pub fn rust_files_under(&self, dirs: &[&str]) -> Result<Vec<SourceFile>, String> {
        self.read_listed(|path| {
            path.ends_with(".rs") && dirs.iter().any(|dir| files::is_under(path, dir))
        })
    }
}
