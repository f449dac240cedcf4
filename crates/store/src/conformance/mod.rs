//! The backend-independent conformance suite of the [`Store`](crate::Store) trait: one body of
//! cases, each run against every backend (CONTRACT §3, §5–§7, §9, §11).
//!
//! Every case is a `pub async fn` taking a fresh, empty store and panicking on the first
//! difference from the contract; it seeds what it needs from [`fixtures`] and talks to the store
//! only through the trait. [`conformance_tests!`](crate::conformance_tests) turns the list of
//! cases, written once below, into one `#[tokio::test]` per case on a multi-threaded runtime, for
//! a factory expression that yields a fresh `Arc<dyn Store>`:
//!
//! ```text
//! mod sqlite {
//!     posbridge_store::conformance_tests!(crate::sqlite_store());
//! }
//! ```
//!
//! Each case is written so that a store breaking the rule it names fails it: idempotency cases
//! count events and rows, not only answers; refusals check that nothing was written; concurrency
//! cases release their tasks together through a barrier and check the totals the database kept.
//! No case depends on timing: instants are passed in, never read from a clock.
//!
//! The calling crate needs `tokio` with the `macros` and `rt-multi-thread` features.

// Test-support code: failing loudly is how a case reports a difference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bills;
mod clerks;
mod concurrency;
pub mod fixtures;
mod listing;
mod master;
mod outbox;
mod payments;
mod reports;
mod settlements;

pub use bills::*;
pub use clerks::*;
pub use concurrency::*;
pub use listing::*;
pub use master::*;
pub use outbox::*;
pub use payments::*;
pub use reports::*;
pub use settlements::*;

/// Expands to one `#[tokio::test]` per conformance case, on a multi-threaded runtime with 4
/// workers, each running the case against a fresh store from `$factory` (an expression whose
/// value is a future of `Arc<dyn Store>`, evaluated once per test).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::__conformance_cases! {
            ($factory)
            // Master data (§2, §3).
            master_data_round_trips,
            master_data_reimport_upserts,
            master_data_with_unknown_reference_is_refused,
            accounts_are_found_by_token_and_app_key,
            // AddOrUpdate (§5).
            add_or_update_creates_a_bill,
            add_or_update_replays_identical_content,
            add_or_update_replaces_an_initial_bill,
            add_or_update_refuses_a_deleted_bill,
            add_or_update_refuses_another_shop,
            add_or_update_refuses_catalog_failures,
            add_or_update_keys_by_customer_unit,
            // PayBill and DeleteOrClose (§5).
            pay_bill_part_then_full,
            pay_bill_without_amount_pays_the_rest,
            pay_bill_replays_and_refuses_reused_pay_num,
            pay_bill_refuses_above_outstanding,
            pay_bill_finds_bills_by_either_key,
            pay_bill_hides_other_customer_units,
            delete_or_close_follows_the_state,
            // Get and List (§5).
            get_and_list_are_scoped_to_the_customer_unit,
            list_bills_pages_newest_first,
            list_bills_filters_by_state_and_creation_time,
            // History and outbox (§5, §9).
            history_and_events_follow_every_change,
            outbox_claims_in_order_per_bill,
            outbox_claims_within_account_limits,
            // Settlements (§6).
            settlement_is_stored_with_its_amounts,
            settlement_refuses_over_settling,
            settlement_requires_a_paid_bill_of_the_shop_and_unit,
            // Reports (§10).
            report_figures_follow_windows_and_filters,
            // Clerks (§7).
            clerks_add_update_delete,
            clerks_outside_the_account_shops_are_refused,
            clerk_batches_are_all_or_nothing,
            // Concurrency and durability of answers (§5, §6, §11).
            concurrent_identical_creates_make_one_bill,
            concurrent_different_contents_make_one_bill,
            concurrent_settlements_never_over_settle,
            concurrent_payments_never_over_pay,
            answers_are_durable,
            pool_status_adds_up,
        }
    };
}

/// The expansion of [`conformance_tests!`](crate::conformance_tests) for a list of cases.
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    (($factory:expr) $($case:ident,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store: ::std::sync::Arc<dyn $crate::Store> = ($factory).await;
                $crate::conformance::$case(store).await;
            }
        )*
    };
}
