//! Editing a contact's own fields (names, email, phone, company, place).

use anyhow::Context;
use herald_core::{ContactId, CountryCode, EmailAddress, PhoneNumber};

use super::{clean_text, conflict_for, get, Contact, ContactRow, COLUMNS};
use crate::error::is_unique_violation;
use crate::{generation, now_millis, Result, Store, StoreError};

/// The fields to change. `None` leaves a field as it is; `Some(None)` clears
/// it. Text is trimmed, and empty text clears too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactPatch {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub email: Option<Option<EmailAddress>>,
    pub phone: Option<Option<PhoneNumber>>,
    pub company: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub country: Option<Option<CountryCode>>,
}

/// The editable fields as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
}

impl Fields {
    fn of(row: &ContactRow) -> Fields {
        Fields {
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            company: row.company.clone(),
            city: row.city.clone(),
            region: row.region.clone(),
            country: row.country.clone(),
        }
    }

    fn patched(&self, patch: &ContactPatch) -> Fields {
        let text = |new: &Option<Option<String>>, old: &Option<String>| match new {
            Some(value) => clean_text(value.as_deref()),
            None => old.clone(),
        };
        Fields {
            first_name: text(&patch.first_name, &self.first_name),
            last_name: text(&patch.last_name, &self.last_name),
            email: match &patch.email {
                Some(email) => email.as_ref().map(|e| e.as_str().to_owned()),
                None => self.email.clone(),
            },
            phone: match &patch.phone {
                Some(phone) => phone.as_ref().map(|p| p.as_str().to_owned()),
                None => self.phone.clone(),
            },
            company: text(&patch.company, &self.company),
            city: text(&patch.city, &self.city),
            region: text(&patch.region, &self.region),
            country: match &patch.country {
                Some(country) => country.map(|c| c.as_str().to_owned()),
                None => self.country.clone(),
            },
        }
    }
}

/// Changes a contact's fields in one write transaction. A contact must keep
/// an email or a phone (`Validation`); an email or phone another contact has
/// is a `Conflict`. On any error nothing is written. Saving what is already
/// stored writes nothing and leaves the data generation alone.
pub async fn update(store: &Store, id: ContactId, patch: &ContactPatch) -> Result<Contact> {
    let mut tx = store.begin_write().await?;
    let row: Option<ContactRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .context("reading a contact to update")?;
    let row = row.ok_or_else(|| StoreError::NotFound(format!("contact {id}")))?;
    let old = Fields::of(&row);
    let new = old.patched(patch);
    if new.email.is_none() && new.phone.is_none() {
        let field = if patch.email.is_some() {
            "email"
        } else {
            "phone"
        };
        return Err(StoreError::validation(
            field,
            "a contact needs an email address or a phone number",
        ));
    }
    if new == old {
        tx.commit().await.context("ending an empty update")?;
        return get(store, id).await;
    }
    let updated = sqlx::query(
        "UPDATE contacts SET first_name = ?, last_name = ?, email = ?, phone = ?, company = ?,
             city = ?, region = ?, country = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(&new.email)
    .bind(&new.phone)
    .bind(&new.company)
    .bind(&new.city)
    .bind(&new.region)
    .bind(&new.country)
    .bind(now_millis())
    .bind(id.as_uuid())
    .execute(&mut *tx)
    .await;
    if let Err(err) = updated {
        if is_unique_violation(&err) {
            // Only a value that changed can collide with another contact.
            let email = patch
                .email
                .as_ref()
                .and_then(Option::as_ref)
                .filter(|e| old.email.as_deref() != Some(e.as_str()));
            let phone = patch
                .phone
                .as_ref()
                .and_then(Option::as_ref)
                .filter(|p| old.phone.as_deref() != Some(p.as_str()));
            return Err(conflict_for(&mut tx, email, phone).await);
        }
        return Err(StoreError::Internal(
            anyhow::Error::new(err).context("updating a contact"),
        ));
    }
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing a contact update")?;
    get(store, id).await
}
