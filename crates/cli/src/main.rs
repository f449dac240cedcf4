//! The `posbridge` command (being built for issue 6).

fn main() {}
