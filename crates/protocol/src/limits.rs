//! The reader limits of every wire format, named once (CONTRACT §10: body 1 MiB, depth 32).

/// The largest body read, in bytes (1 MiB). A full bill of 500 lines, or 500 clerks with every
/// field full, fits well below it; larger bodies are refused before any parsing.
pub const BODY_MAX_BYTES: usize = 1 << 20;

/// The deepest nesting read, the root being level 1. The deepest document, a page of bills in an
/// envelope, needs 7 levels (envelope, tag, `Bills`, bill, `Details`, line, member), so 32 leaves
/// room for every spelling while keeping hostile documents cheap.
pub const DEPTH_MAX: usize = 32;
