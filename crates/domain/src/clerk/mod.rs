//! Clerk synchronisation rules (CONTRACT §7, Qimen `taobao.qimen.pos.clerk.synchronize`).
//!
//! An ERP sends a batch of clerks with one `actionType`; the flow of one request is:
//!
//! 1. [`ClerkBatchDraft::validate`] checks the fields (1002, 1003, 1004) into a [`ClerkBatch`].
//! 2. [`plan_batch`] checks the batch against the account's shops and the stored clerks and
//!    returns one [`ClerkChange`] per request clerk, or every [`ClerkFailure`] (2101–2103).
//! 3. The store applies the changes in one transaction; [`apply_changes`] is their meaning.
//!
//! This module is the reference statement of the rules:
//!
//! - `actionType` is `add`, `update` or `delete`, in any letter case.
//! - A request carries 1 to 500 clerks; `total`, when present, equals the number of clerks.
//! - Every clerk needs `storeCode` (≤ 32 characters) and `clerkCode` (≤ 32). For `add` and
//!   `update` it also needs `clerkName` (≤ 50) and `clerkType` (`DZ`, `SYY`, `SHY` or `OTHER`,
//!   exactly so spelt). A `delete` reads only `storeCode` and `clerkCode` and ignores the rest.
//! - `contactInfo` is optional; when present it needs `name` and `mobile`. `birthDate` is a real
//!   date `YYYY-MM-DD`, `gender` is `M` or `F`; other contact fields are free text with length
//!   bounds only (the seed's sample `email` is `098765`, so no format is imposed).
//! - `isValid` is `Y` or `N` (absent means `Y`); `createTime` and `latestUpdateTime` are real
//!   times `YYYY-MM-DD hh:mm:ss`; `extendProps` holds at most 50 entries.
//! - An empty string counts as an absent field, and a `contactInfo` whose fields are all absent
//!   or empty counts as absent.
//! - Field errors are reported one at a time: the first in document order (`actionType`,
//!   `total`, `clerks`, then each clerk's fields in the order of the seed).
//! - A clerk's `storeCode` must be one of the account's shops, else 2101 — for every action.
//! - `add` of a live clerk with identical content changes nothing and succeeds; with other
//!   content it is 2102. `add` of a missing clerk inserts it; `add` of a deleted clerk revives it.
//! - `update` of a missing or deleted clerk is 2103. An `update` whose `latestUpdateTime` is
//!   older than the stored clerk's is stale: it is skipped, not an error, so out-of-order ERP
//!   retries never roll data back. Equal or absent times apply. An update replaces the whole
//!   clerk (fields it leaves out become absent); one with identical content changes nothing.
//! - `delete` of a missing or already deleted clerk succeeds and changes nothing; `delete` of a
//!   live clerk marks it deleted and keeps its last content as history.
//! - Clerks are processed in request order, each seeing the effect of the ones before it, so two
//!   entries for one key behave as if sent one after the other.
//! - A request is all-or-nothing: either every clerk succeeds, or nothing is written and every
//!   failing clerk is reported.
//!
//! ```
//! use std::collections::{BTreeMap, BTreeSet};
//! use posbridge_domain::clerk::{ClerkBatchDraft, ClerkChange, ClerkDraft, plan_batch};
//! use posbridge_domain::ids::ShopId;
//!
//! let draft = ClerkBatchDraft {
//!     action_type: Some("ADD".into()),
//!     total: Some(1),
//!     clerks: vec![ClerkDraft {
//!         store_code: Some("M123".into()),
//!         clerk_code: Some("C001".into()),
//!         clerk_name: Some("老王".into()),
//!         clerk_type: Some("SYY".into()),
//!         ..ClerkDraft::default()
//!     }],
//! };
//! let batch = draft.validate().unwrap();
//! let shops = BTreeSet::from([ShopId::new("M123")]);
//! let changes = plan_batch(&batch, &shops, &BTreeMap::new()).unwrap();
//! assert!(matches!(&changes[..], [ClerkChange::Insert { .. }]));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::calendar::{CivilDate, CivilDateTime};
use crate::ids::ShopId;

mod draft;
mod plan;

pub use draft::{ClerkBatch, ClerkBatchDraft, ClerkDraft, ContactInfoDraft};
pub use plan::{ClerkChange, ClerkFailure, ClerkRejection, apply_changes, plan_batch};

#[cfg(test)]
mod tests;

/// What a request does to its clerks (`actionType`), read in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClerkAction {
    /// `add`: create clerks; an identical replay succeeds.
    Add,
    /// `update`: change existing clerks.
    Update,
    /// `delete`: delete clerks; deleting a missing one succeeds.
    Delete,
}

impl ClerkAction {
    /// The accepted spellings, as the contract writes them (any letter case is read).
    pub const CODES: &'static [&'static str] = &["add", "update", "delete"];

    /// Reads `add`, `update` or `delete` in any ASCII letter case.
    ///
    /// ```
    /// use posbridge_domain::clerk::ClerkAction;
    ///
    /// assert_eq!(ClerkAction::parse("Update"), Some(ClerkAction::Update));
    /// assert_eq!(ClerkAction::parse("upsert"), None);
    /// ```
    pub fn parse(text: &str) -> Option<ClerkAction> {
        [ClerkAction::Add, ClerkAction::Update, ClerkAction::Delete]
            .into_iter()
            .find(|action| action.as_str().eq_ignore_ascii_case(text))
    }

    /// The contract's spelling, lower case.
    pub fn as_str(self) -> &'static str {
        match self {
            ClerkAction::Add => "add",
            ClerkAction::Update => "update",
            ClerkAction::Delete => "delete",
        }
    }
}

impl fmt::Display for ClerkAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A clerk's role (`clerkType`), spelt exactly as the seed does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClerkType {
    /// `DZ`: shop manager (店长).
    Dz,
    /// `SYY`: cashier (收银员).
    Syy,
    /// `SHY`: salesperson (售货员).
    Shy,
    /// `OTHER`: anything else (其他).
    Other,
}

impl ClerkType {
    /// The accepted spellings.
    pub const CODES: &'static [&'static str] = &["DZ", "SYY", "SHY", "OTHER"];

    /// Every type, in the seed's order.
    pub const ALL: [ClerkType; 4] = [
        ClerkType::Dz,
        ClerkType::Syy,
        ClerkType::Shy,
        ClerkType::Other,
    ];

    /// Reads `DZ`, `SYY`, `SHY` or `OTHER`; other spellings (`dz` included) are `None`.
    pub fn parse(text: &str) -> Option<ClerkType> {
        ClerkType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// The seed's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClerkType::Dz => "DZ",
            ClerkType::Syy => "SYY",
            ClerkType::Shy => "SHY",
            ClerkType::Other => "OTHER",
        }
    }
}

impl fmt::Display for ClerkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contact's gender (`gender`): `M` or `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gender {
    /// `M`: male (男性).
    M,
    /// `F`: female (女性).
    F,
}

impl Gender {
    /// The accepted spellings.
    pub const CODES: &'static [&'static str] = &["M", "F"];

    /// Reads `M` or `F`, upper case only, as the seed writes them.
    pub fn parse(text: &str) -> Option<Gender> {
        match text {
            "M" => Some(Gender::M),
            "F" => Some(Gender::F),
            _ => None,
        }
    }

    /// The seed's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::M => "M",
            Gender::F => "F",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A clerk's validated `contactInfo`. Text fields are kept as sent; only `birthDate` and
/// `gender` have a format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactInfo {
    /// `name`, required.
    pub name: String,
    /// `birthDate`.
    pub birth_date: Option<CivilDate>,
    /// `gender`.
    pub gender: Option<Gender>,
    /// `career`.
    pub career: Option<String>,
    /// `zipCode`.
    pub zip_code: Option<String>,
    /// `tel`, the landline.
    pub tel: Option<String>,
    /// `mobile`, required.
    pub mobile: String,
    /// `fax`.
    pub fax: Option<String>,
    /// `email`; not checked as an address.
    pub email: Option<String>,
    /// `province`.
    pub province: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `area`, the district.
    pub area: Option<String>,
    /// `town`.
    pub town: Option<String>,
    /// `detailAddress`.
    pub detail_address: Option<String>,
}

impl ContactInfo {
    /// A contact with only the required `name` and `mobile`.
    pub fn new(name: impl Into<String>, mobile: impl Into<String>) -> ContactInfo {
        ContactInfo {
            name: name.into(),
            birth_date: None,
            gender: None,
            career: None,
            zip_code: None,
            tel: None,
            mobile: mobile.into(),
            fax: None,
            email: None,
            province: None,
            city: None,
            area: None,
            town: None,
            detail_address: None,
        }
    }
}

/// What identifies a clerk: `clerkCode` is unique per store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClerkKey {
    /// `storeCode`, the shop.
    pub store_code: ShopId,
    /// `clerkCode`, the POS's code of the clerk.
    pub clerk_code: String,
}

impl ClerkKey {
    /// The key of clerk `clerk_code` at `store_code`.
    pub fn new(store_code: ShopId, clerk_code: impl Into<String>) -> ClerkKey {
        ClerkKey {
            store_code,
            clerk_code: clerk_code.into(),
        }
    }
}

impl fmt::Display for ClerkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "clerk {} of store {}", self.clerk_code, self.store_code)
    }
}

/// A validated clerk, as `add` and `update` send it.
///
/// Equality is by value over every field: two clerks are "identical content" exactly when they
/// are equal (an absent `isValid` and `Y` are the same value, `true`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clerk {
    /// `storeCode`.
    pub store_code: ShopId,
    /// `clerkCode`.
    pub clerk_code: String,
    /// `sourceClerkCode`, the ERP's own code.
    pub source_clerk_code: Option<String>,
    /// `clerkName`.
    pub clerk_name: String,
    /// `clerkType`.
    pub clerk_type: ClerkType,
    /// `contactInfo`.
    pub contact_info: Option<ContactInfo>,
    /// `isValid`: `Y` is `true` (the default), `N` is `false`.
    pub is_valid: bool,
    /// `createTime`, the ERP's local time.
    pub create_time: Option<CivilDateTime>,
    /// `latestUpdateTime`, the ERP's local time; orders updates (older ones are skipped).
    pub latest_update_time: Option<CivilDateTime>,
    /// `extendProps`, free-form name → value pairs.
    pub extend_props: BTreeMap<String, String>,
}

impl Clerk {
    /// A valid clerk with the required fields only: no contact, no times, no extra properties.
    pub fn new(
        store_code: ShopId,
        clerk_code: impl Into<String>,
        clerk_name: impl Into<String>,
        clerk_type: ClerkType,
    ) -> Clerk {
        Clerk {
            store_code,
            clerk_code: clerk_code.into(),
            source_clerk_code: None,
            clerk_name: clerk_name.into(),
            clerk_type,
            contact_info: None,
            is_valid: true,
            create_time: None,
            latest_update_time: None,
            extend_props: BTreeMap::new(),
        }
    }

    /// This clerk's key.
    pub fn key(&self) -> ClerkKey {
        ClerkKey::new(self.store_code.clone(), self.clerk_code.clone())
    }
}

/// A clerk as the store holds it. Deleted clerks stay, with their last content, as history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredClerk {
    /// The last content written.
    pub clerk: Clerk,
    /// Whether the clerk was deleted; a later `add` revives it.
    pub deleted: bool,
}

impl StoredClerk {
    /// A live clerk.
    pub fn live(clerk: Clerk) -> StoredClerk {
        StoredClerk {
            clerk,
            deleted: false,
        }
    }

    /// A deleted clerk, keeping `clerk` as its last content.
    pub fn deleted(clerk: Clerk) -> StoredClerk {
        StoredClerk {
            clerk,
            deleted: true,
        }
    }

    /// The clerk, when it is not deleted.
    pub fn live_clerk(&self) -> Option<&Clerk> {
        (!self.deleted).then_some(&self.clerk)
    }
}
