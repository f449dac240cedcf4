//! The sell bill aggregate (CONTRACT §5).
