//! Clerk synchronisation rules (CONTRACT §7).
