//! The `contacts` table: create, read, update, list, and subscription status
//! changes (each of which appends to the consent ledger). Editing lives in
//! `update`, the contact table's filtered, sorted pages in `page`.

mod page;
mod update;

pub(crate) use page::{cursor_contact as page_cursor_contact, page_of_rowids};
pub use page::{page, Direction, Page, PageQuery, SortField};
pub use update::{update, ContactPatch};

use anyhow::{anyhow, Context};
use chrono::{DateTime, Utc};
use herald_core::{
    Channel, ConsentAction, ContactId, CountryCode, CustomFields, EmailAddress, EmailStatus, Money,
    PhoneNumber, SmsStatus,
};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::consent_events::{self, ConsentInput};
use crate::error::is_unique_violation;
use crate::{from_millis, generation, now_millis, tags, Result, Store, StoreError};

/// When, where and how a contact consented on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub at: DateTime<Utc>,
    pub source: String,
    pub method: String,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<CountryCode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub revenue: Money,
    pub custom: CustomFields,
    pub email_status: EmailStatus,
    pub sms_status: SmsStatus,
    pub email_consent: Option<Consent>,
    pub sms_consent: Option<Consent>,
    pub tags: Vec<String>,
}

impl Contact {
    /// "First Last", or the email, or the phone: what a list shows.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            name
        } else if let Some(email) = &self.email {
            email.to_string()
        } else {
            self.phone
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        }
    }
}

/// The fields a user supplies when creating a contact. Text fields are
/// trimmed; empty text means "absent".
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<CountryCode>,
    pub revenue: Option<Money>,
    pub custom: CustomFields,
    pub tags: Vec<String>,
    /// Consent to record for the email channel (the contact starts subscribed).
    pub email_consent: Option<ConsentInput>,
    /// Consent to record for the SMS channel.
    pub sms_consent: Option<ConsentInput>,
}

/// Trims `value` and turns empty text into `None`.
pub fn clean_text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[derive(FromRow)]
struct ContactRow {
    id: uuid::Uuid,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    created_at: i64,
    updated_at: i64,
    last_interaction_at: Option<i64>,
    revenue_minor: i64,
    revenue_currency: String,
    custom: String,
    email_status: String,
    sms_status: String,
    email_consent_at: Option<i64>,
    email_consent_source: Option<String>,
    email_consent_method: Option<String>,
    sms_consent_at: Option<i64>,
    sms_consent_source: Option<String>,
    sms_consent_method: Option<String>,
}

const COLUMNS: &str = "id, first_name, last_name, email, phone, company, city, region, country, \
    created_at, updated_at, last_interaction_at, revenue_minor, revenue_currency, custom, \
    email_status, sms_status, email_consent_at, email_consent_source, email_consent_method, \
    sms_consent_at, sms_consent_source, sms_consent_method";

fn consent(at: Option<i64>, source: Option<String>, method: Option<String>) -> Option<Consent> {
    at.map(|at| Consent {
        at: from_millis(at),
        source: source.unwrap_or_default(),
        method: method.unwrap_or_default(),
    })
}

impl ContactRow {
    /// Rebuilds the typed contact. Stored values were validated on the way in,
    /// so a parse failure here means the file was edited behind our back.
    fn into_contact(self, tags: Vec<String>) -> Result<Contact> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            StoreError::Internal(anyhow!(
                "contact {}: stored {what} is unreadable: {e}",
                self.id
            ))
        };
        let email = match &self.email {
            Some(raw) => Some(EmailAddress::parse(raw).map_err(|e| corrupt("email", &e))?),
            None => None,
        };
        let phone = match &self.phone {
            Some(raw) => Some(PhoneNumber::parse(raw, None).map_err(|e| corrupt("phone", &e))?),
            None => None,
        };
        let country = match &self.country {
            Some(raw) => Some(CountryCode::parse(raw).map_err(|e| corrupt("country", &e))?),
            None => None,
        };
        let currency = herald_core::Currency::parse(&self.revenue_currency)
            .map_err(|e| corrupt("currency", &e))?;
        let custom =
            CustomFields::from_json_str(&self.custom).map_err(|e| corrupt("custom", &e))?;
        let email_status =
            EmailStatus::parse(&self.email_status).map_err(|e| corrupt("email_status", &e))?;
        let sms_status =
            SmsStatus::parse(&self.sms_status).map_err(|e| corrupt("sms_status", &e))?;
        Ok(Contact {
            id: ContactId::from_uuid(self.id),
            first_name: self.first_name,
            last_name: self.last_name,
            email,
            phone,
            company: self.company,
            city: self.city,
            region: self.region,
            country,
            created_at: from_millis(self.created_at),
            updated_at: from_millis(self.updated_at),
            last_interaction_at: self.last_interaction_at.map(from_millis),
            revenue: Money::from_minor(self.revenue_minor, currency),
            custom,
            email_status,
            sms_status,
            email_consent: consent(
                self.email_consent_at,
                self.email_consent_source,
                self.email_consent_method,
            ),
            sms_consent: consent(
                self.sms_consent_at,
                self.sms_consent_source,
                self.sms_consent_method,
            ),
            tags,
        })
    }
}

/// Creates a contact, its tags and the consent it came with, in one write
/// transaction. An email or phone already in use is a `Conflict`.
pub async fn create(store: &Store, new: NewContact) -> Result<Contact> {
    if new.email.is_none() && new.phone.is_none() {
        return Err(StoreError::validation(
            "email",
            "a contact needs an email address or a phone number",
        ));
    }
    let default_currency = crate::settings::default_currency(store).await?;
    let id = ContactId::new();
    let now = now_millis();
    let revenue = new.revenue.unwrap_or_else(|| Money::zero(default_currency));
    let mut tx = store.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO contacts (id, first_name, last_name, email, phone, company, city, region,
             country, created_at, updated_at, revenue_minor, revenue_currency, custom,
             email_consent_at, email_consent_source, email_consent_method,
             sms_consent_at, sms_consent_source, sms_consent_method)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_uuid())
    .bind(clean_text(new.first_name.as_deref()))
    .bind(clean_text(new.last_name.as_deref()))
    .bind(new.email.as_ref().map(EmailAddress::as_str))
    .bind(new.phone.as_ref().map(PhoneNumber::as_str))
    .bind(clean_text(new.company.as_deref()))
    .bind(clean_text(new.city.as_deref()))
    .bind(clean_text(new.region.as_deref()))
    .bind(new.country.map(|c| c.as_str().to_owned()))
    .bind(now)
    .bind(now)
    .bind(revenue.minor())
    .bind(revenue.currency().code())
    .bind(new.custom.to_json_string())
    .bind(new.email_consent.as_ref().map(|c| c.at_millis()))
    .bind(new.email_consent.as_ref().map(|c| c.source.clone()))
    .bind(new.email_consent.as_ref().map(|c| c.method.clone()))
    .bind(new.sms_consent.as_ref().map(|c| c.at_millis()))
    .bind(new.sms_consent.as_ref().map(|c| c.source.clone()))
    .bind(new.sms_consent.as_ref().map(|c| c.method.clone()))
    .execute(&mut *tx)
    .await;
    if let Err(err) = inserted {
        if is_unique_violation(&err) {
            return Err(conflict_for(&mut tx, new.email.as_ref(), new.phone.as_ref()).await);
        }
        return Err(StoreError::Internal(
            anyhow::Error::new(err).context("inserting a contact"),
        ));
    }
    for tag in &new.tags {
        let tag_id = tags::ensure(&mut tx, tag).await?;
        tags::attach(&mut tx, id, tag_id).await?;
    }
    if let Some(c) = &new.email_consent {
        consent_events::append(
            &mut tx,
            id,
            Channel::Email,
            ConsentAction::Granted,
            "subscribed",
            c,
        )
        .await?;
    }
    if let Some(c) = &new.sms_consent {
        consent_events::append(
            &mut tx,
            id,
            Channel::Sms,
            ConsentAction::Granted,
            "subscribed",
            c,
        )
        .await?;
    }
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing a new contact")?;
    get(store, id).await
}

/// Explains which unique field a failed insert or update collided on.
async fn conflict_for(
    conn: &mut SqliteConnection,
    email: Option<&EmailAddress>,
    phone: Option<&PhoneNumber>,
) -> StoreError {
    if let Some(email) = email {
        let taken: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM contacts WHERE email = ?")
                .bind(email.as_str())
                .fetch_optional(&mut *conn)
                .await
                .ok()
                .flatten();
        if taken.is_some() {
            return StoreError::Conflict(format!(
                "email: another contact already has the address {email}"
            ));
        }
    }
    match phone {
        Some(phone) => StoreError::Conflict(format!(
            "phone: another contact already has the number {phone}"
        )),
        None => StoreError::Conflict("another contact already has these details".to_owned()),
    }
}

/// One contact with its tags.
pub async fn get(store: &Store, id: ContactId) -> Result<Contact> {
    let row: Option<ContactRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(store.pool())
            .await
            .context("reading a contact")?;
    let row = row.ok_or_else(|| StoreError::NotFound(format!("contact {id}")))?;
    let tags = tags::names_for_contact(store, id).await?;
    row.into_contact(tags)
}

/// The contact with this (normalised) email address, if any.
pub async fn find_by_email(store: &Store, email: &EmailAddress) -> Result<Option<ContactId>> {
    let id: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM contacts WHERE email = ?")
        .bind(email.as_str())
        .fetch_optional(store.pool())
        .await
        .context("looking a contact up by email")?;
    Ok(id.map(ContactId::from_uuid))
}

/// The contact with this E.164 phone number, if any.
pub async fn find_by_phone(store: &Store, phone: &PhoneNumber) -> Result<Option<ContactId>> {
    let id: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM contacts WHERE phone = ?")
        .bind(phone.as_str())
        .fetch_optional(store.pool())
        .await
        .context("looking a contact up by phone")?;
    Ok(id.map(ContactId::from_uuid))
}

/// Finds a contact from what a user typed: an id, an email or a phone number.
pub async fn resolve(store: &Store, reference: &str) -> Result<ContactId> {
    let reference = reference.trim();
    if let Ok(id) = ContactId::parse(reference) {
        // Existence check, so that a mistyped id is reported as not found.
        return get(store, id).await.map(|c| c.id);
    }
    if reference.contains('@') {
        let email = EmailAddress::parse(reference)
            .map_err(|e| StoreError::validation("contact", e.to_string()))?;
        return find_by_email(store, &email)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("a contact with email {email}")));
    }
    let region = crate::settings::default_region(store).await?;
    match PhoneNumber::parse(reference, region) {
        Ok(phone) => find_by_phone(store, &phone)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("a contact with phone {phone}"))),
        Err(_) => Err(StoreError::validation(
            "contact",
            format!("\"{reference}\" is not a contact id, an email address or a phone number"),
        )),
    }
}

/// How many contacts the workspace holds.
pub async fn count(store: &Store) -> Result<i64> {
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
        .fetch_one(store.pool())
        .await
        .context("counting contacts")?;
    Ok(n)
}

/// A page of the contact list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Case-insensitive substring over names, email, company and phone.
    pub search: Option<String>,
    /// Keyset cursor: the last id of the previous page.
    pub after: Option<ContactId>,
    pub limit: u32,
}

/// Contacts ordered by id (UUID v7, so by creation time), one keyset page at
/// a time: the cost of a page does not grow with how deep into the list it is.
pub async fn list(store: &Store, query: &ListQuery) -> Result<Vec<Contact>> {
    let limit = query.limit.clamp(1, 1000);
    let pattern = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            format!(
                "%{}%",
                s.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contacts
         WHERE (?1 IS NULL OR id > ?1)
           AND (?2 IS NULL
                OR first_name LIKE ?2 ESCAPE '\\' OR last_name LIKE ?2 ESCAPE '\\'
                OR (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE ?2 ESCAPE '\\'
                OR email LIKE ?2 ESCAPE '\\' OR company LIKE ?2 ESCAPE '\\'
                OR phone LIKE ?2 ESCAPE '\\')
         ORDER BY id
         LIMIT ?3"
    ))
    .bind(query.after.map(|id| id.as_uuid()))
    .bind(pattern)
    .bind(i64::from(limit))
    .fetch_all(store.pool())
    .await
    .context("listing contacts")?;
    let mut contacts = Vec::with_capacity(rows.len());
    for row in rows {
        let id = ContactId::from_uuid(row.id);
        let tags = tags::names_for_contact(store, id).await?;
        contacts.push(row.into_contact(tags)?);
    }
    Ok(contacts)
}

/// Changes a contact's email subscription status and appends the change to
/// the consent ledger, in one transaction. Setting the status it already has
/// writes nothing.
pub async fn set_email_status(
    store: &Store,
    id: ContactId,
    status: EmailStatus,
    how: &ConsentInput,
) -> Result<()> {
    set_status(
        store,
        id,
        Channel::Email,
        status.as_str(),
        status.is_sendable(),
        how,
    )
    .await
}

/// Changes a contact's SMS subscription status, as [`set_email_status`].
pub async fn set_sms_status(
    store: &Store,
    id: ContactId,
    status: SmsStatus,
    how: &ConsentInput,
) -> Result<()> {
    let granted = status == SmsStatus::Subscribed;
    set_status(store, id, Channel::Sms, status.as_str(), granted, how).await
}

async fn set_status(
    store: &Store,
    id: ContactId,
    channel: Channel,
    status: &str,
    granted: bool,
    how: &ConsentInput,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let changed = apply_status(&mut tx, id, channel, status, granted, how).await?;
    if changed {
        generation::bump(&mut tx).await?;
    }
    tx.commit().await.context("committing a status change")?;
    Ok(())
}

/// Writes a status change and its ledger row inside the caller's transaction.
/// Returns whether anything changed. Granting also records the consent fields.
pub(crate) async fn apply_status(
    conn: &mut SqliteConnection,
    id: ContactId,
    channel: Channel,
    status: &str,
    granted: bool,
    how: &ConsentInput,
) -> Result<bool> {
    let column = match channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
    };
    let current: Option<String> = sqlx::query_scalar(&format!(
        "SELECT {column}_status FROM contacts WHERE id = ?"
    ))
    .bind(id.as_uuid())
    .fetch_optional(&mut *conn)
    .await
    .context("reading a contact's status")?;
    let current = current.ok_or_else(|| StoreError::NotFound(format!("contact {id}")))?;
    if current == status {
        return Ok(false);
    }
    if granted {
        sqlx::query(&format!(
            "UPDATE contacts SET {column}_status = ?, updated_at = ?, {column}_consent_at = ?,
                 {column}_consent_source = ?, {column}_consent_method = ?
             WHERE id = ?"
        ))
        .bind(status)
        .bind(now_millis())
        .bind(how.at_millis())
        .bind(&how.source)
        .bind(&how.method)
        .bind(id.as_uuid())
        .execute(&mut *conn)
        .await
        .context("recording a consent grant")?;
    } else {
        // The consent fields describe the last grant; a withdrawal keeps them
        // and the ledger says what happened since.
        sqlx::query(&format!(
            "UPDATE contacts SET {column}_status = ?, updated_at = ? WHERE id = ?"
        ))
        .bind(status)
        .bind(now_millis())
        .bind(id.as_uuid())
        .execute(&mut *conn)
        .await
        .context("updating a contact's status")?;
    }
    let action = if granted {
        ConsentAction::Granted
    } else {
        ConsentAction::Withdrawn
    };
    consent_events::append(conn, id, channel, action, status, how).await?;
    Ok(true)
}
