//! Rebate settlements (CONTRACT §6).
