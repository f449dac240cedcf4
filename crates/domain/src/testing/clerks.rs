//! Strategies for clerk batches.
