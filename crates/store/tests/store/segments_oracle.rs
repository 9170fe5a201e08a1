//! The SQL compiler against the oracle: random workspaces (written straight
//! into a real SQLite file, including the awkward values the store's own
//! writers never produce, such as whitespace-only text) and random filters.
//! For every filter the set of contacts SQLite returns must be exactly the
//! set `Filter::matches` accepts.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use herald_core::segment::{Clock, ContactFacts, Filter};
use herald_core::{CountryCode, EmailStatus, SegmentId, SmsStatus};
use herald_store::contacts::{Direction, SortField};
use herald_store::segments::{self, compile, SavedFilter, SavedFilters, SegmentIndex};
use herald_store::Store;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use sqlx::{QueryBuilder, Sqlite};

use crate::helpers::fresh_store;

/// Text that exercises folding, trimming and emptiness.
const WORDS: &[&str] = &[
    "ölaf",
    "ÖLAF",
    " Ada ",
    "ada",
    "STRASSE",
    "straße",
    "",
    "   ",
    "Bob",
    "bo",
    "x%_y",
    "ΣΊΣΥΦΟΣ",
    "σίσυφος",
    "Zoë",
];
/// Filter values: never empty after folding.
const NEEDLES: &[&str] = &[
    "ölaf",
    "Ölaf",
    "ada",
    "ADA ",
    "strasse",
    "straße",
    "bob",
    "bo",
    "o",
    "x%_y",
    "%",
    "σίσυφος",
    "ς",
    "zoë",
    "ex.com",
    "c1",
];
const TAGS: &[&str] = &["VIP", "newsletter", "Ölaf", "ölaf", "b2b"];
const STATUSES: &[&str] = &["lead", "active", "on_hold", "won", "lost"];
const COUNTRIES: &[&str] = &["US", "DE", "FR", "GB"];
const CURRENCIES: &[&str] = &["USD", "JPY", "BHD", "EUR"];
const ZONES: &[&str] = &["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];
const KEYS: &[&str] = &["plan", "score", "vip", "since", "note"];

/// A field and its operator with an optional value.
type FieldOp = (String, (String, Option<Value>));

fn now() -> DateTime<Utc> {
    "2026-06-15T12:00:00Z".parse().unwrap()
}

#[derive(Debug, Clone)]
struct GenContact {
    first_name: Option<String>,
    last_name: Option<String>,
    email_domain: Option<String>,
    company: Option<String>,
    city: Option<String>,
    country: Option<String>,
    created_hours_ago: i64,
    last_interaction_hours_ago: Option<i64>,
    revenue_minor: i64,
    currency: String,
    custom: Map<String, Value>,
    email_status: EmailStatus,
    sms_status: SmsStatus,
    tags: Vec<String>,
    projects: Vec<String>,
}

fn word() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(WORDS).prop_map(str::to_owned))
}

fn custom_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(|w| json!(w)),
        (-5i64..200).prop_map(|n| json!(n)),
        (-50.0f64..50.0).prop_map(|x| json!((x * 4.0).round() / 4.0)),
        any::<bool>().prop_map(|b| json!(b)),
        (-400i64..400).prop_map(|d| json!((now().date_naive() + Duration::days(d))
            .format("%Y-%m-%d")
            .to_string())),
        Just(json!("2026-13-45")),
        Just(Value::Null),
    ]
}

fn contact() -> impl Strategy<Value = GenContact> {
    (
        (
            word(),
            word(),
            prop::option::of(
                prop::sample::select(&["ex.com", "Other.org"][..]).prop_map(str::to_owned),
            ),
            word(),
            word(),
        ),
        (
            prop::option::of(prop::sample::select(COUNTRIES).prop_map(str::to_owned)),
            -48i64..24 * 800,
            prop::option::of(-48i64..24 * 800),
            prop::sample::select(&[0i64, 0, 0, 1000, 250_000, 99_999, 1_000_000][..]),
            prop::sample::select(CURRENCIES).prop_map(str::to_owned),
        ),
        (
            prop::collection::btree_map(
                prop::sample::select(KEYS).prop_map(str::to_owned),
                custom_value(),
                0..4,
            ),
            prop::sample::select(EmailStatus::ALL),
            prop::sample::select(SmsStatus::ALL),
            prop::sample::subsequence(TAGS, 0..3),
            prop::collection::vec(prop::sample::select(STATUSES), 0..3),
        ),
    )
        .prop_map(
            |(
                (first_name, last_name, email_domain, company, city),
                (country, created_hours_ago, last_interaction_hours_ago, revenue_minor, currency),
                (custom, email_status, sms_status, tags, projects),
            )| GenContact {
                first_name,
                last_name,
                email_domain,
                company,
                city,
                country,
                created_hours_ago,
                last_interaction_hours_ago,
                revenue_minor,
                currency,
                custom: custom.into_iter().collect(),
                email_status,
                sms_status,
                tags: tags.into_iter().map(str::to_owned).collect(),
                projects: projects.into_iter().map(str::to_owned).collect(),
            },
        )
}

fn needle() -> impl Strategy<Value = Value> {
    prop::sample::select(NEEDLES).prop_map(|n| json!(n))
}

fn needles() -> impl Strategy<Value = Value> {
    prop::collection::vec(prop::sample::select(NEEDLES), 1..3).prop_map(|v| json!(v))
}

fn day() -> impl Strategy<Value = String> {
    (-500i64..100).prop_map(|d| {
        (now().date_naive() + Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    })
}

fn span() -> impl Strategy<Value = Value> {
    (
        1u32..40,
        prop::sample::select(&["days", "weeks", "months", "years"][..]),
    )
        .prop_map(|(amount, unit)| json!({"amount": amount, "unit": unit}))
}

fn date_op() -> impl Strategy<Value = (String, Option<Value>)> {
    prop_oneof![
        day().prop_map(|d| ("before".to_owned(), Some(json!(d)))),
        day().prop_map(|d| ("after".to_owned(), Some(json!(d)))),
        (day(), day()).prop_map(|(a, b)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            ("between".to_owned(), Some(json!([lo, hi])))
        }),
        span().prop_map(|s| ("within_last".to_owned(), Some(s))),
        span().prop_map(|s| ("more_than_ago".to_owned(), Some(s))),
        Just(("is_empty".to_owned(), None)),
        Just(("is_not_empty".to_owned(), None)),
    ]
}

fn text_op() -> impl Strategy<Value = (String, Option<Value>)> {
    prop_oneof![
        prop::sample::select(
            &[
                "eq",
                "neq",
                "contains",
                "not_contains",
                "starts_with",
                "ends_with"
            ][..]
        )
        .prop_flat_map(|op| needle().prop_map(move |v| (op.to_owned(), Some(v)))),
        prop::sample::select(&["in", "not_in"][..])
            .prop_flat_map(|op| needles().prop_map(move |v| (op.to_owned(), Some(v)))),
        prop::sample::select(&["is_empty", "is_not_empty"][..])
            .prop_map(|op| (op.to_owned(), None)),
    ]
}

fn number_op(values: Vec<f64>) -> impl Strategy<Value = (String, Option<Value>)> {
    let pick = prop::sample::select(values);
    prop_oneof![
        (
            prop::sample::select(&["eq", "neq", "gt", "gte", "lt", "lte"][..]),
            pick.clone()
        )
            .prop_map(|(op, v)| (op.to_owned(), Some(json!(v)))),
        (pick.clone(), pick).prop_map(|(a, b)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            ("between".to_owned(), Some(json!([lo, hi])))
        }),
    ]
}

fn rule(segment_ids: Vec<String>) -> impl Strategy<Value = Value> {
    let text = (
        prop::sample::select(
            &[
                "first_name",
                "last_name",
                "email",
                "company",
                "city",
                "region",
                "phone",
            ][..],
        ),
        text_op(),
    )
        .prop_map(|(f, op)| (f.to_owned(), op));
    let country = prop_oneof![
        (
            prop::sample::select(&["eq", "neq"][..]),
            prop::sample::select(COUNTRIES)
        )
            .prop_map(|(op, c)| (op.to_owned(), Some(json!(c)))),
        (
            prop::sample::select(&["in", "not_in"][..]),
            prop::sample::subsequence(COUNTRIES, 1..3)
        )
            .prop_map(|(op, c)| (op.to_owned(), Some(json!(c)))),
        prop::sample::select(&["is_empty", "is_not_empty"][..])
            .prop_map(|op| (op.to_owned(), None)),
    ]
    .prop_map(|op| ("country".to_owned(), op));
    let tag = (
        prop::sample::select(&["has_any", "has_all", "has_none"][..]),
        prop::collection::vec(
            prop::sample::select(&["vip", "NEWSLETTER", "ölaf", "OLAF", "b2b", "nope"][..]),
            1..3,
        ),
    )
        .prop_map(|(op, v)| ("tag".to_owned(), (op.to_owned(), Some(json!(v)))));
    let project = prop_oneof![
        (
            prop::sample::select(&["in", "not_in"][..]),
            prop::sample::subsequence(STATUSES, 1..3)
        )
            .prop_map(|(op, v)| (op.to_owned(), Some(json!(v)))),
        Just(("is_empty".to_owned(), None)),
    ]
    .prop_map(|op| ("project_status".to_owned(), op));
    let revenue = number_op(vec![
        0.0, 10.0, 100.0, 2500.0, 99.999, 999.99, 10000.0, 250.0,
    ])
    .prop_map(|op| ("revenue".to_owned(), op));
    let dates = (
        prop::sample::select(&["created_at", "last_interaction"][..]),
        date_op(),
    )
        .prop_map(|(f, op)| (f.to_owned(), op));
    let statuses = prop_oneof![
        (
            prop::sample::select(&["in", "not_in"][..]),
            prop::sample::subsequence(
                &["subscribed", "unsubscribed", "bounced", "complained"][..],
                1..3
            )
        )
            .prop_map(|(op, v)| ("email_status".to_owned(), (op.to_owned(), Some(json!(v))))),
        (
            prop::sample::select(&["in", "not_in"][..]),
            prop::sample::subsequence(&["subscribed", "opted_out", "invalid"][..], 1..3)
        )
            .prop_map(|(op, v)| ("sms_status".to_owned(), (op.to_owned(), Some(json!(v))))),
    ];
    let custom = (
        prop::sample::select(KEYS),
        prop_oneof![
            text_op(),
            number_op(vec![-5.0, 0.0, 3.0, 12.5, 100.0, 199.0]),
            date_op().prop_filter("custom dates have a range", |(op, _)| op != "is_empty"
                && op != "is_not_empty"),
            prop::sample::select(&["is_true", "is_false", "is_empty", "is_not_empty"][..])
                .prop_map(|op| (op.to_owned(), None)),
        ],
    )
        .prop_map(|(k, op)| (format!("custom.{k}"), op));
    let mut choices: Vec<BoxedStrategy<FieldOp>> = vec![
        text.boxed(),
        country.boxed(),
        tag.boxed(),
        project.boxed(),
        revenue.boxed(),
        dates.boxed(),
        statuses.boxed(),
        custom.boxed(),
    ];
    if !segment_ids.is_empty() {
        choices.push(
            (
                prop::sample::select(&["in", "not_in"][..]),
                prop::sample::select(segment_ids),
            )
                .prop_map(|(op, id)| ("segment".to_owned(), (op.to_owned(), Some(json!(id)))))
                .boxed(),
        );
    }
    prop::strategy::Union::new(choices).prop_map(|(field, (op, value))| {
        let mut rule = json!({"field": field, "op": op});
        if let Some(v) = value {
            rule["value"] = v;
        }
        rule
    })
}

fn filter(segment_ids: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = rule(segment_ids);
    let tree = leaf.prop_recursive(3, 12, 4, |inner| {
        (
            prop::sample::select(&["all", "any", "none"][..]),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(kind, children)| json!({ kind: children }))
    });
    (
        prop::sample::select(&["all", "any", "none"][..]),
        prop::collection::vec(tree, 0..4),
    )
        .prop_map(|(kind, children)| json!({ kind: children }))
}

/// Writes the generated contacts straight into the workspace.
async fn load(store: &Store, contacts: &[GenContact]) {
    let now = now();
    let mut tx = store.begin_write().await.unwrap();
    for (i, tag) in TAGS.iter().enumerate() {
        sqlx::query("INSERT INTO tags (id, name, created_at) VALUES (?, ?, 0)")
            .bind(tag_id(i))
            .bind(*tag)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for (i, c) in contacts.iter().enumerate() {
        let id = uuid::Uuid::now_v7();
        let at = |hours: i64| (now - Duration::hours(hours)).timestamp_millis() - i as i64;
        sqlx::query(
            "INSERT INTO contacts (id, first_name, last_name, email, phone, company, city, region,
                 country, created_at, updated_at, last_interaction_at, revenue_minor,
                 revenue_currency, custom, email_status, sms_status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(
            c.email_domain
                .as_ref()
                .map(|d| format!("c{i}@{}", d.to_lowercase())),
        )
        .bind(format!("+1201555{i:04}"))
        .bind(&c.company)
        .bind(&c.city)
        // Region reuses the city's word for a different column.
        .bind(c.city.as_ref().map(|w| w.to_uppercase()))
        .bind(&c.country)
        .bind(at(c.created_hours_ago))
        .bind(at(c.created_hours_ago))
        .bind(c.last_interaction_hours_ago.map(at))
        .bind(c.revenue_minor)
        .bind(&c.currency)
        .bind(Value::Object(c.custom.clone()).to_string())
        .bind(c.email_status.as_str())
        .bind(c.sms_status.as_str())
        .execute(&mut *tx)
        .await
        .unwrap();
        for tag in &c.tags {
            let t = TAGS.iter().position(|x| x == tag).unwrap();
            sqlx::query("INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)")
                .bind(id)
                .bind(tag_id(t))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        for status in &c.projects {
            sqlx::query(
                "INSERT INTO projects (id, contact_id, name, status, created_at, updated_at)
                 VALUES (?, ?, 'p', ?, 0, 0)",
            )
            .bind(uuid::Uuid::now_v7())
            .bind(id)
            .bind(status)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn tag_id(i: usize) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x1000 + i as u128)
}

/// Every contact as the oracle sees it, read back from SQLite.
#[allow(clippy::type_complexity)] // one row of 16 columns, read once
async fn facts(store: &Store) -> Vec<(uuid::Uuid, ContactFacts)> {
    let rows: Vec<(
        uuid::Uuid,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        i64,
        String,
        String,
        String,
        String,
    )> = sqlx::query_as(
        "SELECT id, first_name, last_name, email, company, city, region, phone, country,
                    created_at, last_interaction_at, revenue_minor, revenue_currency, custom,
                    email_status, sms_status FROM contacts",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let tags: Vec<(uuid::Uuid, String)> = sqlx::query_as(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let projects: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT contact_id, status FROM projects")
            .fetch_all(store.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|r| {
            let id = r.0;
            let custom: Value = serde_json::from_str(&r.13).unwrap();
            (
                id,
                ContactFacts {
                    first_name: r.1,
                    last_name: r.2,
                    email: r.3,
                    company: r.4,
                    city: r.5,
                    region: r.6,
                    phone: r.7,
                    country: r.8.map(|c| CountryCode::parse(&c).unwrap()),
                    created_at: r.9,
                    last_interaction_at: r.10,
                    revenue_minor: r.11,
                    revenue_currency: r.12,
                    custom: custom.as_object().unwrap().clone(),
                    email_status: EmailStatus::parse(&r.14).unwrap(),
                    sms_status: SmsStatus::parse(&r.15).unwrap(),
                    tags: tags
                        .iter()
                        .filter(|(c, _)| *c == id)
                        .map(|(_, t)| t.clone())
                        .collect(),
                    project_statuses: projects
                        .iter()
                        .filter(|(c, _)| *c == id)
                        .map(|(_, s)| s.clone())
                        .collect(),
                },
            )
        })
        .collect()
}

async fn sql_matches(
    store: &Store,
    filter: &Filter,
    clock: &Clock,
    saved: &SavedFilters,
) -> BTreeSet<uuid::Uuid> {
    let compiled = compile(filter, clock, saved).expect("the filter compiles");
    let mut q = QueryBuilder::<Sqlite>::new("SELECT id FROM contacts WHERE ");
    compiled.push_to(&mut q);
    let ids: Vec<uuid::Uuid> = q
        .build_query_scalar()
        .fetch_all(store.pool())
        .await
        .unwrap_or_else(|e| panic!("SQL failed: {e}\n{:?}", compiled.to_sql()));
    ids.into_iter().collect()
}

#[test]
fn sql_and_oracle_agree_on_random_filters_and_workspaces() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let segment_ids: Vec<String> = (0..2).map(|_| SegmentId::new().to_string()).collect();
    let workspace = (
        prop::collection::vec(contact(), 5..40),
        prop::sample::select(ZONES),
        prop::collection::vec(filter(Vec::new()), 2),
        prop::collection::vec(filter(segment_ids.clone()), 12),
    );
    let mut runner = TestRunner::new(Config {
        cases: 40,
        ..Config::default()
    });
    runner
        .run(&workspace, |(contacts, zone, saved_json, filters)| {
            rt.block_on(async {
                let (_dir, store) = fresh_store().await;
                load(&store, &contacts).await;
                let clock = Clock::new(now(), zone.parse().unwrap());
                // Two saved segments that the random filters may refer to.
                let mut saved = SavedFilters::default();
                for (i, json) in saved_json.iter().enumerate() {
                    let filter = Filter::parse(json).expect("generated filters are valid");
                    saved.insert(
                        SegmentId::parse(&segment_ids[i]).unwrap(),
                        SavedFilter {
                            name: format!("s{i}"),
                            filter,
                        },
                    );
                }
                let lookup: HashMap<SegmentId, Filter> = segment_ids
                    .iter()
                    .map(|id| {
                        let id = SegmentId::parse(id).unwrap();
                        (id, saved.get(id).unwrap().filter.clone())
                    })
                    .collect();
                let all = facts(&store).await;
                let index = SegmentIndex::build(&store).await.unwrap();
                let by_rowid: HashMap<u32, uuid::Uuid> =
                    sqlx::query_as::<_, (i64, uuid::Uuid)>("SELECT rowid, id FROM contacts")
                        .fetch_all(store.pool())
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|(r, id)| (u32::try_from(r).unwrap(), id))
                        .collect();
                for json in &filters {
                    let filter = Filter::parse(json)
                        .unwrap_or_else(|e| panic!("generated filter refused: {e:?}\n{json}"));
                    let expected: BTreeSet<uuid::Uuid> = all
                        .iter()
                        .filter(|(_, c)| filter.matches(c, &clock, &lookup).unwrap())
                        .map(|(id, _)| *id)
                        .collect();
                    let got = sql_matches(&store, &filter, &clock, &saved).await;
                    prop_assert_eq!(
                        &got,
                        &expected,
                        "SQL: filter {} in {} disagrees",
                        json,
                        zone
                    );
                    let indexed: BTreeSet<uuid::Uuid> = index
                        .evaluate(&store, &filter, &clock, &saved)
                        .await
                        .unwrap()
                        .iter()
                        .map(|r| by_rowid[&r])
                        .collect();
                    prop_assert_eq!(
                        &indexed,
                        &expected,
                        "index: filter {} in {} disagrees",
                        json,
                        zone
                    );
                }
                store.close().await;
                Ok(())
            })
        })
        .unwrap();
}

/// Parsing arbitrary JSON never panics: it yields a filter or issues.
#[test]
fn the_parser_survives_arbitrary_json() {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z_.]{0,12}".prop_map(Value::from),
        prop::sample::select(
            &[
                "all",
                "any",
                "none",
                "field",
                "op",
                "value",
                "tag",
                "revenue",
                "custom.x",
                "between",
                "within_last",
                "in",
                "segment",
                "engagement",
                "days",
                "amount",
                "unit"
            ][..]
        )
        .prop_map(Value::from),
    ];
    let json = leaf.prop_recursive(10, 200, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(
                    &[
                        "all",
                        "any",
                        "none",
                        "field",
                        "op",
                        "value",
                        "amount",
                        "unit",
                        "campaign",
                        "within_last",
                        "x"
                    ][..]
                )
                .prop_map(str::to_owned),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        ..Config::default()
    });
    runner
        .run(&json, |value| {
            match Filter::parse(&value) {
                Ok(_) => {}
                Err(issues) => prop_assert!(!issues.is_empty()),
            }
            Ok(())
        })
        .unwrap();
}

/// `n` deterministic contacts a preview can read back whole: the store's
/// readers refuse null custom values (its writers never store them).
fn previewable_contacts(n: usize) -> Vec<GenContact> {
    let c = contact();
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| {
            let mut contact = c.new_tree(&mut runner).unwrap().current();
            contact.custom.retain(|_, v| !v.is_null());
            contact
        })
        .collect()
}

/// Saved-segment counts use the same compiler as the property test above.
#[tokio::test]
async fn preview_counts_equal_the_compiled_count() {
    let (_dir, store) = fresh_store().await;
    load(&store, &previewable_contacts(30)).await;
    let filter = json!({"any": [{"field": "tag", "op": "has_any", "value": ["vip"]}, {"field": "revenue", "op": "gt", "value": 0}]});
    let preview = segments::preview(&store, &filter, SortField::Name, Direction::Asc, None, 5)
        .await
        .unwrap();
    let (_, compiled) = segments::prepare(&store, &filter).await.unwrap();
    assert_eq!(
        preview.count,
        segments::count_compiled(&store, &compiled).await.unwrap()
    );
    assert!(preview.contacts.len() <= 5);
}

/// Walks every page of a preview in every order, once through SQL and once
/// through the index: the same contacts, in the same order, with the same
/// cursors and counts.
#[tokio::test]
async fn index_pages_equal_sql_pages_in_every_order() {
    let (dir, store) = fresh_store().await;
    load(&store, &previewable_contacts(60)).await;
    let indexed = store.clone();
    segments::warm_index(&indexed).await.unwrap();
    // A second handle on the same file has no index: the SQL path.
    let plain = Store::open(&dir.path().join("workspace.herald"))
        .await
        .unwrap();
    let filters = [
        json!({"all": []}),
        json!({"any": [{"field": "tag", "op": "has_any", "value": ["vip", "b2b"]}, {"field": "country", "op": "in", "value": ["DE", "FR"]}]}),
        json!({"none": [{"field": "company", "op": "contains", "value": "a"}]}),
    ];
    for filter in &filters {
        for sort in segments::PREVIEW_SORTS {
            for direction in [Direction::Asc, Direction::Desc] {
                let mut cursors = (None::<String>, None::<String>);
                loop {
                    let a =
                        segments::preview(&plain, filter, sort, direction, cursors.0.clone(), 7)
                            .await
                            .unwrap();
                    let b =
                        segments::preview(&indexed, filter, sort, direction, cursors.1.clone(), 7)
                            .await
                            .unwrap();
                    let ids =
                        |p: &segments::Preview| p.contacts.iter().map(|c| c.id).collect::<Vec<_>>();
                    assert_eq!(a.count, b.count, "{filter} {sort:?} {direction:?}");
                    assert_eq!(ids(&a), ids(&b), "{filter} {sort:?} {direction:?}");
                    assert_eq!(
                        a.next_cursor, b.next_cursor,
                        "{filter} {sort:?} {direction:?}"
                    );
                    match a.next_cursor {
                        Some(next) => cursors = (Some(next.clone()), Some(next)),
                        None => break,
                    }
                }
            }
        }
    }
}
