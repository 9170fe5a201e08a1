//! The `segments` table, and resolving segments: exact counts (cached per
//! data generation) and previews (count + one keyset page of contacts).
//!
//! A segment is dynamic: its filter is compiled to one SQL condition
//! (`compile`) and run whenever it is used. Only the count is cached.

mod compile;
pub(crate) mod index;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_core::segment::{Clock, Filter, FilterIssue, SegmentLookup};
use herald_core::SegmentId;
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};

pub use compile::{compile, compile_rule, Bind, CompileError, Compiled};
pub use index::{warm as warm_index, SegmentIndex};

use crate::contacts::{self, Contact, Direction, PageQuery, SortField};
use crate::error::is_unique_violation;
use crate::{generation, now_millis, settings, Result, Store, StoreError};

/// How long a count of a filter with relative dates ("within the last 30
/// days") stays fresh without any write: the clock moves its result.
const RELATIVE_COUNT_TTL_MS: i64 = 60_000;

/// A saved segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub description: Option<String>,
    /// The filter as saved (the JSON interchange format).
    pub filter: Value,
    pub created_at: i64,
    pub updated_at: i64,
    /// The last count taken, fresh or not.
    pub cached_count: Option<i64>,
    /// Whether `cached_count` still holds for the workspace as it is now.
    pub count_fresh: bool,
}

/// What creating or editing a segment takes.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInput {
    pub name: String,
    pub description: Option<String>,
    pub filter: Value,
}

/// A saved segment's name and parsed filter, for compiling `segment` rules.
#[derive(Debug, Clone)]
pub struct SavedFilter {
    pub name: String,
    pub filter: Filter,
}

/// Every saved segment's filter, by id.
#[derive(Debug, Clone, Default)]
pub struct SavedFilters(HashMap<SegmentId, SavedFilter>);

impl SavedFilters {
    pub fn get(&self, id: SegmentId) -> Option<&SavedFilter> {
        self.0.get(&id)
    }

    /// The segment's name, or its id when it is unknown.
    pub fn name(&self, id: SegmentId) -> String {
        self.0
            .get(&id)
            .map_or_else(|| id.to_string(), |s| format!("\"{}\"", s.name))
    }

    pub fn insert(&mut self, id: SegmentId, saved: SavedFilter) {
        self.0.insert(id, saved);
    }

    /// The chain of references from `start` back to `start`, if any, as
    /// names ("A" → "B" → "A").
    fn cycle_from(&self, start: SegmentId) -> Option<String> {
        fn walk(
            saved: &SavedFilters,
            at: SegmentId,
            start: SegmentId,
            path: &mut Vec<SegmentId>,
        ) -> bool {
            let Some(s) = saved.get(at) else {
                return false;
            };
            for next in s.filter.referenced_segments() {
                if next == start {
                    path.push(next);
                    return true;
                }
                if path.contains(&next) {
                    continue;
                }
                path.push(next);
                if walk(saved, next, start, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = vec![start];
        walk(self, start, start, &mut path).then(|| {
            path.iter()
                .map(|id| self.name(*id))
                .collect::<Vec<_>>()
                .join(" → ")
        })
    }
}

impl SegmentLookup for SavedFilters {
    fn filter(&self, id: SegmentId) -> Option<Filter> {
        self.0.get(&id).map(|s| s.filter.clone())
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: uuid::Uuid,
    name: String,
    description: Option<String>,
    filter: String,
    cached_count: Option<i64>,
    cached_generation: Option<i64>,
    cached_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &str = "id, name, description, filter, cached_count, cached_generation, \
                       cached_at, created_at, updated_at";

impl Row {
    fn into_segment(self, generation: i64, now: i64) -> Result<Segment> {
        let filter: Value = serde_json::from_str(&self.filter)
            .with_context(|| format!("segment {} holds an unreadable filter", self.name))?;
        let relative = Filter::parse(&filter).is_ok_and(|f| f.depends_on_now());
        let count_fresh = self.cached_count.is_some()
            && self.cached_generation == Some(generation)
            && (!relative
                || self
                    .cached_at
                    .is_some_and(|at| now - at < RELATIVE_COUNT_TTL_MS));
        Ok(Segment {
            id: SegmentId::from_uuid(self.id),
            name: self.name,
            description: self.description,
            filter,
            created_at: self.created_at,
            updated_at: self.updated_at,
            cached_count: self.cached_count,
            count_fresh,
        })
    }
}

/// The clock filters are evaluated with: now, in the workspace's zone.
pub async fn clock(store: &Store) -> Result<Clock> {
    Ok(Clock::new(
        chrono::Utc::now(),
        settings::time_zone(store).await?,
    ))
}

/// Every saved segment's filter.
pub async fn saved_filters(store: &Store) -> Result<SavedFilters> {
    let rows: Vec<(uuid::Uuid, String, String)> =
        sqlx::query_as("SELECT id, name, filter FROM segments")
            .fetch_all(store.pool())
            .await
            .context("reading the saved segments")?;
    let mut saved = SavedFilters::default();
    for (id, name, raw) in rows {
        let json: Value = serde_json::from_str(&raw)
            .with_context(|| format!("segment {name} holds an unreadable filter"))?;
        // Saved filters were valid when saved; one that no longer parses
        // (a future format) is left out, and rules naming it say so.
        if let Ok(filter) = Filter::parse(&json) {
            saved.insert(SegmentId::from_uuid(id), SavedFilter { name, filter });
        }
    }
    Ok(saved)
}

/// Every problem with `filter`, as the builder shows them inline: the
/// parser's, then references to missing segments, cycles through
/// `editing` (the segment being edited, if any) and engagement rules.
pub async fn check(
    store: &Store,
    filter: &Value,
    editing: Option<SegmentId>,
) -> Result<Vec<FilterIssue>> {
    let parsed = match Filter::parse(filter) {
        Ok(f) => f,
        Err(issues) => return Ok(issues),
    };
    let saved = saved_filters(store).await?;
    let mut issues = Vec::new();
    rule_paths(filter, "", &mut |path, rule| {
        let field = rule.get("field").and_then(Value::as_str).unwrap_or("");
        if field == "engagement" {
            issues.push(FilterIssue {
                path: path.to_owned(),
                message: CompileError::Engagement.to_string(),
            });
        }
        if field == "segment" {
            let id = rule
                .get("value")
                .and_then(Value::as_str)
                .and_then(|raw| SegmentId::parse(raw).ok());
            if let Some(id) = id {
                if saved.get(id).is_none() {
                    issues.push(FilterIssue {
                        path: path.to_owned(),
                        message: CompileError::UnknownSegment(id).to_string(),
                    });
                }
            }
        }
    });
    if let (Some(me), true) = (editing, issues.is_empty()) {
        let mut with_edit = saved.clone();
        with_edit.insert(
            me,
            SavedFilter {
                name: saved
                    .get(me)
                    .map_or_else(|| "this segment".to_owned(), |s| s.name.clone()),
                filter: parsed.clone(),
            },
        );
        if let Some(cycle) = with_edit.cycle_from(me) {
            issues.push(FilterIssue {
                path: String::new(),
                message: CompileError::Cycle(cycle).to_string(),
            });
        }
    }
    if issues.is_empty() {
        let clock = clock(store).await?;
        if let Err(e) = compile(&parsed, &clock, &saved) {
            issues.push(FilterIssue {
                path: String::new(),
                message: e.to_string(),
            });
        }
    }
    Ok(issues)
}

/// Calls `visit` with the JSON path and object of every rule in `json`.
fn rule_paths(
    json: &Value,
    path: &str,
    visit: &mut dyn FnMut(&str, &serde_json::Map<String, Value>),
) {
    let Value::Object(map) = json else { return };
    if map.len() == 1 {
        for kind in ["all", "any", "none"] {
            if let Some(Value::Array(items)) = map.get(kind) {
                for (i, item) in items.iter().enumerate() {
                    let child = if path.is_empty() {
                        format!("{kind}[{i}]")
                    } else {
                        format!("{path}.{kind}[{i}]")
                    };
                    rule_paths(item, &child, visit);
                }
                return;
            }
        }
    }
    if map.contains_key("field") {
        visit(path, map);
    }
}

/// A filter ready to run now: parsed, compiled, with the clock and the saved
/// segments it was compiled against.
#[derive(Debug)]
pub struct Prepared {
    pub filter: Filter,
    pub compiled: Compiled,
    pub clock: Clock,
    pub saved: SavedFilters,
}

/// Parses and compiles a filter for running now, or says what is wrong.
pub async fn prepare(store: &Store, filter: &Value) -> Result<(Filter, Compiled)> {
    let p = prepare_all(store, filter).await?;
    Ok((p.filter, p.compiled))
}

async fn prepare_all(store: &Store, filter: &Value) -> Result<Prepared> {
    let parsed = Filter::parse(filter).map_err(StoreError::InvalidFilter)?;
    let saved = saved_filters(store).await?;
    let clock = clock(store).await?;
    let compiled = compile(&parsed, &clock, &saved).map_err(|e| {
        StoreError::InvalidFilter(vec![FilterIssue {
            path: String::new(),
            message: e.to_string(),
        }])
    })?;
    Ok(Prepared {
        filter: parsed,
        compiled,
        clock,
        saved,
    })
}

/// The index, when one was built at the current data generation; else
/// `None`, and a rebuild starts in the background (when enabled).
async fn fresh_index(store: &Store) -> Result<Option<std::sync::Arc<SegmentIndex>>> {
    let generation = generation::current(store).await?;
    let fresh = store.segment_index().fresh(generation);
    if fresh.is_none() {
        index::Slot::rebuild_in_background(store);
    }
    Ok(fresh)
}

/// How many contacts a prepared filter matches: from the index when it is
/// fresh, else with one SQL `COUNT(*)`.
async fn count_prepared(store: &Store, p: &Prepared) -> Result<i64> {
    if let Some(ix) = fresh_index(store).await? {
        match ix.evaluate(store, &p.filter, &p.clock, &p.saved).await {
            Ok(set) => return Ok(i64::try_from(set.len()).unwrap_or(i64::MAX)),
            Err(e) => tracing::warn!("the segment index could not count, using SQL: {e:#}"),
        }
    }
    count_compiled(store, &p.compiled).await
}

/// How many contacts a compiled filter matches.
pub async fn count_compiled(store: &Store, compiled: &Compiled) -> Result<i64> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM contacts WHERE ");
    compiled.push_to(&mut q);
    let n: i64 = q
        .build_query_scalar()
        .fetch_one(store.pool())
        .await
        .context("counting a segment")?;
    Ok(n)
}

/// What a preview shows: the exact count and one page of matching contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub count: i64,
    pub contacts: Vec<Contact>,
    pub next_cursor: Option<String>,
    pub elapsed: Duration,
}

/// The orders a preview offers.
pub const PREVIEW_SORTS: [SortField; 4] = [
    SortField::Name,
    SortField::CreatedAt,
    SortField::LastInteractionAt,
    SortField::Revenue,
];

/// Previews a filter: exact count + one page (keyset, `after` = the cursor
/// the previous page returned).
pub async fn preview(
    store: &Store,
    filter: &Value,
    sort: SortField,
    direction: Direction,
    after: Option<String>,
    limit: u32,
) -> Result<Preview> {
    if !PREVIEW_SORTS.contains(&sort) {
        return Err(StoreError::validation(
            "sort",
            "a preview sorts by name, created_at, last_interaction or revenue",
        ));
    }
    let started = Instant::now();
    let p = prepare_all(store, filter).await?;
    if let Some(ix) = fresh_index(store).await? {
        match preview_with_index(store, &ix, &p, sort, direction, after.as_deref(), limit).await {
            Ok(Some((count, contacts, next_cursor))) => {
                return Ok(Preview {
                    count,
                    contacts,
                    next_cursor,
                    elapsed: started.elapsed(),
                })
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("the segment index could not preview, using SQL: {e:#}"),
        }
    }
    let page = contacts::page(
        store,
        &PageQuery {
            segment: Some(p.compiled),
            sort,
            direction,
            after,
            limit,
            ..PageQuery::default()
        },
    )
    .await?;
    Ok(Preview {
        count: page.total,
        contacts: page.contacts,
        next_cursor: page.next_cursor,
        elapsed: started.elapsed(),
    })
}

/// Count and page from the index; `None` when the index cannot place the
/// cursor (its contact is gone), so the SQL path answers instead.
async fn preview_with_index(
    store: &Store,
    ix: &SegmentIndex,
    p: &Prepared,
    sort: SortField,
    direction: Direction,
    after: Option<&str>,
    limit: u32,
) -> Result<Option<(i64, Vec<Contact>, Option<String>)>> {
    let matching = ix.evaluate(store, &p.filter, &p.clock, &p.saved).await?;
    let after_rowid = match after.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => {
            let id = contacts::page_cursor_contact(raw, sort, direction)?;
            let rowid: Option<i64> = sqlx::query_scalar("SELECT rowid FROM contacts WHERE id = ?")
                .bind(id)
                .fetch_optional(store.pool())
                .await
                .context("placing a page cursor")?;
            match rowid.and_then(|r| u32::try_from(r).ok()) {
                Some(r) => Some(r),
                None => return Ok(None),
            }
        }
    };
    let limit = limit.clamp(1, 500) as usize;
    let Some((rowids, more)) = ix.page(&matching, sort, direction, after_rowid, limit) else {
        return Ok(None);
    };
    let (contacts, next_cursor) =
        contacts::page_of_rowids(store, &rowids, sort, direction, more).await?;
    let count = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    Ok(Some((count, contacts, next_cursor)))
}

fn clean_input(input: &SegmentInput) -> Result<(String, Option<String>, Filter, String)> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(StoreError::validation("name", "a segment needs a name"));
    }
    if name.chars().count() > 120 {
        return Err(StoreError::validation(
            "name",
            "a segment name is at most 120 characters",
        ));
    }
    let description = input
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    let filter = Filter::parse(&input.filter).map_err(StoreError::InvalidFilter)?;
    let raw = serde_json::to_string(&input.filter).context("serialising a filter")?;
    Ok((name.to_owned(), description, filter, raw))
}

/// Refuses references to missing segments, cycles and engagement rules.
async fn check_saveable(store: &Store, id: SegmentId, input: &SegmentInput) -> Result<()> {
    let issues = check(store, &input.filter, Some(id)).await?;
    if issues.is_empty() {
        Ok(())
    } else {
        Err(StoreError::InvalidFilter(issues))
    }
}

fn name_conflict(name: &str) -> StoreError {
    StoreError::Conflict(format!("a segment named \"{name}\" already exists"))
}

/// Saves a new segment.
pub async fn create(store: &Store, input: &SegmentInput) -> Result<Segment> {
    let (name, description, filter, raw) = clean_input(input)?;
    let id = SegmentId::new();
    check_saveable(store, id, input).await?;
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO segments (id, name, description, filter, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_uuid())
    .bind(&name)
    .bind(&description)
    .bind(&raw)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(name_conflict(&name)),
        other => {
            other.context("saving a segment")?;
        }
    }
    write_refs(&mut tx, id, &filter).await?;
    tx.commit().await.context("saving a segment")?;
    get(store, id).await
}

/// Replaces a segment's name, description and filter.
pub async fn update(store: &Store, id: SegmentId, input: &SegmentInput) -> Result<Segment> {
    let (name, description, filter, raw) = clean_input(input)?;
    get(store, id).await?;
    check_saveable(store, id, input).await?;
    let mut tx = store.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE segments SET name = ?, description = ?, filter = ?, updated_at = ?,
             cached_count = NULL, cached_generation = NULL, cached_at = NULL
         WHERE id = ?",
    )
    .bind(&name)
    .bind(&description)
    .bind(&raw)
    .bind(now_millis())
    .bind(id.as_uuid())
    .execute(&mut *tx)
    .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(name_conflict(&name)),
        other => {
            other.context("saving a segment")?;
        }
    }
    sqlx::query("DELETE FROM segment_refs WHERE segment_id = ?")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .context("saving a segment's references")?;
    write_refs(&mut tx, id, &filter).await?;
    // Any segment may include this one, directly or through others: their
    // cached counts no longer hold.
    forget_counts(&mut tx).await?;
    tx.commit().await.context("saving a segment")?;
    get(store, id).await
}

/// Drops every segment's cached count, inside the caller's write
/// transaction: for changes that move what segments mean without a contact
/// write (a segment edited, the time zone changed).
pub(crate) async fn forget_counts(tx: &mut sqlx::SqliteConnection) -> Result<()> {
    sqlx::query(
        "UPDATE segments SET cached_count = NULL, cached_generation = NULL, cached_at = NULL",
    )
    .execute(tx)
    .await
    .context("clearing cached segment counts")?;
    Ok(())
}

async fn write_refs(tx: &mut sqlx::SqliteConnection, id: SegmentId, filter: &Filter) -> Result<()> {
    for target in filter.referenced_segments() {
        sqlx::query("INSERT INTO segment_refs (segment_id, refers_to) VALUES (?, ?)")
            .bind(id.as_uuid())
            .bind(target.as_uuid())
            .execute(&mut *tx)
            .await
            .context("saving a segment's references")?;
    }
    Ok(())
}

/// One segment.
pub async fn get(store: &Store, id: SegmentId) -> Result<Segment> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM segments WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(store.pool())
        .await
        .context("reading a segment")?;
    let row = row.ok_or_else(|| StoreError::NotFound(format!("segment {id}")))?;
    row.into_segment(generation::current(store).await?, now_millis())
}

/// Every segment, by name.
pub async fn list(store: &Store) -> Result<Vec<Segment>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM segments ORDER BY name COLLATE NOCASE"
    ))
    .fetch_all(store.pool())
    .await
    .context("listing segments")?;
    let generation = generation::current(store).await?;
    let now = now_millis();
    rows.into_iter()
        .map(|r| r.into_segment(generation, now))
        .collect()
}

/// Finds a segment by id or (case-insensitively) by name.
pub async fn resolve(store: &Store, reference: &str) -> Result<SegmentId> {
    if let Ok(id) = SegmentId::parse(reference) {
        return Ok(id);
    }
    let id: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM segments WHERE name = ? COLLATE NOCASE")
            .bind(reference.trim())
            .fetch_optional(store.pool())
            .await
            .context("finding a segment")?;
    id.map(SegmentId::from_uuid)
        .ok_or_else(|| StoreError::NotFound(format!("segment \"{}\"", reference.trim())))
}

/// The names of the segments whose filters refer to this one.
pub async fn used_by(store: &Store, id: SegmentId) -> Result<Vec<String>> {
    let names = sqlx::query_scalar(
        "SELECT s.name FROM segment_refs r JOIN segments s ON s.id = r.segment_id
         WHERE r.refers_to = ? ORDER BY s.name COLLATE NOCASE",
    )
    .bind(id.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("finding the segments that use a segment")?;
    Ok(names)
}

/// Deletes a segment, unless another segment uses it.
pub async fn delete(store: &Store, id: SegmentId) -> Result<()> {
    let segment = get(store, id).await?;
    let users = used_by(store, id).await?;
    if !users.is_empty() {
        let list = users
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(StoreError::Conflict(format!(
            "\"{}\" cannot be deleted while {} {} it; remove it from {} first",
            segment.name,
            list,
            if users.len() == 1 { "uses" } else { "use" },
            if users.len() == 1 {
                "that segment"
            } else {
                "those segments"
            },
        )));
    }
    let mut tx = store.begin_write().await?;
    sqlx::query("DELETE FROM segments WHERE id = ?")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .context("deleting a segment")?;
    tx.commit().await.context("deleting a segment")?;
    Ok(())
}

/// Copies a segment under the first free name "X (copy)", "X (copy 2)", ….
pub async fn duplicate(store: &Store, id: SegmentId) -> Result<Segment> {
    let original = get(store, id).await?;
    let taken: Vec<String> = sqlx::query_scalar("SELECT lower(name) FROM segments")
        .fetch_all(store.pool())
        .await
        .context("listing segment names")?;
    let name = (1..)
        .map(|n| match n {
            1 => format!("{} (copy)", original.name),
            n => format!("{} (copy {n})", original.name),
        })
        .find(|candidate| !taken.contains(&candidate.to_lowercase()))
        .expect("some copy name is free");
    create(
        store,
        &SegmentInput {
            name,
            description: original.description,
            filter: original.filter,
        },
    )
    .await
}

/// A saved segment's exact count: the cached one when fresh, else counted
/// now and cached with the generation read before counting (so a write
/// during the count leaves the cache stale, never wrong).
pub async fn count(store: &Store, id: SegmentId) -> Result<(i64, Duration)> {
    let started = Instant::now();
    let segment = get(store, id).await?;
    if let (true, Some(n)) = (segment.count_fresh, segment.cached_count) {
        return Ok((n, started.elapsed()));
    }
    let generation = generation::current(store).await?;
    let prepared = prepare_all(store, &segment.filter).await?;
    let n = count_prepared(store, &prepared).await?;
    let elapsed = started.elapsed();
    sqlx::query(
        "UPDATE segments SET cached_count = ?, cached_generation = ?, cached_at = ? WHERE id = ?",
    )
    .bind(n)
    .bind(generation)
    .bind(now_millis())
    .bind(id.as_uuid())
    .execute(store.pool())
    .await
    .context("caching a segment count")?;
    Ok((n, elapsed))
}

/// The kind of value a custom field holds, as the builder offers operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CustomKind {
    Text,
    Number,
    Date,
    Boolean,
}

/// How many of the newest contacts the custom field catalogue samples.
const CUSTOM_SAMPLE: i64 = 20_000;

/// The custom field keys in use, each with the kind most of its values have,
/// sampled from the newest contacts.
pub async fn custom_fields(store: &Store) -> Result<Vec<(String, CustomKind)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT j.key,
                CASE WHEN j.type IN ('integer', 'real') THEN 'number'
                     WHEN j.type IN ('true', 'false') THEN 'boolean'
                     WHEN j.type = 'text'
                          AND j.value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date'
                     ELSE 'text' END AS kind,
                count(*)
         FROM (SELECT custom FROM contacts ORDER BY rowid DESC LIMIT ?) c, json_each(c.custom) j
         WHERE j.type <> 'null'
         GROUP BY 1, 2",
    )
    .bind(CUSTOM_SAMPLE)
    .fetch_all(store.pool())
    .await
    .context("listing custom fields")?;
    let mut best: HashMap<String, (CustomKind, i64)> = HashMap::new();
    for (key, kind, n) in rows {
        let kind = match kind.as_str() {
            "number" => CustomKind::Number,
            "boolean" => CustomKind::Boolean,
            "date" => CustomKind::Date,
            _ => CustomKind::Text,
        };
        let entry = best.entry(key).or_insert((kind, n));
        if n > entry.1 {
            *entry = (kind, n);
        }
    }
    let mut fields: Vec<(String, CustomKind)> =
        best.into_iter().map(|(k, (kind, _))| (k, kind)).collect();
    fields.sort();
    Ok(fields)
}
