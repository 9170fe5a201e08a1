//! The contact table's query: every sort order pages through every contact
//! exactly once in the right order, filters narrow it, and `total` counts
//! what the filters match.

use std::cmp::Ordering;

use herald_core::{ContactId, EmailStatus, InteractionKind, SmsStatus};
use herald_store::contacts::{self, Contact, Direction, PageQuery, SortField};
use herald_store::interactions::{self, NewInteraction};
use herald_store::{from_millis, Store, StoreError};

use crate::helpers::*;

/// 40 contacts with ties and gaps in every sort column: shared companies and
/// countries, no name, no email, no company, no country, no interactions,
/// zero revenue.
fn table_csv() -> String {
    let mut csv = String::from(
        "First Name,Last Name,Email,Phone,Company,Country,Revenue,Created At,Tags,Email Status,SMS Status\n",
    );
    let companies = ["Acme", "acme", "Globex", "", "Initech"];
    let countries = ["US", "DE", "", "FR"];
    let statuses = ["subscribed", "unsubscribed", "bounced"];
    for i in 0..40 {
        let (first, last) = match i % 6 {
            0 => (String::new(), String::new()),
            1 => (format!("First{}", i % 4), String::new()),
            2 => (String::new(), format!("Last{}", i % 3)),
            _ => (format!("Fn{}", i % 5), format!("Ln{}", i % 7)),
        };
        let email = if i % 9 == 4 {
            String::new()
        } else {
            format!("person{i:02}@example.com")
        };
        let phone = if email.is_empty() || i % 3 == 0 {
            format!("+1201555{:04}", 100 + i)
        } else {
            String::new()
        };
        let revenue = if i % 4 == 0 { 0 } else { (i * 37) % 500 };
        let tags = if i % 5 == 0 {
            "VIP;Newsletter"
        } else {
            "Newsletter"
        };
        let sms = if i % 7 == 0 {
            "opted_out"
        } else {
            "subscribed"
        };
        csv.push_str(&format!(
            "{first},{last},{email},{phone},{},{},{revenue},2025-01-{:02} 10:00:00,{tags},{},{sms}\n",
            companies[i % 5],
            countries[i % 4],
            1 + (i % 20),
            statuses[i % 3],
        ));
    }
    csv
}

async fn table_store() -> (tempfile::TempDir, Store) {
    let (dir, store) = fresh_store().await;
    let report = import(&store, table_csv().as_bytes(), &defaults()).await;
    assert_eq!(report.imported, 40, "{:?}", report.errors);
    // Interactions for every third contact, some on the same instant.
    let all = everyone(&store).await;
    let timeline: Vec<NewInteraction> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(i, c)| NewInteraction {
            contact: c.id,
            kind: InteractionKind::parse("call").unwrap(),
            occurred_at: from_millis(1_700_000_000_000 + (i as i64 % 4) * 60_000),
            summary: "Called".into(),
        })
        .collect();
    interactions::add_many(&store, &timeline).await.unwrap();
    (dir, store)
}

async fn everyone(store: &Store) -> Vec<Contact> {
    let page = contacts::page(store, &query(SortField::CreatedAt, Direction::Asc, 500))
        .await
        .unwrap();
    page.contacts
}

fn query(sort: SortField, direction: Direction, limit: u32) -> PageQuery {
    PageQuery {
        sort,
        direction,
        limit,
        ..PageQuery::default()
    }
}

/// The order the table must show, computed independently of the SQL:
/// NULL keys first ascending, ties broken by id.
fn expected_order(mut all: Vec<Contact>, sort: SortField, direction: Direction) -> Vec<ContactId> {
    #[derive(PartialEq, PartialOrd)]
    enum Key {
        Text(Option<String>),
        Int(Option<i64>),
    }
    let key = |c: &Contact| match sort {
        SortField::Name => {
            let name = match (&c.last_name, &c.first_name) {
                (Some(l), Some(f)) => format!("{l} {f}"),
                (Some(l), None) => l.clone(),
                (None, Some(f)) => f.clone(),
                (None, None) => c
                    .email
                    .as_ref()
                    .map(ToString::to_string)
                    .or(c.phone.as_ref().map(ToString::to_string))
                    .unwrap(),
            };
            Key::Text(Some(name.to_ascii_lowercase()))
        }
        SortField::Email => Key::Text(c.email.as_ref().map(ToString::to_string)),
        SortField::Company => Key::Text(c.company.as_ref().map(|s| s.to_ascii_lowercase())),
        SortField::Country => Key::Text(c.country.map(|s| s.as_str().to_owned())),
        SortField::CreatedAt => Key::Int(Some(c.created_at.timestamp_millis())),
        SortField::LastInteractionAt => {
            Key::Int(c.last_interaction_at.map(|t| t.timestamp_millis()))
        }
        SortField::Revenue => Key::Int(Some(c.revenue.minor())),
    };
    all.sort_by(|a, b| {
        let order = key(a)
            .partial_cmp(&key(b))
            .unwrap_or(Ordering::Equal)
            .then(a.id.as_uuid().cmp(&b.id.as_uuid()));
        match direction {
            Direction::Asc => order,
            Direction::Desc => order.reverse(),
        }
    });
    all.into_iter().map(|c| c.id).collect()
}

/// Follows `next_cursor` to the end, checking `total` on every page.
async fn walk(store: &Store, mut q: PageQuery, total: i64) -> Vec<ContactId> {
    let mut seen = Vec::new();
    loop {
        let page = contacts::page(store, &q).await.unwrap();
        assert_eq!(page.total, total);
        assert!(page.contacts.len() <= q.limit as usize);
        seen.extend(page.contacts.iter().map(|c| c.id));
        match page.next_cursor {
            Some(cursor) => q.after = Some(cursor),
            None => return seen,
        }
    }
}

const SORTS: [SortField; 7] = [
    SortField::Name,
    SortField::Email,
    SortField::Company,
    SortField::Country,
    SortField::CreatedAt,
    SortField::LastInteractionAt,
    SortField::Revenue,
];

#[tokio::test]
async fn every_sort_pages_through_every_contact_once_in_order() {
    let (_dir, store) = table_store().await;
    let all = everyone(&store).await;
    assert_eq!(all.len(), 40);
    for sort in SORTS {
        for direction in [Direction::Asc, Direction::Desc] {
            let expected = expected_order(all.clone(), sort, direction);
            for limit in [1, 7, 40] {
                let seen = walk(&store, query(sort, direction, limit), 40).await;
                assert_eq!(seen, expected, "{sort:?} {direction:?} by {limit}");
            }
        }
    }
}

#[tokio::test]
async fn filters_narrow_the_list_and_the_total() {
    let (_dir, store) = table_store().await;
    let all = everyone(&store).await;
    let count_where = |f: &dyn Fn(&Contact) -> bool| all.iter().filter(|c| f(c)).count() as i64;
    let total = |q: PageQuery| {
        let store = store.clone();
        async move {
            let page = contacts::page(&store, &q).await.unwrap();
            let ids = walk(&store, q, page.total).await;
            assert_eq!(ids.len() as i64, page.total);
            page.total
        }
    };
    let base = || query(SortField::Name, Direction::Asc, 5);

    let q = PageQuery {
        search: Some("PERSON0".into()),
        ..base()
    };
    assert_eq!(total(q).await, 9, "email substring, case-insensitive");

    let q = PageQuery {
        search: Some("+1 (201) 555-0103".into()),
        ..base()
    };
    assert_eq!(total(q).await, 1, "formatted phone digits");

    let q = PageQuery {
        search: Some("ln3 fn".into()),
        ..base()
    };
    assert_eq!(
        total(q).await,
        0,
        "last-first is not how names are searched"
    );
    let q = PageQuery {
        search: Some("fn1 ln".into()),
        ..base()
    };
    let expected =
        count_where(&|c| c.first_name.as_deref() == Some("Fn1") && c.last_name.is_some());
    assert_eq!(total(q).await, expected, "first then last name");

    let q = PageQuery {
        search: Some("50%".into()),
        ..base()
    };
    assert_eq!(total(q).await, 0, "LIKE wildcards are literal");

    let q = PageQuery {
        tag: Some("vip".into()),
        ..base()
    };
    assert_eq!(total(q).await, 8, "tags match case-insensitively");

    // A channel's status filter only counts contacts reachable on it.
    let q = PageQuery {
        email_status: Some(EmailStatus::Unsubscribed),
        ..base()
    };
    let unreachable =
        count_where(&|c| c.email.is_none() && c.email_status == EmailStatus::Unsubscribed);
    assert!(
        unreachable > 0,
        "the table has unsubscribed rows without an email"
    );
    let expected =
        count_where(&|c| c.email.is_some() && c.email_status == EmailStatus::Unsubscribed);
    assert_eq!(
        total(q).await,
        expected,
        "contacts without an email are not counted"
    );

    let q = PageQuery {
        sms_status: Some(SmsStatus::OptedOut),
        ..base()
    };
    let unreachable = count_where(&|c| c.phone.is_none() && c.sms_status == SmsStatus::OptedOut);
    assert!(
        unreachable > 0,
        "the table has opted-out rows without a phone"
    );
    let expected = count_where(&|c| c.phone.is_some() && c.sms_status == SmsStatus::OptedOut);
    assert_eq!(
        total(q).await,
        expected,
        "contacts without a phone are not counted"
    );

    let q = PageQuery {
        tag: Some("no such tag".into()),
        ..base()
    };
    assert_eq!(total(q).await, 0);
}

#[tokio::test]
async fn a_page_carries_each_contacts_tags() {
    let (_dir, store) = table_store().await;
    let page = contacts::page(&store, &query(SortField::Email, Direction::Asc, 40))
        .await
        .unwrap();
    for c in &page.contacts {
        let stored = contacts::get(&store, c.id).await.unwrap();
        assert_eq!(c, &stored);
    }
}

#[tokio::test]
async fn a_cursor_only_works_with_the_order_it_came_from() {
    let (_dir, store) = table_store().await;
    let first = contacts::page(&store, &query(SortField::Company, Direction::Asc, 3))
        .await
        .unwrap();
    let cursor = first.next_cursor.unwrap();
    for (sort, direction) in [
        (SortField::Company, Direction::Desc),
        (SortField::Revenue, Direction::Asc),
    ] {
        let q = PageQuery {
            after: Some(cursor.clone()),
            ..query(sort, direction, 3)
        };
        let err = contacts::page(&store, &q).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Validation { field, .. } if field == "after"),
            "{err:?}"
        );
    }
    let q = PageQuery {
        after: Some("not a cursor".into()),
        ..query(SortField::Company, Direction::Asc, 3)
    };
    assert!(contacts::page(&store, &q).await.is_err());
}
