//! Between wire DTOs and domain values: requests become domain drafts (which the domain
//! validates), and domain state becomes answers and views.
//!
//! The moves are field by field and never decide a rule; every check lives in `posbridge-domain`.

mod sell_bill;
mod settlement;

pub use sell_bill::{
    ViewOptions, add_or_update_result, bill_view, delete_or_close_ref, pay_bill_result,
};
pub use settlement::settlement_view;

#[cfg(test)]
mod tests;
