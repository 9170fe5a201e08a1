//! What an import does to contacts that already exist: upserts, merges,
//! statuses, and all-or-nothing writes.

use herald_core::{CountryCode, Currency, EmailStatus, SmsStatus};
use herald_store::consent_events::ConsentInput;
use herald_store::contacts::{self, NewContact};
use herald_store::import::ImportOptions;
use herald_store::{settings, StoreError};

use crate::helpers::*;

#[tokio::test]
async fn reimporting_a_changed_city_updates_the_contact_matched_by_email() {
    let (_dir, store) = fresh_store().await;
    let report = import(&store, b"email,city\nx@example.com,Paris\n", &defaults()).await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    let first = by_email(&store, "x@example.com").await;

    let report = import(&store, b"email,city\nX@Example.COM,Lyon\n", &defaults()).await;
    assert_eq!(counts(&report), (0, 1, 0, 0, 0));
    assert_eq!(count(&store).await, 1);
    let second = by_email(&store, "x@example.com").await;
    assert_eq!(second.id, first.id);
    assert_eq!(second.city.as_deref(), Some("Lyon"));
    assert_eq!(second.created_at, first.created_at);

    let report = import(&store, b"email,city\nx@example.com,Lyon\n", &defaults()).await;
    assert_eq!(counts(&report), (0, 0, 1, 0, 0));
    let third = by_email(&store, "x@example.com").await;
    assert_eq!(
        third.updated_at, second.updated_at,
        "an unchanged row writes nothing"
    );
}

#[tokio::test]
async fn rows_without_email_upsert_on_phone() {
    let (_dir, store) = fresh_store().await;
    let report = import(
        &store,
        b"phone,first_name\n+1 201 555 0111,Pat\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    let report = import(
        &store,
        b"phone,first_name\n+1.201.555.0111,Patricia\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 1, 0, 0, 0));
    assert_eq!(count(&store).await, 1);
    let pat = by_phone(&store, "+12015550111").await;
    assert_eq!(pat.first_name.as_deref(), Some("Patricia"));
    assert_eq!(pat.email, None);
}

#[tokio::test]
async fn a_new_email_with_a_phone_owned_by_a_contact_with_another_email_is_skipped_on_phone() {
    let (_dir, store) = fresh_store().await;
    create(
        &store,
        new_contact(Some("owner@example.com"), Some("+12015550111")),
    )
    .await;
    let report = import(
        &store,
        b"email,phone,city\nother@example.com,+1 201 555 0111,Oslo\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 0, 0, 1, 0));
    assert_eq!(error_cells(&report), vec![at(2, "phone")]);
    assert_eq!(
        report.errors[0].reason,
        "the phone number +12015550111 already belongs to another contact (owner@example.com)"
    );
    assert_eq!(count(&store).await, 1);
    assert_eq!(by_email(&store, "owner@example.com").await.city, None);
}

#[tokio::test]
async fn an_email_row_whose_phone_is_owned_by_another_matched_contact_is_skipped() {
    let (_dir, store) = fresh_store().await;
    create(
        &store,
        new_contact(Some("a@example.com"), Some("+12015550111")),
    )
    .await;
    create(&store, new_contact(Some("b@example.com"), None)).await;
    // b exists, but the phone is a's: moving it silently would be wrong.
    let report = import(
        &store,
        b"email,phone\nb@example.com,+12015550111\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 0, 0, 1, 0));
    assert_eq!(error_cells(&report), vec![at(2, "phone")]);
    assert_eq!(by_email(&store, "b@example.com").await.phone, None);
}

#[tokio::test]
async fn a_new_email_with_the_phone_of_a_phone_only_contact_is_merged_into_it() {
    let (_dir, store) = fresh_store().await;
    let before = create(&store, new_contact(None, Some("+12015550111"))).await;
    let report = import(
        &store,
        b"email,phone,first_name\nPat@Example.com,+1 201 555 0111,Pat\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 1, 0, 0, 0));
    assert_eq!(count(&store).await, 1);
    let after = by_email(&store, "pat@example.com").await;
    assert_eq!(after.id, before.id);
    assert_eq!(after.phone.as_ref().unwrap().as_str(), "+12015550111");
    assert_eq!(after.first_name.as_deref(), Some("Pat"));
}

#[tokio::test]
async fn empty_cells_do_not_erase_stored_values() {
    let (_dir, store) = fresh_store().await;
    let stored = create(
        &store,
        NewContact {
            first_name: Some("Ada".into()),
            company: Some("Analytical Engines".into()),
            city: Some("London".into()),
            country: Some(CountryCode::parse("GB").unwrap()),
            revenue: Some(herald_core::Money::from_minor(
                1_234,
                Currency::parse("USD").unwrap(),
            )),
            custom: custom(&[("plan", text("pro"))]),
            tags: strings(&["vip"]),
            ..new_contact(Some("ada@example.com"), Some("+12015550111"))
        },
    )
    .await;
    let report = import(
        &store,
        b"email,phone,first_name,company,city,country,revenue,tags,plan\nada@example.com,,,,  ,,,,\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 0, 1, 0, 0));
    let after = by_email(&store, "ada@example.com").await;
    assert_eq!(after, stored);

    // A row that mentions some fields changes only those; custom fields
    // merge key by key and tags are only ever added.
    let report = import(
        &store,
        b"email,city,seats,tags\nada@example.com,Paris,3,new\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 1, 0, 0, 0));
    let after = by_email(&store, "ada@example.com").await;
    assert_eq!(after.city.as_deref(), Some("Paris"));
    assert_eq!(after.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(after.phone, stored.phone);
    assert_eq!(after.revenue, stored.revenue);
    assert_eq!(
        after.custom,
        custom(&[("plan", text("pro")), ("seats", int(3))])
    );
    assert_eq!(after.tags, strings(&["new", "vip"]));
}

#[tokio::test]
async fn an_import_never_resubscribes_but_does_unsubscribe_with_a_ledger_row() {
    let (_dir, store) = fresh_store().await;
    let gone = create(
        &store,
        new_contact(Some("gone@example.com"), Some("+12015550111")),
    )
    .await;
    let how = ConsentInput::new("cli", "manual");
    contacts::set_email_status(&store, gone.id, EmailStatus::Unsubscribed, &how)
        .await
        .unwrap();
    contacts::set_sms_status(&store, gone.id, SmsStatus::OptedOut, &how)
        .await
        .unwrap();
    let stay = create(
        &store,
        new_contact(Some("stay@example.com"), Some("+12015550112")),
    )
    .await;
    assert_eq!(total_ledger_rows(&store).await, 2);

    let report = import(
        &store,
        b"email,email_status,sms_status\n\
          gone@example.com,subscribed,subscribed\n\
          stay@example.com,unsubscribed,stop\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (0, 1, 1, 0, 0));

    let gone = contacts::get(&store, gone.id).await.unwrap();
    assert_eq!(gone.email_status, EmailStatus::Unsubscribed);
    assert_eq!(gone.sms_status, SmsStatus::OptedOut);
    assert_eq!(
        ledger_summary(&store, gone.id).await,
        vec![
            ledger_row("email", "withdrawn", "unsubscribed", "cli", "manual"),
            ledger_row("sms", "withdrawn", "opted_out", "cli", "manual"),
        ]
    );

    let stay = contacts::get(&store, stay.id).await.unwrap();
    assert_eq!(stay.email_status, EmailStatus::Unsubscribed);
    assert_eq!(stay.sms_status, SmsStatus::OptedOut);
    assert_eq!(
        ledger_summary(&store, stay.id).await,
        vec![
            ledger_row("email", "withdrawn", "unsubscribed", "import", "import"),
            ledger_row("sms", "withdrawn", "opted_out", "import", "import"),
        ]
    );
    assert_eq!(total_ledger_rows(&store).await, 4);
}

#[tokio::test]
async fn a_full_name_column_is_split_into_first_and_last_names() {
    let (_dir, store) = fresh_store().await;
    let report = import(
        &store,
        b"Full Name,Email\nAda King Lovelace,ada@example.com\nCher,cher@example.com\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    let ada = by_email(&store, "ada@example.com").await;
    assert_eq!(
        (ada.first_name.as_deref(), ada.last_name.as_deref()),
        (Some("Ada King"), Some("Lovelace"))
    );
    let cher = by_email(&store, "cher@example.com").await;
    assert_eq!(
        (cher.first_name.as_deref(), cher.last_name),
        (Some("Cher"), None)
    );
}

#[tokio::test]
async fn national_phone_numbers_use_the_region_option_else_the_workspace_setting() {
    let (_dir, store) = fresh_store().await;
    let csv = b"email,phone\nus@example.com,(201) 555-0123\n";
    let report = import(&store, csv, &defaults()).await;
    assert_eq!(counts(&report), (0, 0, 0, 1, 0));
    assert_eq!(error_cells(&report), vec![at(2, "phone")]);

    settings::set_default_region(&store, Some(CountryCode::parse("US").unwrap()))
        .await
        .unwrap();
    let report = import(&store, csv, &defaults()).await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    assert_eq!(
        by_email(&store, "us@example.com")
            .await
            .phone
            .unwrap()
            .as_str(),
        "+12015550123"
    );

    let options = ImportOptions {
        default_region: Some(CountryCode::parse("GB").unwrap()),
        ..defaults()
    };
    let report = import(
        &store,
        b"email,phone\ngb@example.com,020 7946 0958\n",
        &options,
    )
    .await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    assert_eq!(
        by_email(&store, "gb@example.com")
            .await
            .phone
            .unwrap()
            .as_str(),
        "+442079460958"
    );
}

#[tokio::test]
async fn revenue_without_a_currency_uses_the_option_else_the_workspace_setting() {
    let (_dir, store) = fresh_store().await;
    settings::set_default_currency(&store, Currency::parse("JPY").unwrap())
        .await
        .unwrap();
    let report = import(
        &store,
        b"email,revenue\nyen@example.com,1500\nnone@example.com,\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    let yen = by_email(&store, "yen@example.com").await;
    assert_eq!(
        (yen.revenue.minor(), yen.revenue.currency().code()),
        (1500, "JPY")
    );
    // A new contact without revenue gets zero in the workspace currency, as
    // one created by hand does.
    let none = by_email(&store, "none@example.com").await;
    assert_eq!(
        (none.revenue.minor(), none.revenue.currency().code()),
        (0, "JPY")
    );

    let options = ImportOptions {
        default_currency: Some(Currency::parse("EUR").unwrap()),
        ..defaults()
    };
    let report = import(
        &store,
        b"email,revenue\neur@example.com,12.5\nnone2@example.com,\n",
        &options,
    )
    .await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    let eur = by_email(&store, "eur@example.com").await;
    assert_eq!(
        (eur.revenue.minor(), eur.revenue.currency().code()),
        (1250, "EUR")
    );
    let none2 = by_email(&store, "none2@example.com").await;
    assert_eq!(none2.revenue.currency().code(), "EUR");
}

/// `n` good rows, a row the test database is rigged to refuse, and more good rows.
fn file_with_a_boom_row_after(n: usize) -> Vec<u8> {
    let mut csv = String::from("email,city,tags\n");
    for i in 0..n {
        csv.push_str(&format!("row{i:04}@example.com,City {i},bulk\n"));
    }
    csv.push_str("boom@example.com,Nowhere,bulk\n");
    for i in 0..10 {
        csv.push_str(&format!("late{i}@example.com,Later,bulk\n"));
    }
    // Existing contacts are touched too, so updates have to roll back as well.
    csv.push_str("keep0@example.com,Changed,bulk\n");
    csv.into_bytes()
}

#[tokio::test]
async fn a_write_failing_mid_import_leaves_the_workspace_exactly_as_it_was() {
    let (_dir, store) = fresh_store().await;
    for i in 0..3 {
        let mut new = new_contact(Some(&format!("keep{i}@example.com")), None);
        new.city = Some("Original".into());
        create(&store, new).await;
    }
    let generation_before = generation(&store).await;
    let export_before = export_string(&store, herald_store::export::Format::Csv).await;
    rig_insert_failure(&store, "boom@example.com").await;

    // More than one batch of 1000 rows is written before the failing one.
    let bytes = file_with_a_boom_row_after(1_500);
    let err = try_import(&store, &bytes, &defaults())
        .await
        .expect_err("the rigged insert fails the import");
    assert!(matches!(err, StoreError::Internal(_)), "{err:?}");
    assert!(format!("{err:#}").contains("boom"), "{err:#}");

    assert_eq!(count(&store).await, 3);
    assert_eq!(generation(&store).await, generation_before);
    assert_eq!(tag_counts(&store).await, vec![]);
    assert_eq!(
        export_string(&store, herald_store::export::Format::Csv).await,
        export_before
    );

    // The workspace is still usable, and the same file imports once the
    // trigger is gone.
    sqlx::query("DROP TRIGGER boom")
        .execute(store.pool())
        .await
        .unwrap();
    let report = import(&store, &bytes, &defaults()).await;
    assert_eq!(counts(&report), (1_511, 1, 0, 0, 0));
    assert_eq!(count(&store).await, 1_514);
    assert_eq!(generation(&store).await, generation_before + 1);
    assert_eq!(tag_counts(&store).await, vec![("bulk".to_owned(), 1_512)]);
}

#[tokio::test]
async fn error_lines_count_blank_lines_and_every_kind_of_line_break() {
    let (_dir, store) = fresh_store().await;
    let cases: [(&str, &[u8]); 5] = [
        ("LF", b"email,city\na@example.com,X\nbad,Y\n"),
        ("CRLF", b"email,city\r\na@example.com,X\r\nbad,Y\r\n"),
        ("CR", b"email,city\ra@example.com,X\rbad,Y\r"),
        ("blank lines", b"email,city\n\na@example.com,X\n\r\n\nbad,Y"),
        (
            "quoted breaks",
            b"email,city\r\na@example.com,\"X\r\nX\"\r\nb@example.com,\"Y\nY\rY\"\r\nbad,Z\r\n",
        ),
    ];
    let mut found = Vec::new();
    for (name, bytes) in cases {
        let options = herald_store::import::ImportOptions {
            dry_run: true,
            ..defaults()
        };
        let report = import(&store, bytes, &options).await;
        found.push((name, error_cells(&report)));
    }
    assert_eq!(
        found,
        vec![
            ("LF", vec![at(3, "email")]),
            ("CRLF", vec![at(3, "email")]),
            ("CR", vec![at(3, "email")]),
            ("blank lines", vec![at(6, "email")]),
            ("quoted breaks", vec![at(7, "email")]),
        ]
    );
}

#[tokio::test]
async fn a_row_with_a_consent_date_and_an_unsubscribed_status_keeps_its_consent() {
    let (_dir, store) = fresh_store().await;
    let report = import(
        &store,
        b"email,email_status,email_consent_at,email_consent_source,email_consent_method\n\
          was@example.com,unsubscribed,2023-09-02T08:30:15.000Z,signup form,double_opt_in\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    let was = by_email(&store, "was@example.com").await;
    assert_eq!(was.email_status, EmailStatus::Unsubscribed);
    let consent = was.email_consent.expect("the recorded grant is kept");
    assert_eq!(
        (consent.at.to_rfc3339(), consent.source, consent.method),
        (
            "2023-09-02T08:30:15+00:00".to_owned(),
            "signup form".to_owned(),
            "double_opt_in".to_owned()
        )
    );
    let events: Vec<(String, String, String)> = ledger(&store, was.id)
        .await
        .into_iter()
        .map(|e| (e.action, e.status, e.source))
        .collect();
    assert_eq!(
        events,
        vec![
            ("granted".into(), "subscribed".into(), "signup form".into()),
            ("withdrawn".into(), "unsubscribed".into(), "import".into()),
        ]
    );
}

#[tokio::test]
async fn a_later_row_of_the_same_file_does_not_resubscribe_a_new_contact() {
    let (_dir, store) = fresh_store().await;
    let report = import(
        &store,
        b"email,phone,email_status,sms_status\n\
          twice@example.com,+12015550111,unsubscribed,stop\n\
          TWICE@example.com,+12015550111,subscribed,subscribed\n",
        &defaults(),
    )
    .await;
    assert_eq!(counts(&report), (1, 0, 0, 0, 1));
    let twice = by_email(&store, "twice@example.com").await;
    assert_eq!(twice.email_status, EmailStatus::Unsubscribed);
    assert_eq!(twice.sms_status, SmsStatus::OptedOut);
    // The ledger agrees with the statuses.
    assert_eq!(
        ledger_summary(&store, twice.id).await,
        vec![
            ledger_row("email", "withdrawn", "unsubscribed", "import", "import"),
            ledger_row("sms", "withdrawn", "opted_out", "import", "import"),
        ]
    );
}

/// In a workspace that began empty the import looks up only the keys it has
/// stored itself: later batches still find the contacts earlier ones made,
/// by email and by phone.
#[tokio::test]
async fn rows_in_later_batches_meet_the_contacts_earlier_batches_made() {
    let (_dir, store) = fresh_store().await;
    let phone = |i: u32| format!("+1415{}", 2_000_000 + i);
    let mut csv = String::from("email,phone,city\n");
    // Rows 0-2499, lines 2-2501: even ones with an email, odd ones phone-only.
    for i in 0..2_500u32 {
        if i % 2 == 0 {
            csv.push_str(&format!("user{i}@example.com,{},Oslo\n", phone(i)));
        } else {
            csv.push_str(&format!(",{},Oslo\n", phone(i)));
        }
    }
    // Line 2502: a new email with the phone of row 10, which has an email.
    csv.push_str(&format!("other@example.com,{},Oslo\n", phone(10)));
    // Line 2503: row 20's email in capitals.
    csv.push_str("USER20@EXAMPLE.COM,,Lyon\n");
    // Line 2504: row 31's phone alone.
    csv.push_str(&format!(",{},Rome\n", phone(31)));
    // Line 2505: a new email with the phone of row 41, which has none.
    csv.push_str(&format!("new@example.com,{},Oslo\n", phone(41)));

    let report = import(&store, csv.as_bytes(), &defaults()).await;
    assert_eq!(counts(&report), (2_500, 0, 0, 1, 3));
    assert_eq!(error_cells(&report), vec![at(2_502, "phone")]);
    let lines: Vec<(u64, u64)> = report
        .duplicates
        .iter()
        .map(|d| (d.line, d.first_line))
        .collect();
    assert_eq!(lines, vec![(2_503, 22), (2_504, 33), (2_505, 43)]);
    assert_eq!(count(&store).await, 2_500);
    assert_eq!(
        by_email(&store, "user20@example.com").await.city.as_deref(),
        Some("Lyon")
    );
    assert_eq!(
        by_phone(&store, &phone(31)).await.city.as_deref(),
        Some("Rome")
    );
    let merged = by_phone(&store, &phone(41)).await;
    assert_eq!(merged.email, Some(email("new@example.com")));
}
