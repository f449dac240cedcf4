//! Strategies for clerk batches: valid clerks and drafts, each kind of invalid draft, stored
//! clerks and planner scenarios.
//!
//! Generated text mixes ASCII, Chinese, an astral-plane character and XML's special characters
//! (`<`, `>`, `&`, quotes, `]]>`), so wire suites exercise escaping and character counting.
//! Clerk codes come mostly from a small pool so that keys collide: batches then hit stored
//! clerks and repeat keys, which is where the planner's rules live. Every function that takes
//! `shops` needs at least one shop.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::calendar::{CivilDate, CivilDateTime, CivilTime};
use crate::clerk::{
    Clerk, ClerkBatch, ClerkBatchDraft, ClerkDraft, ClerkKey, ClerkType, ContactInfo,
    ContactInfoDraft, Gender, StoredClerk,
};
use crate::error_kind::ErrorKind;
use crate::field::FieldPath;
use crate::ids::ShopId;
use crate::limits::{CLERKS_MAX, clerk as len};

/// A store code that [`clerk_batch`] and [`clerk_scenario`] use for a shop outside the account.
pub const UNKNOWN_SHOP: &str = "外部<店>&\"1\"";

/// Characters of generated text; no whitespace, so that wire formats that trim keep it as is.
const CHARS: &[char] = &[
    'a', 'Z', 'm', '0', '7', '-', '_', '.', '/', ';', '老', '王', '码', '农', '浙', '江', '杭',
    '店', '员', '😀', '<', '>', '&', '\'', '"', ']',
];

/// Clerk codes most generated clerks use, so that keys collide.
const CLERK_CODES: &[&str] = &["C001", "C002", "M123", "店员7", "a<&>b"];

/// Text of 1 to `max` characters from a mix of scripts and XML special characters; now and
/// then exactly `max` characters long, the longest a field allows.
pub fn text(max: usize) -> impl Strategy<Value = String> + Clone {
    let short = vec(select(CHARS), 1..=max.clamp(1, 12));
    let longest = vec(select(CHARS), max.max(1));
    prop_oneof![6 => short, 1 => longest, 1 => Just(vec![']', ']', '>'])]
        .prop_map(|chars| chars.into_iter().collect::<String>())
        .prop_filter("within the bound", move |text| {
            text.chars().count() <= max.max(1)
        })
}

/// Text exactly one character longer than `max`.
pub fn too_long(max: usize) -> String {
    "老<&>".chars().cycle().take(max + 1).collect()
}

/// A real date between 1990 and 2030, leap days included.
pub fn civil_date() -> impl Strategy<Value = CivilDate> {
    (1990u16..=2030, 1u8..=12, 1u8..=31).prop_filter_map("a real date", |(year, month, day)| {
        CivilDate::new(year, month, day)
    })
}

/// A real date and time; mostly one of a few hours of 2017-02-10, so that times of different
/// clerks are often equal, earlier or later than each other.
pub fn civil_date_time() -> impl Strategy<Value = CivilDateTime> {
    let near = (0u8..4).prop_filter_map("a real time", |hour| {
        Some(CivilDateTime {
            date: CivilDate::new(2017, 2, 10)?,
            time: CivilTime::new(hour, 0, 0)?,
        })
    });
    let any = (civil_date(), 0u8..24, 0u8..60, 0u8..60).prop_filter_map(
        "a real time",
        |(date, hour, minute, second)| {
            Some(CivilDateTime {
                date,
                time: CivilTime::new(hour, minute, second)?,
            })
        },
    );
    prop_oneof![3 => near, 1 => any]
}

/// A valid clerk code: mostly from a small shared pool.
pub fn clerk_code() -> impl Strategy<Value = String> {
    prop_oneof![3 => select(CLERK_CODES).prop_map(str::to_owned), 1 => text(len::CLERK_CODE_MAX)]
}

/// A valid `contactInfo`.
pub fn contact_info() -> impl Strategy<Value = ContactInfo> {
    let short = || option::of(text(len::CONTACT_SHORT_MAX));
    let phone = || option::of(text(len::CONTACT_PHONE_MAX));
    let people = (
        text(len::CONTACT_SHORT_MAX),
        option::of(civil_date()),
        option::of(select(&[Gender::M, Gender::F][..])),
        short(),
        phone(),
        phone(),
        text(len::CONTACT_PHONE_MAX),
    );
    let places = (
        phone(),
        option::of(text(len::CONTACT_EMAIL_MAX)),
        short(),
        short(),
        short(),
        short(),
        option::of(text(len::CONTACT_ADDRESS_MAX)),
    );
    (people, places).prop_map(
        |(
            (name, birth_date, gender, career, zip_code, tel, mobile),
            (fax, email, province, city, area, town, detail_address),
        )| ContactInfo {
            name,
            birth_date,
            gender,
            career,
            zip_code,
            tel,
            mobile,
            fax,
            email,
            province,
            city,
            area,
            town,
            detail_address,
        },
    )
}

/// Valid `extendProps`: a few entries, now and then the most allowed.
pub fn extend_props() -> impl Strategy<Value = BTreeMap<String, String>> {
    let value = prop_oneof![
        8 => text(30),
        1 => Just(String::new()),
        1 => Just(too_long(len::EXTEND_PROP_VALUE_MAX - 1)),
    ];
    let few = btree_map(text(len::EXTEND_PROP_KEY_MAX), value.clone(), 0..4);
    // Random keys of a full map would often repeat and shrink it, so its keys are numbered.
    let full = (text(20), vec(value, len::EXTEND_PROPS_MAX)).prop_map(|(prefix, values)| {
        values
            .into_iter()
            .enumerate()
            .map(|(i, value)| (format!("{prefix}{i}"), value))
            .collect()
    });
    prop_oneof![8 => few, 1 => full]
}

/// A valid clerk of one of `shops`.
pub fn clerk(shops: &BTreeSet<ShopId>) -> impl Strategy<Value = Clerk> + use<> {
    clerk_at(select(shops.iter().cloned().collect::<Vec<_>>()))
}

fn clerk_at(store: impl Strategy<Value = ShopId>) -> impl Strategy<Value = Clerk> {
    (
        store,
        clerk_code(),
        option::of(text(len::SOURCE_CLERK_CODE_MAX)),
        text(len::CLERK_NAME_MAX),
        select(&ClerkType::ALL[..]),
        option::of(contact_info()),
        prop_oneof![3 => Just(true), 1 => Just(false)],
        option::of(civil_date_time()),
        option::of(civil_date_time()),
        extend_props(),
    )
        .prop_map(
            |(
                store_code,
                clerk_code,
                source_clerk_code,
                clerk_name,
                clerk_type,
                contact_info,
                is_valid,
                create_time,
                latest_update_time,
                extend_props,
            )| Clerk {
                store_code,
                clerk_code,
                source_clerk_code,
                clerk_name,
                clerk_type,
                contact_info,
                is_valid,
                create_time,
                latest_update_time,
                extend_props,
            },
        )
}

/// A clerk of one of `shops`, or now and then of [`UNKNOWN_SHOP`].
fn clerk_maybe_unknown(shops: &BTreeSet<ShopId>) -> impl Strategy<Value = Clerk> + use<> {
    let known = select(shops.iter().cloned().collect::<Vec<_>>());
    clerk_at(prop_oneof![9 => known, 1 => Just(ShopId::new(UNKNOWN_SHOP))])
}

/// Every wire spelling of `clerk` that validates back to it: absent fields sent absent or
/// empty, `isValid` `Y` sent or left out, an absent contact sent as an empty element.
pub fn draft_of(clerk: Clerk) -> impl Strategy<Value = ClerkDraft> {
    let exact = ClerkDraft::from(&clerk);
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(move |(empties, is_valid, contact)| {
        let mut draft = exact.clone();
        if empties {
            for field in [&mut draft.source_clerk_code, &mut draft.create_time] {
                field.get_or_insert_with(String::new);
            }
            if let Some(contact) = &mut draft.contact_info {
                contact.career.get_or_insert_with(String::new);
                contact.birth_date.get_or_insert_with(String::new);
            }
        }
        if is_valid && draft.is_valid.as_deref() == Some("Y") {
            draft.is_valid = None;
        }
        if contact && draft.contact_info.is_none() {
            draft.contact_info = Some(ContactInfoDraft::default());
        }
        draft
    })
}

/// A valid clerk draft of one of `shops`, as an `add` or `update` sends it.
pub fn clerk_draft(shops: &BTreeSet<ShopId>) -> impl Strategy<Value = ClerkDraft> + use<> {
    clerk(shops).prop_flat_map(draft_of)
}

/// `add`, `update` or `delete` in a random letter case.
fn action_spelling(action: &'static str) -> impl Strategy<Value = String> {
    vec(any::<bool>(), action.len()).prop_map(move |upper| {
        action
            .chars()
            .zip(upper)
            .map(|(c, upper)| if upper { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

/// A valid batch of 1 to 8 clerks of `shops` with its wire form: the draft validates to the
/// batch. `total` is sometimes sent; delete drafts sometimes carry fields a delete ignores,
/// invalid ones included.
pub fn valid_batch_draft(
    shops: &BTreeSet<ShopId>,
) -> impl Strategy<Value = (ClerkBatchDraft, ClerkBatch)> + use<> {
    let writes = (
        prop_oneof![Just("add"), Just("update")],
        vec(clerk(shops), 1..=8),
    )
        .prop_flat_map(|(action, clerks)| {
            let drafts: Vec<_> = clerks.iter().cloned().map(draft_of).collect();
            let batch = if action == "add" {
                ClerkBatch::Add(clerks)
            } else {
                ClerkBatch::Update(clerks)
            };
            (action_spelling(action), drafts, Just(batch))
        });
    let deletes = vec((clerk(shops), any::<bool>()), 1..=8).prop_flat_map(|entries| {
        let drafts: Vec<ClerkDraft> = entries
            .iter()
            .map(|(clerk, full)| {
                if *full {
                    ClerkDraft {
                        clerk_type: Some("不是类型".into()),
                        ..ClerkDraft::from(clerk)
                    }
                } else {
                    ClerkDraft::from(&clerk.key())
                }
            })
            .collect();
        let batch = ClerkBatch::Delete(entries.iter().map(|(clerk, _)| clerk.key()).collect());
        (action_spelling("delete"), Just(drafts), Just(batch))
    });
    (prop_oneof![writes, deletes], any::<bool>()).prop_map(|((action, clerks, batch), total)| {
        let total = if total {
            i64::try_from(clerks.len()).ok()
        } else {
            None
        };
        (
            ClerkBatchDraft {
                action_type: Some(action),
                total,
                clerks,
            },
            batch,
        )
    })
}

/// A draft with exactly one field error, and what [`ClerkBatchDraft::validate`] must answer.
#[derive(Debug, Clone)]
pub struct InvalidBatchDraft {
    /// The draft.
    pub draft: ClerkBatchDraft,
    /// The kind of the first (and only) field error.
    pub kind: ErrorKind,
    /// The field it names.
    pub field: FieldPath,
}

/// Drafts with one field error each, of every kind the validation knows: header errors,
/// key errors under any action, and the errors of fields only `add` and `update` read.
pub fn invalid_batch_draft() -> impl Strategy<Value = InvalidBatchDraft> {
    let shops = BTreeSet::from([ShopId::new("M123"), ShopId::new("店<1>&")]);
    let any_action = || valid_batch_draft(&shops).prop_map(|(draft, _)| draft);
    let writes = valid_batch_draft(&shops)
        .prop_filter("add or update", |(_, batch)| {
            !matches!(batch, ClerkBatch::Delete(_))
        })
        .prop_map(|(draft, _)| draft);
    let header = (any_action(), header_breakage());
    let key = (any_action(), any::<Index>(), key_breakage());
    let fields = (writes, any::<Index>(), field_breakage());
    prop_oneof![
        header.prop_map(|(mut draft, breakage)| {
            let (kind, field) = breakage(&mut draft);
            InvalidBatchDraft { draft, kind, field }
        }),
        key.prop_map(|(mut draft, index, breakage)| {
            let index = index.index(draft.clerks.len());
            let (kind, field) = breakage(&mut draft.clerks[index], &at(index));
            InvalidBatchDraft { draft, kind, field }
        }),
        fields.prop_map(|(mut draft, index, breakage)| {
            let index = index.index(draft.clerks.len());
            let (kind, field) = breakage(&mut draft.clerks[index], &at(index));
            InvalidBatchDraft { draft, kind, field }
        }),
    ]
}

fn at(index: usize) -> FieldPath {
    FieldPath::new("clerks").at(index)
}

type HeaderBreakage = fn(&mut ClerkBatchDraft) -> (ErrorKind, FieldPath);
type ClerkBreakage = fn(&mut ClerkDraft, &FieldPath) -> (ErrorKind, FieldPath);

fn header_breakage() -> impl Strategy<Value = HeaderBreakage> {
    let breakages: Vec<HeaderBreakage> = vec![
        |draft| {
            draft.action_type = None;
            (ErrorKind::MissingField, FieldPath::new("actionType"))
        },
        |draft| {
            draft.action_type = Some(String::new());
            (ErrorKind::MissingField, FieldPath::new("actionType"))
        },
        |draft| {
            draft.action_type = Some("新增".into());
            (ErrorKind::InvalidField, FieldPath::new("actionType"))
        },
        |draft| {
            draft.action_type = Some("add ".into());
            (ErrorKind::InvalidField, FieldPath::new("actionType"))
        },
        |draft| {
            draft.total = i64::try_from(draft.clerks.len() + 1).ok();
            (ErrorKind::InvalidField, FieldPath::new("total"))
        },
        |draft| {
            draft.total = Some(-1);
            (ErrorKind::InvalidField, FieldPath::new("total"))
        },
        |draft| {
            draft.total = None;
            draft.clerks.clear();
            (ErrorKind::MissingField, FieldPath::new("clerks"))
        },
        |draft| {
            draft.total = None;
            let first = draft.clerks.first().cloned().unwrap_or_default();
            draft.clerks.resize(CLERKS_MAX + 1, first);
            (ErrorKind::TooManyItems, FieldPath::new("clerks"))
        },
    ];
    select(breakages)
}

fn key_breakage() -> impl Strategy<Value = ClerkBreakage> {
    let breakages: Vec<ClerkBreakage> = vec![
        |clerk, at| {
            clerk.store_code = None;
            (ErrorKind::MissingField, at.member("storeCode"))
        },
        |clerk, at| {
            clerk.store_code = Some(too_long(len::STORE_CODE_MAX));
            (ErrorKind::InvalidField, at.member("storeCode"))
        },
        |clerk, at| {
            clerk.clerk_code = Some(String::new());
            (ErrorKind::MissingField, at.member("clerkCode"))
        },
        |clerk, at| {
            clerk.clerk_code = Some(too_long(len::CLERK_CODE_MAX));
            (ErrorKind::InvalidField, at.member("clerkCode"))
        },
    ];
    select(breakages)
}

/// A contact that validates, for breakages of one of its fields.
fn valid_contact(clerk: &mut ClerkDraft) -> &mut ContactInfoDraft {
    let contact = clerk
        .contact_info
        .get_or_insert_with(ContactInfoDraft::default);
    contact.name.get_or_insert_with(|| "老王".into());
    contact.mobile.get_or_insert_with(|| "123456".into());
    contact
}

/// Removes one `extendProps` entry, so that adding a broken one keeps within the entry bound.
fn evict_one_prop(clerk: &mut ClerkDraft) {
    clerk.extend_props.pop_first();
}

fn field_breakage() -> impl Strategy<Value = ClerkBreakage> {
    let breakages: Vec<ClerkBreakage> = vec![
        |clerk, at| {
            clerk.source_clerk_code = Some(too_long(len::SOURCE_CLERK_CODE_MAX));
            (ErrorKind::InvalidField, at.member("sourceClerkCode"))
        },
        |clerk, at| {
            clerk.clerk_name = None;
            (ErrorKind::MissingField, at.member("clerkName"))
        },
        |clerk, at| {
            clerk.clerk_name = Some(too_long(len::CLERK_NAME_MAX));
            (ErrorKind::InvalidField, at.member("clerkName"))
        },
        |clerk, at| {
            clerk.clerk_type = Some(String::new());
            (ErrorKind::MissingField, at.member("clerkType"))
        },
        |clerk, at| {
            clerk.clerk_type = Some("dz".into());
            (ErrorKind::InvalidField, at.member("clerkType"))
        },
        |clerk, at| {
            valid_contact(clerk).name = None;
            (
                ErrorKind::MissingField,
                at.member("contactInfo").member("name"),
            )
        },
        |clerk, at| {
            valid_contact(clerk).mobile = Some(String::new());
            (
                ErrorKind::MissingField,
                at.member("contactInfo").member("mobile"),
            )
        },
        |clerk, at| {
            valid_contact(clerk).birth_date = Some("2017-02-29".into());
            (
                ErrorKind::InvalidField,
                at.member("contactInfo").member("birthDate"),
            )
        },
        |clerk, at| {
            valid_contact(clerk).gender = Some("男".into());
            (
                ErrorKind::InvalidField,
                at.member("contactInfo").member("gender"),
            )
        },
        |clerk, at| {
            valid_contact(clerk).email = Some(too_long(len::CONTACT_EMAIL_MAX));
            (
                ErrorKind::InvalidField,
                at.member("contactInfo").member("email"),
            )
        },
        |clerk, at| {
            valid_contact(clerk).detail_address = Some(too_long(len::CONTACT_ADDRESS_MAX));
            (
                ErrorKind::InvalidField,
                at.member("contactInfo").member("detailAddress"),
            )
        },
        |clerk, at| {
            clerk.is_valid = Some("y".into());
            (ErrorKind::InvalidField, at.member("isValid"))
        },
        |clerk, at| {
            clerk.create_time = Some("2017-02-10T00:00:00".into());
            (ErrorKind::InvalidField, at.member("createTime"))
        },
        |clerk, at| {
            clerk.latest_update_time = Some("2017-02-10 24:00:00".into());
            (ErrorKind::InvalidField, at.member("latestUpdateTime"))
        },
        |clerk, at| {
            clerk.extend_props = (0..=len::EXTEND_PROPS_MAX)
                .map(|i| (i.to_string(), "值".into()))
                .collect();
            (ErrorKind::TooManyItems, at.member("extendProps"))
        },
        |clerk, at| {
            evict_one_prop(clerk);
            let key = too_long(len::EXTEND_PROP_KEY_MAX);
            clerk.extend_props.insert(key.clone(), "v".into());
            (
                ErrorKind::InvalidField,
                at.member("extendProps").member(&key),
            )
        },
        |clerk, at| {
            evict_one_prop(clerk);
            clerk
                .extend_props
                .insert("备注".into(), too_long(len::EXTEND_PROP_VALUE_MAX));
            (
                ErrorKind::InvalidField,
                at.member("extendProps").member("备注"),
            )
        },
    ];
    select(breakages)
}

/// Stored clerks of `shops`: up to 8, about one in four deleted.
pub fn current_clerks(
    shops: &BTreeSet<ShopId>,
) -> impl Strategy<Value = BTreeMap<ClerkKey, StoredClerk>> + use<> {
    let stored = (clerk(shops), prop_oneof![3 => Just(false), 1 => Just(true)])
        .prop_map(|(clerk, deleted)| StoredClerk { clerk, deleted });
    vec(stored, 0..=8).prop_map(|stored| {
        stored
            .into_iter()
            .map(|stored| (stored.clerk.key(), stored))
            .collect()
    })
}

/// A batch of 1 to 8 clerks, mostly of `shops` and now and then of [`UNKNOWN_SHOP`].
pub fn clerk_batch(shops: &BTreeSet<ShopId>) -> impl Strategy<Value = ClerkBatch> + use<> {
    let clerks = vec(clerk_maybe_unknown(shops), 1..=8);
    (0..3u8, clerks).prop_map(|(action, clerks)| batch_of(action, clerks))
}

fn batch_of(action: u8, clerks: Vec<Clerk>) -> ClerkBatch {
    match action {
        0 => ClerkBatch::Add(clerks),
        1 => ClerkBatch::Update(clerks),
        _ => ClerkBatch::Delete(clerks.iter().map(Clerk::key).collect()),
    }
}

/// Stored clerks and a batch that often names them: entries are fresh clerks, or stored clerks
/// sent again as they are, renamed, or with another `latestUpdateTime`. Every rule of the
/// planner is reached.
pub fn clerk_scenario(
    shops: &BTreeSet<ShopId>,
) -> impl Strategy<Value = (BTreeMap<ClerkKey, StoredClerk>, ClerkBatch)> + use<> {
    let shops = shops.clone();
    current_clerks(&shops).prop_flat_map(move |current| {
        let stored: Vec<Clerk> = current
            .values()
            .map(|stored| stored.clerk.clone())
            .collect();
        let fresh = clerk_maybe_unknown(&shops).boxed();
        let entry = if stored.is_empty() {
            fresh
        } else {
            let resent = (select(stored), 0..4u8, option::of(civil_date_time())).prop_map(
                |(clerk, tweak, time)| match tweak {
                    0 | 1 => clerk,
                    2 => {
                        let clerk_name = if clerk.clerk_name == "改名<&>" {
                            "改名"
                        } else {
                            "改名<&>"
                        };
                        Clerk {
                            clerk_name: clerk_name.into(),
                            ..clerk
                        }
                    }
                    _ => Clerk {
                        latest_update_time: time,
                        ..clerk
                    },
                },
            );
            prop_oneof![1 => fresh, 2 => resent].boxed()
        };
        (Just(current), 0..3u8, vec(entry, 1..=8))
            .prop_map(|(current, action, clerks)| (current, batch_of(action, clerks)))
    })
}
