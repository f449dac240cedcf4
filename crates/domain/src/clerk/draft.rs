//! A clerk synchronisation request as plain data, and its field validation (1002, 1003, 1004).

use std::collections::BTreeMap;

use super::{Clerk, ClerkAction, ClerkKey, ClerkType, ContactInfo, Gender};
use crate::calendar::{CivilDate, CivilDateTime};
use crate::field::{
    FieldError, FieldPath, FieldProblem, char_len, check_item_count, optional_text, required_text,
};
use crate::ids::ShopId;
use crate::limits::{CountLimits, clerk as len};

/// The accepted spellings of `isValid`.
const IS_VALID_CODES: &[&str] = &["Y", "N"];

/// A Qimen clerk request as a wire reader fills it in: every field optional, nothing checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClerkBatchDraft {
    /// `actionType`, required: `add`, `update` or `delete` in any letter case.
    pub action_type: Option<String>,
    /// `total`; when present it must equal the number of clerks.
    pub total: Option<i64>,
    /// `clerks`: 1 to 500.
    pub clerks: Vec<ClerkDraft>,
}

/// One clerk as a wire reader fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClerkDraft {
    /// `storeCode`, required, at most 32 characters.
    pub store_code: Option<String>,
    /// `clerkCode`, required, at most 32 characters.
    pub clerk_code: Option<String>,
    /// `sourceClerkCode`, at most 32 characters.
    pub source_clerk_code: Option<String>,
    /// `clerkName`, required for add and update, at most 50 characters.
    pub clerk_name: Option<String>,
    /// `clerkType`, required for add and update: `DZ`, `SYY`, `SHY` or `OTHER`.
    pub clerk_type: Option<String>,
    /// `contactInfo`.
    pub contact_info: Option<ContactInfoDraft>,
    /// `isValid`: `Y` or `N`, absent means `Y`.
    pub is_valid: Option<String>,
    /// `createTime`: `YYYY-MM-DD hh:mm:ss`.
    pub create_time: Option<String>,
    /// `latestUpdateTime`: `YYYY-MM-DD hh:mm:ss`.
    pub latest_update_time: Option<String>,
    /// `extendProps`: at most 50 entries; keys at most 64 characters, values at most 1000.
    pub extend_props: BTreeMap<String, String>,
}

/// A clerk's `contactInfo` as a wire reader fills it in, fields in the seed's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInfoDraft {
    /// `name`, required, at most 50 characters.
    pub name: Option<String>,
    /// `birthDate`: a real date `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `gender`: `M` or `F`.
    pub gender: Option<String>,
    /// `career`, at most 50 characters.
    pub career: Option<String>,
    /// `zipCode`, at most 30 characters.
    pub zip_code: Option<String>,
    /// `tel`, at most 30 characters.
    pub tel: Option<String>,
    /// `mobile`, required, at most 30 characters.
    pub mobile: Option<String>,
    /// `fax`, at most 30 characters.
    pub fax: Option<String>,
    /// `email`, at most 100 characters, any text.
    pub email: Option<String>,
    /// `province`, at most 50 characters.
    pub province: Option<String>,
    /// `city`, at most 50 characters.
    pub city: Option<String>,
    /// `area`, at most 50 characters.
    pub area: Option<String>,
    /// `town`, at most 50 characters.
    pub town: Option<String>,
    /// `detailAddress`, at most 200 characters.
    pub detail_address: Option<String>,
}

/// A validated request: its action and its clerks, in request order, never more than 500.
///
/// The action decides what each entry carries, so a batch cannot mix full clerks into a delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClerkBatch {
    /// `add` of full clerks.
    Add(Vec<Clerk>),
    /// `update` of full clerks.
    Update(Vec<Clerk>),
    /// `delete` of clerks by key.
    Delete(Vec<ClerkKey>),
}

impl ClerkBatch {
    /// The request's `actionType`.
    pub fn action(&self) -> ClerkAction {
        match self {
            ClerkBatch::Add(_) => ClerkAction::Add,
            ClerkBatch::Update(_) => ClerkAction::Update,
            ClerkBatch::Delete(_) => ClerkAction::Delete,
        }
    }

    /// The number of clerks.
    pub fn len(&self) -> usize {
        match self {
            ClerkBatch::Add(clerks) | ClerkBatch::Update(clerks) => clerks.len(),
            ClerkBatch::Delete(keys) => keys.len(),
        }
    }

    /// Whether the batch has no clerk (a validated batch always has at least one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key of every clerk, in request order.
    pub fn keys(&self) -> Vec<ClerkKey> {
        match self {
            ClerkBatch::Add(clerks) | ClerkBatch::Update(clerks) => {
                clerks.iter().map(Clerk::key).collect()
            }
            ClerkBatch::Delete(keys) => keys.clone(),
        }
    }
}

impl ClerkBatchDraft {
    /// Checks every field and returns the batch, or the first field error in document order:
    /// `actionType`, `total`, `clerks`, then each clerk's fields in the seed's order. It allows
    /// the contract's 500 clerks ([`CountLimits::DEFAULT`]; see
    /// [`validate_within`](Self::validate_within) for a server's own count).
    ///
    /// ```
    /// use posbridge_domain::clerk::{ClerkBatch, ClerkBatchDraft, ClerkDraft, ContactInfoDraft};
    /// use posbridge_domain::field::FieldError;
    ///
    /// let clerk = ClerkDraft {
    ///     store_code: Some("M123".into()),
    ///     clerk_code: Some("M123".into()),
    ///     clerk_name: Some("Y123".into()),
    ///     clerk_type: Some("DZ".into()),
    ///     contact_info: Some(ContactInfoDraft { name: Some("老王".into()), ..Default::default() }),
    ///     ..ClerkDraft::default()
    /// };
    /// let draft = ClerkBatchDraft {
    ///     action_type: Some("add".into()),
    ///     total: None,
    ///     clerks: vec![clerk.clone()],
    /// };
    /// // A contact needs a mobile number.
    /// let err = draft.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "required field clerks[0].contactInfo.mobile is missing");
    ///
    /// // A delete reads only the key, so the same clerk is fine there.
    /// let delete = ClerkBatchDraft { action_type: Some("DELETE".into()), ..draft };
    /// let ClerkBatch::Delete(keys) = delete.validate().unwrap() else { unreachable!() };
    /// assert_eq!(keys[0].clerk_code, "M123");
    /// ```
    pub fn validate(&self) -> Result<ClerkBatch, FieldError> {
        self.validate_within(CountLimits::DEFAULT)
    }

    /// [`validate`](Self::validate), allowing at most `limits.clerks()` clerks: more is
    /// [`FieldError::TooMany`] (1004).
    pub fn validate_within(&self, limits: CountLimits) -> Result<ClerkBatch, FieldError> {
        let action = self.action()?;
        let clerks_field = FieldPath::new("clerks");
        if let Some(declared) = self.total {
            let actual = self.clerks.len();
            if i64::try_from(actual).ok() != Some(declared) {
                return Err(FieldError::invalid(
                    &FieldPath::new("total"),
                    FieldProblem::CountMismatch { declared, actual },
                ));
            }
        }
        check_item_count(self.clerks.len(), &clerks_field, limits.clerks())?;
        let paths = (0..self.clerks.len()).map(|index| clerks_field.at(index));
        let batch = match action {
            ClerkAction::Add | ClerkAction::Update => {
                let clerks = self
                    .clerks
                    .iter()
                    .zip(paths)
                    .map(|(draft, path)| draft.validate(&path))
                    .collect::<Result<Vec<_>, _>>()?;
                if action == ClerkAction::Add {
                    ClerkBatch::Add(clerks)
                } else {
                    ClerkBatch::Update(clerks)
                }
            }
            ClerkAction::Delete => ClerkBatch::Delete(
                self.clerks
                    .iter()
                    .zip(paths)
                    .map(|(draft, path)| draft.validate_key(&path))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(batch)
    }

    fn action(&self) -> Result<ClerkAction, FieldError> {
        let field = FieldPath::new("actionType");
        let text = required_text(self.action_type.as_deref(), &field, usize::MAX)?;
        ClerkAction::parse(&text).ok_or_else(|| {
            FieldError::invalid(
                &field,
                FieldProblem::NotOneOf {
                    allowed: ClerkAction::CODES,
                },
            )
        })
    }
}

impl ClerkDraft {
    /// Checks the fields `add` and `update` read, reporting errors under `at` (`clerks[3]`).
    ///
    /// ```
    /// use posbridge_domain::clerk::{ClerkDraft, ClerkType};
    /// use posbridge_domain::field::FieldPath;
    ///
    /// let draft = ClerkDraft {
    ///     store_code: Some("M123".into()),
    ///     clerk_code: Some("C001".into()),
    ///     clerk_name: Some("小李".into()),
    ///     clerk_type: Some("SHY".into()),
    ///     is_valid: Some("N".into()),
    ///     latest_update_time: Some("2017-02-10 08:30:00".into()),
    ///     ..ClerkDraft::default()
    /// };
    /// let clerk = draft.validate(&FieldPath::new("clerks").at(0)).unwrap();
    /// assert_eq!(clerk.clerk_type, ClerkType::Shy);
    /// assert!(!clerk.is_valid);
    ///
    /// let lower_case = ClerkDraft { clerk_type: Some("shy".into()), ..draft };
    /// let err = lower_case.validate(&FieldPath::new("clerks").at(0)).unwrap_err();
    /// assert_eq!(err.to_string(), "field clerks[0].clerkType must be one of DZ, SYY, SHY, OTHER");
    /// ```
    pub fn validate(&self, at: &FieldPath) -> Result<Clerk, FieldError> {
        let key = self.validate_key(at)?;
        let text = |value: &Option<String>, name: &str, max| {
            optional_text(value.as_deref(), &at.member(name), max)
        };
        let source_clerk_code = text(
            &self.source_clerk_code,
            "sourceClerkCode",
            len::SOURCE_CLERK_CODE_MAX,
        )?;
        let clerk_name = required_text(
            self.clerk_name.as_deref(),
            &at.member("clerkName"),
            len::CLERK_NAME_MAX,
        )?;
        let clerk_type = self.clerk_type(&at.member("clerkType"))?;
        let contact_info = match &self.contact_info {
            Some(contact) if !contact.is_empty() => {
                Some(contact.validate(&at.member("contactInfo"))?)
            }
            _ => None,
        };
        let is_valid = self.is_valid(&at.member("isValid"))?;
        let create_time = date_time(self.create_time.as_deref(), &at.member("createTime"))?;
        let latest_update_time = date_time(
            self.latest_update_time.as_deref(),
            &at.member("latestUpdateTime"),
        )?;
        let extend_props = self.extend_props(&at.member("extendProps"))?;
        Ok(Clerk {
            store_code: key.store_code,
            clerk_code: key.clerk_code,
            source_clerk_code,
            clerk_name,
            clerk_type,
            contact_info,
            is_valid,
            create_time,
            latest_update_time,
            extend_props,
        })
    }

    /// Checks only `storeCode` and `clerkCode`, the fields a `delete` reads.
    pub fn validate_key(&self, at: &FieldPath) -> Result<ClerkKey, FieldError> {
        let store_code = required_text(
            self.store_code.as_deref(),
            &at.member("storeCode"),
            len::STORE_CODE_MAX,
        )?;
        let clerk_code = required_text(
            self.clerk_code.as_deref(),
            &at.member("clerkCode"),
            len::CLERK_CODE_MAX,
        )?;
        Ok(ClerkKey::new(ShopId::new(store_code), clerk_code))
    }

    fn clerk_type(&self, field: &FieldPath) -> Result<ClerkType, FieldError> {
        let text = required_text(self.clerk_type.as_deref(), field, usize::MAX)?;
        ClerkType::parse(&text).ok_or_else(|| {
            FieldError::invalid(
                field,
                FieldProblem::NotOneOf {
                    allowed: ClerkType::CODES,
                },
            )
        })
    }

    fn is_valid(&self, field: &FieldPath) -> Result<bool, FieldError> {
        match self.is_valid.as_deref() {
            None | Some("") | Some("Y") => Ok(true),
            Some("N") => Ok(false),
            Some(_) => Err(FieldError::invalid(
                field,
                FieldProblem::NotOneOf {
                    allowed: IS_VALID_CODES,
                },
            )),
        }
    }

    fn extend_props(&self, field: &FieldPath) -> Result<BTreeMap<String, String>, FieldError> {
        let given = self.extend_props.len();
        if given > len::EXTEND_PROPS_MAX {
            return Err(FieldError::TooMany {
                field: field.clone(),
                max: len::EXTEND_PROPS_MAX,
                given,
            });
        }
        for (key, value) in &self.extend_props {
            let entry = field.member(key);
            // The key is checked first: a too long key makes its own path unreadable.
            let key_len = char_len(key);
            if key_len > len::EXTEND_PROP_KEY_MAX {
                let problem = FieldProblem::TooLong {
                    max: len::EXTEND_PROP_KEY_MAX,
                    given: key_len,
                };
                return Err(FieldError::invalid(&entry, problem));
            }
            let value_len = char_len(value);
            if value_len > len::EXTEND_PROP_VALUE_MAX {
                let problem = FieldProblem::TooLong {
                    max: len::EXTEND_PROP_VALUE_MAX,
                    given: value_len,
                };
                return Err(FieldError::invalid(&entry, problem));
            }
        }
        Ok(self.extend_props.clone())
    }
}

impl ContactInfoDraft {
    /// Whether every field is absent or empty; such a `contactInfo` counts as absent.
    pub fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.birth_date,
            &self.gender,
            &self.career,
            &self.zip_code,
            &self.tel,
            &self.mobile,
            &self.fax,
            &self.email,
            &self.province,
            &self.city,
            &self.area,
            &self.town,
            &self.detail_address,
        ]
        .into_iter()
        .all(|value| value.as_deref().is_none_or(str::is_empty))
    }

    /// Checks every field, reporting errors under `at` (`clerks[0].contactInfo`).
    pub fn validate(&self, at: &FieldPath) -> Result<ContactInfo, FieldError> {
        let text = |value: &Option<String>, name: &str, max| {
            optional_text(value.as_deref(), &at.member(name), max)
        };
        let name = required_text(
            self.name.as_deref(),
            &at.member("name"),
            len::CONTACT_SHORT_MAX,
        )?;
        let birth_date = self.birth_date(&at.member("birthDate"))?;
        let gender = self.gender(&at.member("gender"))?;
        let career = text(&self.career, "career", len::CONTACT_SHORT_MAX)?;
        let zip_code = text(&self.zip_code, "zipCode", len::CONTACT_PHONE_MAX)?;
        let tel = text(&self.tel, "tel", len::CONTACT_PHONE_MAX)?;
        let mobile = required_text(
            self.mobile.as_deref(),
            &at.member("mobile"),
            len::CONTACT_PHONE_MAX,
        )?;
        let fax = text(&self.fax, "fax", len::CONTACT_PHONE_MAX)?;
        let email = text(&self.email, "email", len::CONTACT_EMAIL_MAX)?;
        let province = text(&self.province, "province", len::CONTACT_SHORT_MAX)?;
        let city = text(&self.city, "city", len::CONTACT_SHORT_MAX)?;
        let area = text(&self.area, "area", len::CONTACT_SHORT_MAX)?;
        let town = text(&self.town, "town", len::CONTACT_SHORT_MAX)?;
        let detail_address = text(
            &self.detail_address,
            "detailAddress",
            len::CONTACT_ADDRESS_MAX,
        )?;
        Ok(ContactInfo {
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
        })
    }

    fn birth_date(&self, field: &FieldPath) -> Result<Option<CivilDate>, FieldError> {
        match self.birth_date.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => CivilDate::parse_dashed(text).map(Some).ok_or_else(|| {
                FieldError::invalid(
                    field,
                    FieldProblem::BadDateTime {
                        layout: "YYYY-MM-DD",
                    },
                )
            }),
        }
    }

    fn gender(&self, field: &FieldPath) -> Result<Option<Gender>, FieldError> {
        match self.gender.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => Gender::parse(text).map(Some).ok_or_else(|| {
                FieldError::invalid(
                    field,
                    FieldProblem::NotOneOf {
                        allowed: Gender::CODES,
                    },
                )
            }),
        }
    }
}

/// An optional `YYYY-MM-DD hh:mm:ss` field.
fn date_time(value: Option<&str>, field: &FieldPath) -> Result<Option<CivilDateTime>, FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => CivilDateTime::parse(text).map(Some).ok_or_else(|| {
            FieldError::invalid(
                field,
                FieldProblem::BadDateTime {
                    layout: "YYYY-MM-DD hh:mm:ss",
                },
            )
        }),
    }
}

/// The wire form of a validated clerk, so that `validate` gives the clerk back.
impl From<&Clerk> for ClerkDraft {
    fn from(clerk: &Clerk) -> ClerkDraft {
        ClerkDraft {
            store_code: Some(clerk.store_code.as_str().to_owned()),
            clerk_code: Some(clerk.clerk_code.clone()),
            source_clerk_code: clerk.source_clerk_code.clone(),
            clerk_name: Some(clerk.clerk_name.clone()),
            clerk_type: Some(clerk.clerk_type.as_str().to_owned()),
            contact_info: clerk.contact_info.as_ref().map(ContactInfoDraft::from),
            is_valid: Some(if clerk.is_valid { "Y" } else { "N" }.to_owned()),
            create_time: clerk.create_time.map(|time| time.to_string()),
            latest_update_time: clerk.latest_update_time.map(|time| time.to_string()),
            extend_props: clerk.extend_props.clone(),
        }
    }
}

/// The wire form of a validated clerk key, as a `delete` sends it.
impl From<&ClerkKey> for ClerkDraft {
    fn from(key: &ClerkKey) -> ClerkDraft {
        ClerkDraft {
            store_code: Some(key.store_code.as_str().to_owned()),
            clerk_code: Some(key.clerk_code.clone()),
            ..ClerkDraft::default()
        }
    }
}

/// The wire form of a validated contact.
impl From<&ContactInfo> for ContactInfoDraft {
    fn from(contact: &ContactInfo) -> ContactInfoDraft {
        ContactInfoDraft {
            name: Some(contact.name.clone()),
            birth_date: contact.birth_date.map(|date| date.to_string()),
            gender: contact.gender.map(|gender| gender.as_str().to_owned()),
            career: contact.career.clone(),
            zip_code: contact.zip_code.clone(),
            tel: contact.tel.clone(),
            mobile: Some(contact.mobile.clone()),
            fax: contact.fax.clone(),
            email: contact.email.clone(),
            province: contact.province.clone(),
            city: contact.city.clone(),
            area: contact.area.clone(),
            town: contact.town.clone(),
            detail_address: contact.detail_address.clone(),
        }
    }
}

/// The wire form of a validated batch, with `total` set.
impl From<&ClerkBatch> for ClerkBatchDraft {
    fn from(batch: &ClerkBatch) -> ClerkBatchDraft {
        let clerks: Vec<ClerkDraft> = match batch {
            ClerkBatch::Add(clerks) | ClerkBatch::Update(clerks) => {
                clerks.iter().map(ClerkDraft::from).collect()
            }
            ClerkBatch::Delete(keys) => keys.iter().map(ClerkDraft::from).collect(),
        };
        ClerkBatchDraft {
            action_type: Some(batch.action().as_str().to_owned()),
            total: i64::try_from(clerks.len()).ok(),
            clerks,
        }
    }
}
