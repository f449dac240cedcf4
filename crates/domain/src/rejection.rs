//! Rule failures collected over a whole request: every failing line, detail or clerk at once.

use std::fmt;

use crate::error_kind::ErrorKind;

/// One rule failure that a [`Rejection`] can collect.
pub trait Failure: fmt::Display + fmt::Debug {
    /// The kind of this failure, which decides its errcode.
    fn kind(&self) -> ErrorKind;
}

/// Every failure of one request, in request order. Never empty: its kind, and the item its
/// message names, are those of the first failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection<F> {
    // Boxed so that `Result<_, Rejection<F>>` stays small.
    first: Box<F>,
    rest: Vec<F>,
}

impl<F: Failure> Rejection<F> {
    /// Collects failures; `None` when there are none.
    pub fn from_failures(failures: Vec<F>) -> Option<Rejection<F>> {
        let mut failures = failures.into_iter();
        let first = failures.next()?;
        Some(Rejection {
            first: Box::new(first),
            rest: failures.collect(),
        })
    }

    /// A rejection with one failure.
    pub fn single(failure: F) -> Rejection<F> {
        Rejection {
            first: Box::new(failure),
            rest: Vec::new(),
        }
    }

    /// The first failure, which decides the errcode.
    pub fn first(&self) -> &F {
        &self.first
    }

    /// Every failure, in order.
    pub fn failures(&self) -> impl Iterator<Item = &F> {
        std::iter::once(self.first.as_ref()).chain(&self.rest)
    }

    /// The kind of the first failure.
    pub fn kind(&self) -> ErrorKind {
        self.first.kind()
    }
}

impl<F: Failure> fmt::Display for Rejection<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        match self.rest.len() {
            0 => Ok(()),
            1 => write!(f, " (and 1 more failure)"),
            more => write!(f, " (and {more} more failures)"),
        }
    }
}

impl<F: Failure> std::error::Error for Rejection<F> {}
