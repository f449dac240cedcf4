//! Why a body could not be read at all (errcode 1001, or 1005 for sizes).

/// A body that no reader could turn into a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not well-formed in its format (bad syntax, invalid UTF-8, truncated).
    #[error("body cannot be parsed: {0}")]
    Malformed(String),
    /// Nested deeper than the limit.
    #[error("body cannot be parsed: nested deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// An XML document type declaration or entity, refused before any expansion.
    #[error("body cannot be parsed: {0} is not allowed")]
    Forbidden(&'static str),
    /// Larger than the limit.
    #[error("body is larger than {max} bytes")]
    TooLarge {
        /// The limit in bytes.
        max: usize,
    },
    /// The root is not what the endpoint reads (for example a list where an object belongs).
    #[error("body cannot be parsed: {0}")]
    WrongRoot(String),
}
