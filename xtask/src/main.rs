//! posbridge's build tasks.
fn main() {}
