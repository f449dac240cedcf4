//! Issue 7 (in progress): the client crate against the real binary, in all three formats.
