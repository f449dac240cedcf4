//! The state every handler shares: the store, the clock and the limits.

use std::sync::Arc;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::limits::CountLimits;
use posbridge_protocol::limits::ReadLimits;
use posbridge_protocol::time_text::UtcOffset;
use posbridge_store::Store;

use crate::accounts::AccountCache;
use crate::clock::Clock;

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    /// The persistence.
    pub store: Arc<dyn Store>,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// How Web API and Qimen bodies are read: their largest size and deepest nesting.
    pub read_limits: ReadLimits,
    /// Most details (bill lines, settlement details) and clerks of one request.
    pub counts: CountLimits,
    /// The business time zone of views and `yyyyMMdd` dates.
    pub offset: UtcOffset,
    /// Accounts recently authenticated, by token hash.
    pub accounts: AccountCache,
}

impl App {
    /// The current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The store as a trait object.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("backend", &self.store.backend())
            .field("read_limits", &self.read_limits)
            .field("counts", &self.counts)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}
