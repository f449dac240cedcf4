//! posbridge's HTTP server (being built for issue 6).
