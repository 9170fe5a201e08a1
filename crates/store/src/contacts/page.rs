//! The contact table's query: filters, a sort order, keyset pagination with
//! an opaque cursor, and the exact number of contacts the filters match.
//!
//! A page is "the next `limit` contacts after (key, id)" in the chosen order,
//! where `key` is the sort column and `id` breaks ties. Migration 0002 gives
//! every sort an index on exactly (key, id), so a page costs one index range
//! seek however deep into the list it is.
//!
//! Nullable keys (email, company, country, last interaction) are read as two
//! segments: the contacts without a value, and those with one. SQLite sorts
//! NULL first, so ascending order reads the NULL segment first and descending
//! order last. Each segment is its own range query, because a row-value
//! comparison such as `(country, id) > (?, ?)` is never true for a NULL key.

use std::collections::HashMap;

use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use herald_core::{EmailStatus, SmsStatus};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Row, Sqlite};

use super::{Contact, ContactRow, COLUMNS};
use crate::{Result, Store, StoreError};

mod filters;

use filters::Filters;

/// The orders the contact table offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    /// Last name, then first name; a contact without a name by email or phone.
    #[default]
    Name,
    Email,
    Company,
    Country,
    CreatedAt,
    LastInteractionAt,
    /// Lifetime revenue in minor units (currencies are not converted).
    Revenue,
}

/// Which way a sort runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

impl SortField {
    /// The SQL expression sorted on. Each must match its index in migration
    /// 0002 exactly, or SQLite cannot use the index.
    pub(crate) fn key(self) -> &'static str {
        match self {
            SortField::Name => {
                "lower(coalesce(last_name || ' ' || first_name, last_name, first_name, email, phone))"
            }
            SortField::Email => "email",
            SortField::Company => "lower(company)",
            SortField::Country => "country",
            SortField::CreatedAt => "created_at",
            SortField::LastInteractionAt => "last_interaction_at",
            SortField::Revenue => "revenue_minor",
        }
    }

    fn nullable(self) -> bool {
        matches!(
            self,
            SortField::Email
                | SortField::Company
                | SortField::Country
                | SortField::LastInteractionAt
        )
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            SortField::Name | SortField::Email | SortField::Company | SortField::Country
        )
    }
}

/// What the contact table asks for.
#[derive(Debug, Clone, Default)]
pub struct PageQuery {
    /// Case-insensitive substring of the name, email, company or phone. For
    /// the phone, only the digits typed count ("+1 (415) 555" finds +1415555…).
    pub search: Option<String>,
    /// Only contacts with this tag (by name, case-insensitively).
    pub tag: Option<String>,
    pub email_status: Option<EmailStatus>,
    pub sms_status: Option<SmsStatus>,
    pub sort: SortField,
    pub direction: Direction,
    /// The cursor a previous page returned, for the page after it. It is only
    /// valid with the same sort and direction.
    pub after: Option<String>,
    /// Contacts per page, 1 to 500.
    pub limit: u32,
    /// Only contacts a segment filter matches (segment previews).
    pub segment: Option<crate::segments::Compiled>,
}

/// One page of contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub contacts: Vec<Contact>,
    /// How many contacts match the filters in all.
    pub total: i64,
    /// The cursor for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A sort key value as read from SQLite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Key {
    Int(i64),
    Text(String),
}

/// What a cursor holds: the order it belongs to and the last row's (key, id).
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    sort: SortField,
    direction: Direction,
    key: Option<Key>,
    id: uuid::Uuid,
}

impl Cursor {
    fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a cursor serialises");
        URL_SAFE_NO_PAD.encode(json)
    }

    fn decode(raw: &str, query: &PageQuery) -> Result<Cursor> {
        let invalid = || {
            StoreError::validation(
                "after",
                "the page cursor is not one this list gave out; start again from the first page",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        let key_fits = match &cursor.key {
            None => query.sort.nullable(),
            Some(Key::Text(_)) => query.sort.is_text(),
            Some(Key::Int(_)) => !query.sort.is_text(),
        };
        if cursor.sort != query.sort || cursor.direction != query.direction || !key_fits {
            return Err(StoreError::validation(
                "after",
                "the page cursor belongs to another sort order; start again from the first page",
            ));
        }
        Ok(cursor)
    }
}

/// The part of the order a query reads: all rows, or (for a nullable key)
/// those without a value or those with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    All,
    Null,
    Valued,
}

fn segments(query: &PageQuery) -> &'static [Segment] {
    match (query.sort.nullable(), query.direction) {
        (false, _) => &[Segment::All],
        (true, Direction::Asc) => &[Segment::Null, Segment::Valued],
        (true, Direction::Desc) => &[Segment::Valued, Segment::Null],
    }
}

/// One page of the contact list, and how many contacts match in all.
pub async fn page(store: &Store, query: &PageQuery) -> Result<Page> {
    let limit = query.limit.clamp(1, 500) as usize;
    let cursor = match query.after.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(raw) => Some(Cursor::decode(raw, query)?),
        None => None,
    };
    let filters = Filters::new(query);
    let key = query.sort.key();
    let dir = match query.direction {
        Direction::Asc => "ASC",
        Direction::Desc => "DESC",
    };
    let after = match query.direction {
        Direction::Asc => ">",
        Direction::Desc => "<",
    };

    // Read one row more than asked for, to know whether a next page exists.
    let wanted = limit + 1;
    let mut rows: Vec<SqliteRow> = Vec::with_capacity(wanted);
    let mut order = segments(query).iter().copied().peekable();
    // Skip the segments the cursor is already past.
    if let Some(c) = &cursor {
        let here = match (query.sort.nullable(), &c.key) {
            (false, _) => Segment::All,
            (true, None) => Segment::Null,
            (true, Some(_)) => Segment::Valued,
        };
        while order.next_if(|s| *s != here).is_some() {}
    }
    let mut first = true;
    for segment in order {
        if rows.len() >= wanted {
            break;
        }
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {COLUMNS}, {key} AS sort_key FROM contacts WHERE 1 = 1"
        ));
        match segment {
            Segment::All => {}
            Segment::Null => {
                q.push(format!(" AND {key} IS NULL"));
            }
            Segment::Valued => {
                q.push(format!(" AND {key} IS NOT NULL"));
            }
        }
        if let (true, Some(c)) = (first, &cursor) {
            match &c.key {
                None => q.push(format!(" AND id {after} ")).push_bind(c.id),
                Some(Key::Int(v)) => q
                    .push(format!(" AND ({key}, id) {after} ("))
                    .push_bind(*v)
                    .push(", ")
                    .push_bind(c.id)
                    .push(")"),
                Some(Key::Text(v)) => q
                    .push(format!(" AND ({key}, id) {after} ("))
                    .push_bind(v.clone())
                    .push(", ")
                    .push_bind(c.id)
                    .push(")"),
            };
        }
        first = false;
        filters.push(&mut q);
        q.push(format!(" ORDER BY {key} {dir}, id {dir} LIMIT "))
            .push_bind((wanted - rows.len()) as i64);
        let found = q
            .build()
            .fetch_all(store.pool())
            .await
            .context("listing a page of contacts")?;
        rows.extend(found);
    }

    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        let last = rows.last().expect("a full page has a last row");
        Some(
            Cursor {
                sort: query.sort,
                direction: query.direction,
                key: read_key(last, query.sort)?,
                id: last.try_get("id").context("reading a contact id")?,
            }
            .encode(),
        )
    } else {
        None
    };

    let contacts = hydrate(store, &rows).await?;
    let total = count(store, &filters).await?;
    Ok(Page {
        contacts,
        total,
        next_cursor,
    })
}

fn read_key(row: &SqliteRow, sort: SortField) -> Result<Option<Key>> {
    let key = if sort.is_text() {
        row.try_get::<Option<String>, _>("sort_key")
            .context("reading a sort key")?
            .map(Key::Text)
    } else {
        row.try_get::<Option<i64>, _>("sort_key")
            .context("reading a sort key")?
            .map(Key::Int)
    };
    Ok(key)
}

/// Turns rows into contacts, reading the page's tags with one query.
async fn hydrate(store: &Store, rows: &[SqliteRow]) -> Result<Vec<Contact>> {
    let parsed = rows
        .iter()
        .map(ContactRow::from_row)
        .collect::<Result<Vec<_>, _>>()
        .context("reading contacts")?;
    let mut tags: HashMap<uuid::Uuid, Vec<String>> = HashMap::new();
    if !parsed.is_empty() {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.contact_id IN ",
        );
        q.push_tuples(&parsed, |mut b, row| {
            b.push_bind(row.id);
        });
        q.push(" ORDER BY t.name COLLATE NOCASE");
        let pairs: Vec<(uuid::Uuid, String)> = q
            .build_query_as()
            .fetch_all(store.pool())
            .await
            .context("reading the tags of a page of contacts")?;
        for (contact, name) in pairs {
            tags.entry(contact).or_default().push(name);
        }
    }
    parsed
        .into_iter()
        .map(|row| {
            let own = tags.remove(&row.id).unwrap_or_default();
            row.into_contact(own)
        })
        .collect()
}

/// Decodes a cursor for `sort`/`direction` and returns the contact it points
/// after (the segment index finds its position by that contact).
pub(crate) fn cursor_contact(
    raw: &str,
    sort: SortField,
    direction: Direction,
) -> Result<uuid::Uuid> {
    let query = PageQuery {
        sort,
        direction,
        ..PageQuery::default()
    };
    Ok(Cursor::decode(raw, &query)?.id)
}

/// The contacts with these rowids, in this order, and the cursor after the
/// last one when `more` says a next page exists: a page whose rows were
/// chosen elsewhere (the segment index), with the same cursor format as
/// [`page`].
pub(crate) async fn page_of_rowids(
    store: &Store,
    rowids: &[i64],
    sort: SortField,
    direction: Direction,
    more: bool,
) -> Result<(Vec<Contact>, Option<String>)> {
    if rowids.is_empty() {
        return Ok((Vec::new(), None));
    }
    let key = sort.key();
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COLUMNS}, {key} AS sort_key, rowid AS page_rowid FROM contacts WHERE rowid IN ("
    ));
    let mut list = q.separated(", ");
    for rowid in rowids {
        list.push_bind(*rowid);
    }
    q.push(")");
    let mut rows = q
        .build()
        .fetch_all(store.pool())
        .await
        .context("reading a page of contacts")?;
    let order: HashMap<i64, usize> = rowids.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut keyed = Vec::with_capacity(rows.len());
    for row in rows.drain(..) {
        let rowid: i64 = row.try_get("page_rowid").context("reading a rowid")?;
        keyed.push((order.get(&rowid).copied().unwrap_or(usize::MAX), row));
    }
    keyed.sort_by_key(|(i, _)| *i);
    let rows: Vec<SqliteRow> = keyed.into_iter().map(|(_, row)| row).collect();
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(
            Cursor {
                sort,
                direction,
                key: read_key(last, sort)?,
                id: last.try_get("id").context("reading a contact id")?,
            }
            .encode(),
        ),
        _ => None,
    };
    Ok((hydrate(store, &rows).await?, next_cursor))
}

async fn count(store: &Store, filters: &Filters) -> Result<i64> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM contacts WHERE 1 = 1");
    filters.push(&mut q);
    let total: i64 = q
        .build_query_scalar()
        .fetch_one(store.pool())
        .await
        .context("counting contacts")?;
    Ok(total)
}
