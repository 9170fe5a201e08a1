//! The in-memory segment index: the filterable fields of every contact as
//! compressed bitmaps (tags, project statuses, countries, statuses) and plain
//! columns (dates, revenue), keyed by SQLite rowid, plus each preview sort
//! order as a permutation of rowids.
//!
//! A filter evaluates to a bitmap of matching rowids by set algebra and
//! column scans, so an exact count at a million contacts takes milliseconds,
//! and the first page is read off the sort permutation. SQLite stays the
//! source of truth: the index is built from it at one data generation and is
//! only used while the generation has not moved. Text rules (names, emails,
//! companies…) are not held in memory; each is answered by SQLite as a
//! bitmap of rowids (the SQL compiler's condition for that one rule), so the
//! index and the SQL path share the same semantics. Custom fields are loaded
//! per key, the first time a filter uses them.
//!
//! Stale or missing index → the preview takes the SQL path and a rebuild
//! starts in the background (`Slot`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::TryStreamExt;
use herald_core::segment::{
    fold, revenue_scale, text_test, Clock, CountryOp, CustomOp, DateField, DateOp, Filter, Group,
    GroupKind, Node, ProjectStatusOp, Rule, StatusOp, TagOp,
};
use herald_core::SegmentId;
use roaring::RoaringBitmap;
use sqlx::{QueryBuilder, Sqlite};

use super::compile::compile_rule;
use super::SavedFilters;
use crate::contacts::{Direction, SortField};
use crate::{generation, Result, Store};

/// The sort orders a preview offers, in `SortField` terms.
const SORTS: [SortField; 4] = [
    SortField::Name,
    SortField::CreatedAt,
    SortField::LastInteractionAt,
    SortField::Revenue,
];

/// Marks "no such rowid" in per-rowid columns.
const HOLE: u32 = u32::MAX;

/// One sort order: rowids in (key, id) ascending order, and each rowid's
/// place in it.
#[derive(Debug)]
struct Order {
    rows: Vec<u32>,
    position: Vec<u32>,
}

/// The value type of one custom field in one contact (`json_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CustomType {
    Missing,
    Null,
    Text,
    Number,
    True,
    False,
}

/// One custom field key across all contacts: its type per rowid, numbers,
/// and text through a dictionary of distinct values.
#[derive(Debug)]
struct CustomColumn {
    types: Vec<CustomType>,
    numbers: Vec<f64>,
    codes: Vec<u32>,
    dict: Vec<String>,
}

/// Everything a filter can test, for one data generation.
pub struct SegmentIndex {
    generation: i64,
    all: RoaringBitmap,
    tags: HashMap<String, RoaringBitmap>,
    projects: HashMap<String, RoaringBitmap>,
    has_project: RoaringBitmap,
    country: HashMap<String, RoaringBitmap>,
    no_country: RoaringBitmap,
    email_status: HashMap<String, RoaringBitmap>,
    sms_status: HashMap<String, RoaringBitmap>,
    created_at: Vec<i64>,
    last_interaction: Vec<Option<i64>>,
    /// Revenue in ten-thousandths of a major unit (see `revenue_scale`).
    revenue: Vec<i128>,
    orders: Vec<(SortField, Order)>,
    custom: Mutex<HashMap<String, Arc<CustomColumn>>>,
    built_in: Duration,
}

/// A summary: the columns hold a value per contact, too many to print.
impl std::fmt::Debug for SegmentIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentIndex")
            .field("generation", &self.generation)
            .field("contacts", &self.all.len())
            .field("tags", &self.tags.len())
            .field("built_in", &self.built_in)
            .finish_non_exhaustive()
    }
}

/// Where a store keeps its index: the current one, and whether a rebuild
/// is under way.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    current: RwLock<Option<Arc<SegmentIndex>>>,
    building: AtomicBool,
    /// Whether stale indexes are rebuilt in the background.
    enabled: AtomicBool,
}

impl Slot {
    /// The index, if it was built at `generation`.
    pub(crate) fn fresh(&self, generation: i64) -> Option<Arc<SegmentIndex>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|ix| ix.generation == generation)
            .cloned()
    }

    fn set(&self, index: SegmentIndex) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        *current = Some(Arc::new(index));
    }

    pub(crate) fn enable(&self) {
        self.enabled.store(true, Ordering::SeqCst);
    }

    /// Starts a rebuild in the background, if enabled and none is running.
    pub(crate) fn rebuild_in_background(store: &Store) {
        let slot = store.segment_index();
        if !slot.enabled.load(Ordering::SeqCst) || slot.building.swap(true, Ordering::SeqCst) {
            return;
        }
        let store = store.clone();
        tokio::spawn(async move {
            match SegmentIndex::build(&store).await {
                Ok(index) => store.segment_index().set(index),
                Err(e) => tracing::warn!("building the segment index failed: {e:#}"),
            }
            store
                .segment_index()
                .building
                .store(false, Ordering::SeqCst);
        });
    }
}

/// Builds the index now and keeps it; returns how long it took.
pub async fn warm(store: &Store) -> Result<Duration> {
    let generation = generation::current(store).await?;
    if let Some(ix) = store.segment_index().fresh(generation) {
        return Ok(ix.built_in);
    }
    let index = SegmentIndex::build(store).await?;
    let took = index.built_in;
    store.segment_index().set(index);
    Ok(took)
}

/// How costly a child is to evaluate, for ordering an "all" group: bitmap
/// lookups, then column scans, then custom fields (which may load a column),
/// then what SQLite answers, then groups (which may hold anything).
fn cost(node: &Node) -> u8 {
    match node {
        Node::Rule(rule) => match rule {
            Rule::Country(_)
            | Rule::Tag(_)
            | Rule::ProjectStatus(_)
            | Rule::EmailStatus(_)
            | Rule::SmsStatus(_) => 0,
            Rule::Revenue(_) | Rule::Date(..) => 1,
            Rule::Custom(..) => 2,
            Rule::Segment { .. } => 3,
            Rule::Text(..) | Rule::Engagement(_) => 4,
        },
        Node::Group(_) => 3,
    }
}

type ContactColumns = (
    i64,
    Option<String>,
    i64,
    Option<i64>,
    i64,
    String,
    String,
    String,
);

fn rowid(raw: i64) -> Option<u32> {
    u32::try_from(raw).ok().filter(|r| *r != HOLE)
}

impl SegmentIndex {
    /// Reads the workspace into a new index (the generation is read first,
    /// so a write during the build leaves the index stale, never wrong).
    pub async fn build(store: &Store) -> Result<SegmentIndex> {
        let started = Instant::now();
        let generation = generation::current(store).await?;
        let pool = store.pool();
        let mut ix = SegmentIndex {
            generation,
            all: RoaringBitmap::new(),
            tags: HashMap::new(),
            projects: HashMap::new(),
            has_project: RoaringBitmap::new(),
            country: HashMap::new(),
            no_country: RoaringBitmap::new(),
            email_status: HashMap::new(),
            sms_status: HashMap::new(),
            created_at: Vec::new(),
            last_interaction: Vec::new(),
            revenue: Vec::new(),
            orders: Vec::new(),
            custom: Mutex::new(HashMap::new()),
            built_in: Duration::ZERO,
        };
        let mut scales: HashMap<String, i128> = HashMap::new();
        let mut rows = sqlx::query_as::<_, ContactColumns>(
            "SELECT rowid, country, created_at, last_interaction_at, revenue_minor,
                    revenue_currency, email_status, sms_status FROM contacts ORDER BY rowid",
        )
        .fetch(pool);
        while let Some((raw, country, created, last, revenue, currency, email, sms)) = rows
            .try_next()
            .await
            .context("reading contacts for the segment index")?
        {
            let Some(r) = rowid(raw) else {
                return Err(anyhow::anyhow!(
                    "contact rowid {raw} is too large for the segment index"
                )
                .into());
            };
            let at = r as usize;
            if ix.created_at.len() <= at {
                ix.created_at.resize(at + 1, 0);
                ix.last_interaction.resize(at + 1, None);
                ix.revenue.resize(at + 1, 0);
            }
            ix.all.insert(r);
            match country {
                Some(c) => ix.country.entry(c).or_default().insert(r),
                None => ix.no_country.insert(r),
            };
            ix.created_at[at] = created;
            ix.last_interaction[at] = last;
            let scale = *scales
                .entry(currency)
                .or_insert_with_key(|c| i128::from(revenue_scale(c)));
            ix.revenue[at] = i128::from(revenue) * scale;
            ix.email_status.entry(email).or_default().insert(r);
            ix.sms_status.entry(sms).or_default().insert(r);
        }
        drop(rows);
        tracing::debug!(elapsed = ?started.elapsed(), "segment index: contacts read");

        let mut tagged = sqlx::query_as::<_, (i64, String)>(
            "SELECT c.rowid, t.name FROM contact_tags ct
             JOIN contacts c ON c.id = ct.contact_id JOIN tags t ON t.id = ct.tag_id",
        )
        .fetch(pool);
        let mut folded: HashMap<String, String> = HashMap::new();
        while let Some((raw, name)) = tagged
            .try_next()
            .await
            .context("reading tags for the segment index")?
        {
            if let Some(r) = rowid(raw) {
                let key = folded.entry(name).or_insert_with_key(|n| fold(n)).clone();
                ix.tags.entry(key).or_default().insert(r);
            }
        }
        drop(tagged);
        tracing::debug!(elapsed = ?started.elapsed(), "segment index: tags read");

        let mut projects = sqlx::query_as::<_, (i64, String)>(
            "SELECT c.rowid, p.status FROM projects p JOIN contacts c ON c.id = p.contact_id",
        )
        .fetch(pool);
        while let Some((raw, status)) = projects
            .try_next()
            .await
            .context("reading projects for the segment index")?
        {
            if let Some(r) = rowid(raw) {
                let key = folded.entry(status).or_insert_with_key(|n| fold(n)).clone();
                ix.projects.entry(key).or_default().insert(r);
                ix.has_project.insert(r);
            }
        }
        drop(projects);
        tracing::debug!(elapsed = ?started.elapsed(), "segment index: projects read");

        let width = ix.created_at.len();
        for sort in SORTS {
            let key = sort.key();
            let mut order = Order {
                rows: Vec::with_capacity(ix.all.len() as usize),
                position: vec![HOLE; width],
            };
            let sql = format!("SELECT rowid FROM contacts ORDER BY {key} ASC, id ASC");
            let mut ids = sqlx::query_scalar::<_, i64>(&sql).fetch(pool);
            while let Some(raw) = ids.try_next().await.context("reading a sort order")? {
                if let Some(r) = rowid(raw).filter(|r| (*r as usize) < width) {
                    order.position[r as usize] = order.rows.len() as u32;
                    order.rows.push(r);
                }
            }
            ix.orders.push((sort, order));
            tracing::debug!(elapsed = ?started.elapsed(), ?sort, "segment index: order read");
        }
        ix.built_in = started.elapsed();
        Ok(ix)
    }

    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// The rowids `filter` matches.
    pub async fn evaluate(
        &self,
        store: &Store,
        filter: &Filter,
        clock: &Clock,
        saved: &SavedFilters,
    ) -> Result<RoaringBitmap> {
        let mut stack = Vec::new();
        self.group(store, &filter.root, &self.all, clock, saved, &mut stack)
            .await
    }

    /// The contacts of `domain` that match `group`. An "all" group hands
    /// each child only what the children before it kept, cheapest children
    /// first, so column scans run over the few contacts still in question.
    fn group<'a>(
        &'a self,
        store: &'a Store,
        group: &'a Group,
        domain: &'a RoaringBitmap,
        clock: &'a Clock,
        saved: &'a SavedFilters,
        stack: &'a mut Vec<SegmentId>,
    ) -> futures_util::future::BoxFuture<'a, Result<RoaringBitmap>> {
        Box::pin(async move {
            if group.children.is_empty() {
                return Ok(domain.clone());
            }
            match group.kind {
                GroupKind::All => {
                    let mut children: Vec<&Node> = group.children.iter().collect();
                    children.sort_by_key(|c| cost(c));
                    let mut acc = domain.clone();
                    for child in children {
                        if acc.is_empty() {
                            break;
                        }
                        acc = self.node(store, child, &acc, clock, saved, stack).await?;
                    }
                    Ok(acc)
                }
                GroupKind::Any | GroupKind::None => {
                    // Each child only needs to look at what no earlier
                    // child has matched yet.
                    let mut matched = RoaringBitmap::new();
                    let mut rest = domain.clone();
                    for child in &group.children {
                        if rest.is_empty() {
                            break;
                        }
                        let found = self.node(store, child, &rest, clock, saved, stack).await?;
                        rest -= &found;
                        matched |= found;
                    }
                    Ok(if group.kind == GroupKind::None {
                        domain - &matched
                    } else {
                        matched
                    })
                }
            }
        })
    }

    async fn node(
        &self,
        store: &Store,
        node: &Node,
        domain: &RoaringBitmap,
        clock: &Clock,
        saved: &SavedFilters,
        stack: &mut Vec<SegmentId>,
    ) -> Result<RoaringBitmap> {
        match node {
            Node::Group(g) => self.group(store, g, domain, clock, saved, stack).await,
            Node::Rule(r) => self.rule(store, r, domain, clock, saved, stack).await,
        }
    }

    fn union<'b>(&self, sets: impl Iterator<Item = Option<&'b RoaringBitmap>>) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for set in sets.flatten() {
            out |= set;
        }
        out
    }

    /// The contacts of `domain` that pass `test`, a column lookup by rowid.
    fn scan(&self, domain: &RoaringBitmap, test: impl Fn(usize) -> bool) -> RoaringBitmap {
        RoaringBitmap::from_sorted_iter(domain.iter().filter(|r| test(*r as usize)))
            .expect("rowids come out of a bitmap in order")
    }

    /// The contacts of `domain` that match `rule`.
    async fn rule(
        &self,
        store: &Store,
        rule: &Rule,
        domain: &RoaringBitmap,
        clock: &Clock,
        saved: &SavedFilters,
        stack: &mut Vec<SegmentId>,
    ) -> Result<RoaringBitmap> {
        let set = match rule {
            Rule::Country(op) => match op {
                CountryOp::Eq(c) => self.country.get(c.as_str()).cloned().unwrap_or_default(),
                CountryOp::Neq(c) => {
                    &self.all - &self.union(std::iter::once(self.country.get(c.as_str())))
                }
                CountryOp::In(set) => self.union(set.iter().map(|c| self.country.get(c.as_str()))),
                CountryOp::NotIn(set) => {
                    &self.all - &self.union(set.iter().map(|c| self.country.get(c.as_str())))
                }
                CountryOp::IsEmpty => self.no_country.clone(),
                CountryOp::IsNotEmpty => &self.all - &self.no_country,
            },
            Rule::Tag(op) => match op {
                TagOp::HasAny(names) => self.union(names.iter().map(|n| self.tags.get(n))),
                TagOp::HasNone(names) => {
                    &self.all - &self.union(names.iter().map(|n| self.tags.get(n)))
                }
                TagOp::HasAll(names) => {
                    let mut acc = self.all.clone();
                    for n in names {
                        match self.tags.get(n) {
                            Some(set) => acc &= set,
                            None => return Ok(RoaringBitmap::new()),
                        }
                    }
                    acc
                }
            },
            Rule::ProjectStatus(op) => match op {
                ProjectStatusOp::In(set) => self.union(set.iter().map(|s| self.projects.get(s))),
                ProjectStatusOp::NotIn(set) => {
                    &self.all - &self.union(set.iter().map(|s| self.projects.get(s)))
                }
                ProjectStatusOp::IsEmpty => &self.all - &self.has_project,
            },
            Rule::Revenue(op) => {
                let op = op.map(i128::from);
                self.scan(domain, |r| op.test(self.revenue[r]))
            }
            Rule::Date(field, op) => self.date(domain, *field, op, clock),
            Rule::EmailStatus(op) => self.status(op, &self.email_status, |s| s.as_str()),
            Rule::SmsStatus(op) => self.status(op, &self.sms_status, |s| s.as_str()),
            Rule::Custom(key, op) => {
                let column = self.custom_column(store, key).await?;
                self.custom(domain, &column, op, clock)
            }
            Rule::Segment { id, member } => {
                let Some(inner) = saved.get(*id) else {
                    return Err(anyhow::anyhow!("segment {id} is not saved").into());
                };
                if stack.contains(id) {
                    return Err(anyhow::anyhow!("segment {id} includes itself").into());
                }
                stack.push(*id);
                let set = self
                    .group(store, &inner.filter.root, domain, clock, saved, stack)
                    .await?;
                stack.pop();
                if *member {
                    set
                } else {
                    domain - &set
                }
            }
            // Text lives in SQLite only: ask it for this one rule.
            Rule::Text(..) | Rule::Engagement(_) => {
                let compiled =
                    compile_rule(rule, clock, saved).map_err(|e| anyhow::anyhow!("{e}"))?;
                let mut q = QueryBuilder::<Sqlite>::new("SELECT rowid FROM contacts WHERE ");
                compiled.push_to(&mut q);
                q.push(" ORDER BY rowid");
                let ids: Vec<i64> = q
                    .build_query_scalar()
                    .fetch_all(store.pool())
                    .await
                    .context("evaluating a text rule")?;
                let set: RoaringBitmap = ids.into_iter().filter_map(rowid).collect();
                // Only contacts the index knows (the domain is within them):
                // one created since the build would make counts disagree.
                set
            }
        };
        Ok(set & domain)
    }

    fn date(
        &self,
        domain: &RoaringBitmap,
        field: DateField,
        op: &DateOp,
        clock: &Clock,
    ) -> RoaringBitmap {
        match (field, op) {
            (DateField::CreatedAt, DateOp::IsEmpty) => RoaringBitmap::new(),
            (DateField::CreatedAt, DateOp::IsNotEmpty) => self.all.clone(),
            (DateField::LastInteraction, DateOp::IsEmpty) => {
                self.scan(domain, |r| self.last_interaction[r].is_none())
            }
            (DateField::LastInteraction, DateOp::IsNotEmpty) => {
                self.scan(domain, |r| self.last_interaction[r].is_some())
            }
            (field, op) => {
                let range = clock
                    .instant_range(op)
                    .expect("every other date operator has a range");
                match field {
                    DateField::CreatedAt => {
                        self.scan(domain, |r| range.contains(self.created_at[r]))
                    }
                    DateField::LastInteraction => self.scan(domain, |r| {
                        self.last_interaction[r].is_some_and(|at| range.contains(at))
                    }),
                }
            }
        }
    }

    fn status<S>(
        &self,
        op: &StatusOp<S>,
        sets: &HashMap<String, RoaringBitmap>,
        name: fn(&S) -> &'static str,
    ) -> RoaringBitmap {
        match op {
            StatusOp::In(set) => self.union(set.iter().map(|s| sets.get(name(s)))),
            StatusOp::NotIn(set) => &self.all - &self.union(set.iter().map(|s| sets.get(name(s)))),
        }
    }

    async fn custom_column(&self, store: &Store, key: &str) -> Result<Arc<CustomColumn>> {
        if let Some(column) = self
            .custom
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return Ok(Arc::clone(column));
        }
        let path = format!("$.\"{key}\"");
        let width = self.created_at.len();
        let mut column = CustomColumn {
            types: vec![CustomType::Missing; width],
            numbers: vec![f64::NAN; width],
            codes: vec![HOLE; width],
            dict: Vec::new(),
        };
        let mut codes: HashMap<String, u32> = HashMap::new();
        let mut rows = sqlx::query_as::<_, (i64, Option<String>, Option<f64>, Option<String>)>(
            "SELECT rowid, t, CASE WHEN t IN ('integer', 'real') THEN CAST(v AS REAL) END,
                    CASE WHEN t = 'text' THEN v END
             FROM (SELECT rowid, json_type(custom, ?1) AS t, json_extract(custom, ?1) AS v
                   FROM contacts)
             WHERE t IS NOT NULL",
        )
        .bind(&path)
        .fetch(store.pool());
        while let Some((raw, ty, number, text)) = rows
            .try_next()
            .await
            .context("reading a custom field for the segment index")?
        {
            let Some(r) = rowid(raw).map(|r| r as usize).filter(|r| *r < width) else {
                continue;
            };
            column.types[r] = match ty.as_deref() {
                Some("null") => CustomType::Null,
                Some("text") => CustomType::Text,
                Some("integer" | "real") => CustomType::Number,
                Some("true") => CustomType::True,
                Some("false") => CustomType::False,
                // Objects and arrays (never written by Herald) compare as
                // nothing, like a type the rule does not use.
                _ => CustomType::Missing,
            };
            if let Some(n) = number {
                column.numbers[r] = n;
            }
            if let Some(t) = text {
                let next = column.dict.len() as u32;
                let code = *codes.entry(t.clone()).or_insert_with(|| {
                    column.dict.push(t);
                    next
                });
                column.codes[r] = code;
            }
        }
        drop(rows);
        let column = Arc::new(column);
        self.custom
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned(), Arc::clone(&column));
        Ok(column)
    }

    fn custom(
        &self,
        domain: &RoaringBitmap,
        column: &CustomColumn,
        op: &CustomOp,
        clock: &Clock,
    ) -> RoaringBitmap {
        let text_of = |r: usize| -> Option<&str> {
            (column.types[r] == CustomType::Text)
                .then(|| column.dict[column.codes[r] as usize].as_str())
        };
        match op {
            CustomOp::Text(op) => {
                let per_value: Vec<bool> = column
                    .dict
                    .iter()
                    .map(|t| text_test(op, &fold(t)))
                    .collect();
                let otherwise = text_test(op, "");
                self.scan(domain, |r| match column.types[r] {
                    CustomType::Text => per_value[column.codes[r] as usize],
                    _ => otherwise,
                })
            }
            CustomOp::Number(op) => self.scan(domain, |r| match column.types[r] {
                CustomType::Number => op.test(column.numbers[r]),
                _ => op.is_negative(),
            }),
            CustomOp::Date(op) => {
                let (from, until) = clock
                    .date_range(op)
                    .expect("custom date operators all have a range")
                    .as_iso();
                let per_value: Vec<bool> = column
                    .dict
                    .iter()
                    .map(|s| {
                        herald_core::segment::is_iso_day_shape(s)
                            && from.as_deref().is_none_or(|f| s.as_str() >= f)
                            && until.as_deref().is_none_or(|u| s.as_str() <= u)
                    })
                    .collect();
                self.scan(domain, |r| {
                    column.types[r] == CustomType::Text && per_value[column.codes[r] as usize]
                })
            }
            CustomOp::IsTrue => self.scan(domain, |r| column.types[r] == CustomType::True),
            CustomOp::IsFalse => self.scan(domain, |r| column.types[r] == CustomType::False),
            CustomOp::IsEmpty | CustomOp::IsNotEmpty => {
                let empty = |r: usize| match column.types[r] {
                    CustomType::Missing | CustomType::Null => true,
                    CustomType::Text => text_of(r).is_some_and(|t| fold(t).is_empty()),
                    _ => false,
                };
                if *op == CustomOp::IsEmpty {
                    self.scan(domain, empty)
                } else {
                    self.scan(domain, |r| !empty(r))
                }
            }
        }
    }

    /// The rowids of one page of `matching` in a preview order: the
    /// `limit` after `after` (a rowid), and whether more follow.
    pub fn page(
        &self,
        matching: &RoaringBitmap,
        sort: SortField,
        direction: Direction,
        after: Option<u32>,
        limit: usize,
    ) -> Option<(Vec<i64>, bool)> {
        let (_, order) = self.orders.iter().find(|(s, _)| *s == sort)?;
        let start = match after {
            Some(r) => match order.position.get(r as usize) {
                Some(&p) if p != HOLE => Some(p),
                _ => return None,
            },
            None => None,
        };
        let wanted = limit + 1;
        let mut picked: Vec<u32> = Vec::with_capacity(wanted);
        // Few matches: sort their positions. Many: walk the order.
        if matching.len() <= 20_000 {
            let mut positions: Vec<u32> = matching
                .iter()
                .filter_map(|r| order.position.get(r as usize).copied())
                .filter(|p| *p != HOLE)
                .filter(|p| match (direction, start) {
                    (_, None) => true,
                    (Direction::Asc, Some(s)) => *p > s,
                    (Direction::Desc, Some(s)) => *p < s,
                })
                .collect();
            positions.sort_unstable();
            if direction == Direction::Desc {
                positions.reverse();
            }
            positions.truncate(wanted);
            picked.extend(positions.into_iter().map(|p| order.rows[p as usize]));
        } else {
            let n = order.rows.len();
            let positions: Box<dyn Iterator<Item = usize>> = match (direction, start) {
                (Direction::Asc, None) => Box::new(0..n),
                (Direction::Asc, Some(s)) => Box::new(s as usize + 1..n),
                (Direction::Desc, None) => Box::new((0..n).rev()),
                (Direction::Desc, Some(s)) => Box::new((0..s as usize).rev()),
            };
            for p in positions {
                let r = order.rows[p];
                if matching.contains(r) {
                    picked.push(r);
                    if picked.len() == wanted {
                        break;
                    }
                }
            }
        }
        let more = picked.len() > limit;
        picked.truncate(limit);
        Some((picked.into_iter().map(i64::from).collect(), more))
    }
}
