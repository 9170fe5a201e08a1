//! Campaign records on a real workspace: saving and refusing bad input by
//! field, edits and deletes by status, the list's search, filters and
//! counts, duplicates, and attachments with their limits.

use herald_core::{Channel, ContactId};
use herald_store::campaign_attachments::{self, MAX_FILE_BYTES};
use herald_store::campaigns::{
    self, CampaignId, CampaignInput, CampaignQuery, CampaignStatus, Editor,
};
use herald_store::segments::{self, SegmentInput};
use herald_store::{Store, StoreError};
use serde_json::json;

use crate::helpers::{create, fresh_store, new_contact};

fn spring() -> CampaignInput {
    CampaignInput {
        subject: "Spring news for {{ contact.first_name }}".to_owned(),
        preheader: Some("  ".to_owned()),
        from_name: Some("Ada at Herald".to_owned()),
        from_address: Some(" News@Example.COM ".to_owned()),
        reply_to: Some("help@example.com".to_owned()),
        html: "<style>.x{color:red}</style><p>Our <b>greenhouse</b> tulips &amp; more</p>"
            .to_owned(),
        editor: Editor::Html,
        rate: Some(12.5),
        ..CampaignInput::draft("Spring newsletter")
    }
}

async fn set_status(store: &Store, id: CampaignId, status: &str) {
    sqlx::query("UPDATE campaigns SET status = ?, started_at = 1, scheduled_at = 2 WHERE id = ?")
        .bind(status)
        .bind(id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
}

/// A ledger row in `status` for a new contact.
async fn ledger_row(store: &Store, campaign: CampaignId, status: &str, opened: bool) -> ContactId {
    let email = format!("{}@example.com", uuid::Uuid::now_v7().simple());
    let contact = create(store, new_contact(Some(&email), None)).await;
    sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at, opened_at)
         VALUES (?, ?, ?, ?, 0, ?)",
    )
    .bind(campaign.as_uuid())
    .bind(contact.id.as_uuid())
    .bind(&email)
    .bind(status)
    .bind(opened.then_some(5_i64))
    .execute(store.pool())
    .await
    .unwrap();
    contact.id
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

fn field_of(err: &StoreError) -> &str {
    match err {
        StoreError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_draft_round_trips_with_parsed_addresses_and_its_segment_name() {
    let (_dir, store) = fresh_store().await;
    let segment = segments::create(
        &store,
        &SegmentInput {
            name: "Gardeners".to_owned(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let saved = campaigns::create(
        &store,
        &CampaignInput {
            segment_id: Some(segment.id),
            ..spring()
        },
    )
    .await
    .unwrap();
    assert_eq!(saved.status, CampaignStatus::Draft);
    assert_eq!(saved.channel, Channel::Email);
    assert_eq!(saved.name, "Spring newsletter");
    assert_eq!(saved.preheader, None);
    assert_eq!(
        saved.from_address.as_ref().unwrap().as_str(),
        "news@example.com"
    );
    assert_eq!(
        saved.reply_to.as_ref().unwrap().as_str(),
        "help@example.com"
    );
    assert_eq!(saved.segment_name.as_deref(), Some("Gardeners"));
    assert_eq!(saved.editor, Editor::Html);
    assert_eq!(saved.rate, Some(12.5));
    assert!(saved.tracking);
    assert_eq!(campaigns::get(&store, saved.id).await.unwrap(), saved);

    // The segment goes; the campaign remembers what it was called.
    segments::delete(&store, segment.id).await.unwrap();
    let after = campaigns::get(&store, saved.id).await.unwrap();
    assert_eq!(after.segment_id, None);
    assert_eq!(after.segment_name.as_deref(), Some("Gardeners"));
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_saved() {
    let (_dir, store) = fresh_store().await;
    let cases: Vec<(&str, CampaignInput)> = vec![
        ("name", CampaignInput::draft("   ")),
        ("name", CampaignInput::draft(&"x".repeat(201))),
        (
            "subject",
            CampaignInput {
                subject: "Hello\r\nBcc: everyone@example.com".to_owned(),
                ..spring()
            },
        ),
        (
            "subject",
            CampaignInput {
                subject: "a\u{7}b".to_owned(),
                ..spring()
            },
        ),
        (
            "subject",
            CampaignInput {
                subject: "s".repeat(999),
                ..spring()
            },
        ),
        (
            "fromAddress",
            CampaignInput {
                from_address: Some("news@".to_owned()),
                ..spring()
            },
        ),
        (
            "replyTo",
            CampaignInput {
                reply_to: Some("not an address".to_owned()),
                ..spring()
            },
        ),
        (
            "rate",
            CampaignInput {
                rate: Some(0.0),
                ..spring()
            },
        ),
        (
            "rate",
            CampaignInput {
                rate: Some(1000.5),
                ..spring()
            },
        ),
        (
            "segmentId",
            CampaignInput {
                segment_id: Some(herald_core::SegmentId::new()),
                ..spring()
            },
        ),
        (
            "templateId",
            CampaignInput {
                template_id: Some(campaigns::TemplateId::new()),
                ..spring()
            },
        ),
    ];
    for (field, input) in cases {
        let err = campaigns::create(&store, &input).await.unwrap_err();
        assert_eq!(field_of(&err), field, "{err}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM campaigns").await, 0);
    assert_eq!(count(&store, "SELECT count(*) FROM campaigns_fts").await, 0);
    // The limits themselves are fine.
    let at_limits = CampaignInput {
        subject: "s".repeat(998),
        rate: Some(1000.0),
        ..CampaignInput::draft(&"x".repeat(200))
    };
    campaigns::create(&store, &at_limits).await.unwrap();
}

#[tokio::test]
async fn edits_are_refused_while_sending_and_allowed_while_paused() {
    let (_dir, store) = fresh_store().await;
    let saved = campaigns::create(&store, &spring()).await.unwrap();
    set_status(&store, saved.id, "sending").await;
    let edit = CampaignInput {
        subject: "Changed".to_owned(),
        ..spring()
    };
    let err = campaigns::update(&store, saved.id, &edit)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("sending") && m.contains("draft, scheduled and paused")),
        "{err:?}"
    );
    assert_eq!(
        campaigns::get(&store, saved.id).await.unwrap().subject,
        saved.subject
    );

    set_status(&store, saved.id, "paused").await;
    let edited = campaigns::update(&store, saved.id, &edit).await.unwrap();
    assert_eq!(edited.subject, "Changed");
    // Status and times belong to sending, not to the editor.
    assert_eq!(edited.status, CampaignStatus::Paused);
    assert_eq!(edited.started_at, Some(1));

    set_status(&store, saved.id, "sent").await;
    assert!(matches!(
        campaigns::update(&store, saved.id, &edit).await,
        Err(StoreError::Conflict(_))
    ));
    let missing = campaigns::update(&store, CampaignId::new(), &edit).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn deleting_is_refused_while_sending_and_otherwise_takes_everything_with_it() {
    let (_dir, store) = fresh_store().await;
    let saved = campaigns::create(&store, &spring()).await.unwrap();
    campaign_attachments::add(&store, saved.id, "menu.pdf", "application/pdf", b"%PDF-1.4")
        .await
        .unwrap();
    ledger_row(&store, saved.id, "queued", false).await;
    set_status(&store, saved.id, "sending").await;
    let err = campaigns::delete(&store, saved.id).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("sending")),
        "{err:?}"
    );

    set_status(&store, saved.id, "paused").await;
    campaigns::delete(&store, saved.id).await.unwrap();
    for table in [
        "campaigns",
        "campaigns_fts",
        "campaign_recipients",
        "campaign_attachments",
    ] {
        let n = count(&store, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(n, 0, "{table}");
    }
    assert!(matches!(
        campaigns::get(&store, saved.id).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn names(store: &Store, query: &CampaignQuery) -> Vec<String> {
    campaigns::list(store, query)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[tokio::test]
async fn search_finds_words_in_the_name_subject_and_body_text_as_typed() {
    let (_dir, store) = fresh_store().await;
    let spring_id = campaigns::create(&store, &spring()).await.unwrap().id;
    campaigns::create(
        &store,
        &CampaignInput {
            subject: "Autumn sale".to_owned(),
            html: "<p>Cosy jumpers, 20% off</p>".to_owned(),
            ..CampaignInput::draft("Autumn")
        },
    )
    .await
    .unwrap();

    let by = |typed: &str| CampaignQuery::search(typed);
    assert_eq!(
        names(&store, &by("greenhouse")).await,
        ["Spring newsletter"]
    );
    assert_eq!(names(&store, &by("tul")).await, ["Spring newsletter"]);
    assert_eq!(names(&store, &by("cosy JUMP")).await, ["Autumn"]);
    assert_eq!(names(&store, &by("sale")).await, ["Autumn"]);
    // Markup and styles are not words of the body.
    assert!(names(&store, &by("color")).await.is_empty());
    assert!(names(&store, &by("greenhouse jumpers")).await.is_empty());
    assert_eq!(names(&store, &by("  ")).await.len(), 2);
    for odd in [
        "a\"b OR (",
        "\"",
        "NEAR(",
        "*",
        "-tulips",
        "AND",
        "col:umn",
        "'; DROP TABLE campaigns",
    ] {
        campaigns::list(&store, &by(odd))
            .await
            .unwrap_or_else(|e| panic!("{odd:?}: {e}"));
    }

    // The index follows edits.
    campaigns::update(
        &store,
        spring_id,
        &CampaignInput {
            html: "<p>Orchids</p>".to_owned(),
            ..spring()
        },
    )
    .await
    .unwrap();
    assert!(names(&store, &by("greenhouse")).await.is_empty());
    assert_eq!(names(&store, &by("orchids")).await, ["Spring newsletter"]);
}

#[tokio::test]
async fn the_list_is_newest_first_filtered_by_status_and_channel_with_ledger_counts() {
    let (_dir, store) = fresh_store().await;
    let first = campaigns::create(&store, &CampaignInput::draft("First"))
        .await
        .unwrap();
    let second = campaigns::create(
        &store,
        &CampaignInput {
            channel: Channel::Sms,
            ..CampaignInput::draft("Second")
        },
    )
    .await
    .unwrap();
    let third = campaigns::create(&store, &CampaignInput::draft("Third"))
        .await
        .unwrap();
    set_status(&store, first.id, "sent").await;
    for (status, opened) in [
        ("sent", true),
        ("sent", false),
        ("failed", false),
        ("in_doubt", false),
        ("suppressed", false),
        ("queued", false),
        ("sending", false),
    ] {
        ledger_row(&store, first.id, status, opened).await;
    }
    sqlx::query("UPDATE campaign_recipients SET clicked_at = 9 WHERE opened_at IS NOT NULL")
        .execute(store.pool())
        .await
        .unwrap();

    let all = campaigns::list(&store, &CampaignQuery::default())
        .await
        .unwrap();
    let order: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(order, ["Third", "Second", "First"]);
    let counts = all[2].counts;
    assert_eq!(
        (counts.recipients, counts.queued, counts.sent, counts.failed),
        (7, 2, 2, 1)
    );
    assert_eq!(
        (
            counts.in_doubt,
            counts.suppressed,
            counts.opened,
            counts.clicked
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(campaigns::counts(&store, first.id).await.unwrap(), counts);
    assert_eq!(all[0].counts, campaigns::CampaignCounts::default());

    let sent = CampaignQuery {
        statuses: vec![CampaignStatus::Sent, CampaignStatus::Failed],
        ..CampaignQuery::default()
    };
    assert_eq!(names(&store, &sent).await, ["First"]);
    let drafts_by_email = CampaignQuery {
        statuses: vec![CampaignStatus::Draft],
        channel: Some(Channel::Email),
        ..CampaignQuery::default()
    };
    assert_eq!(names(&store, &drafts_by_email).await, ["Third"]);
    let sms = CampaignQuery {
        channel: Some(Channel::Sms),
        ..CampaignQuery::default()
    };
    assert_eq!(names(&store, &sms).await, ["Second"]);
    let _ = (second, third);
}

#[tokio::test]
async fn a_duplicate_is_a_fresh_draft_with_the_content_and_attachments_but_no_ledger() {
    let (_dir, store) = fresh_store().await;
    let original = campaigns::create(&store, &spring()).await.unwrap();
    campaign_attachments::add(&store, original.id, "a.txt", "text/plain", b"first")
        .await
        .unwrap();
    campaign_attachments::add(&store, original.id, "b.txt", "text/plain", b"second")
        .await
        .unwrap();
    ledger_row(&store, original.id, "sent", true).await;
    set_status(&store, original.id, "sent").await;
    sqlx::query("UPDATE campaigns SET last_error = 'x', finished_at = 3, exclusions = json_object('no_address', 0, 'unsubscribed', 0, 'bounced', 2, 'complained', 0, 'no_consent', 0, 'duplicate', 0) WHERE id = ?")
        .bind(original.id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    let original = campaigns::get(&store, original.id).await.unwrap();
    assert_eq!(original.exclusions.unwrap().bounced, 2);

    let copy = campaigns::duplicate(&store, original.id).await.unwrap();
    assert_ne!(copy.id, original.id);
    assert_eq!(copy.name, "Spring newsletter (copy)");
    assert_eq!(copy.status, CampaignStatus::Draft);
    assert_eq!(
        (
            copy.scheduled_at,
            copy.started_at,
            copy.finished_at,
            copy.resolved_at
        ),
        (None, None, None, None)
    );
    assert_eq!((copy.exclusions, copy.last_error.as_deref()), (None, None));
    assert_eq!(
        (&copy.subject, &copy.html, &copy.from_address, &copy.rate),
        (
            &original.subject,
            &original.html,
            &original.from_address,
            &original.rate
        )
    );
    assert_eq!(
        campaigns::counts(&store, copy.id).await.unwrap().recipients,
        0
    );
    assert_eq!(
        campaigns::counts(&store, original.id)
            .await
            .unwrap()
            .recipients,
        1
    );

    let files = campaign_attachments::load_all(&store, copy.id)
        .await
        .unwrap();
    let copied: Vec<(&str, &[u8])> = files
        .iter()
        .map(|a| (a.info.filename.as_str(), a.bytes.as_slice()))
        .collect();
    assert_eq!(
        copied,
        [("a.txt", &b"first"[..]), ("b.txt", &b"second"[..])]
    );
    let originals = campaign_attachments::list(&store, original.id)
        .await
        .unwrap();
    assert!(files
        .iter()
        .all(|f| originals.iter().all(|o| o.id != f.info.id)));

    // The copy is searchable under its own name.
    let found = names(&store, &CampaignQuery::search("copy")).await;
    assert_eq!(found, ["Spring newsletter (copy)"]);
}

#[tokio::test]
async fn attachments_keep_to_their_limits_and_to_editable_campaigns() {
    let (_dir, store) = fresh_store().await;
    let campaign = campaigns::create(&store, &spring()).await.unwrap().id;

    let too_big = vec![0_u8; MAX_FILE_BYTES + 1];
    let err = campaign_attachments::add(&store, campaign, "video.mp4", "video/mp4", &too_big)
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "file");
    assert!(err.to_string().contains("\"video.mp4\""), "{err}");
    assert!(err.to_string().contains("at most 5 MB"), "{err}");
    assert_eq!(
        count(&store, "SELECT count(*) FROM campaign_attachments").await,
        0
    );

    let empty = campaign_attachments::add(&store, campaign, "e.txt", "text/plain", b"").await;
    assert_eq!(field_of(&empty.unwrap_err()), "file");

    let four_mb = vec![7_u8; 4 * 1024 * 1024];
    let a = campaign_attachments::add(&store, campaign, "C:\\docs\\a.bin", "", &four_mb)
        .await
        .unwrap();
    assert_eq!(a.filename, "a.bin");
    assert_eq!(a.content_type, "application/octet-stream");
    assert_eq!(a.size, 4 * 1024 * 1024);
    campaign_attachments::add(&store, campaign, "b.bin", "", &four_mb)
        .await
        .unwrap();
    let err = campaign_attachments::add(&store, campaign, "c.bin", "", &four_mb)
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "file");
    assert!(err.to_string().contains("10 MB"), "{err}");
    assert_eq!(
        campaign_attachments::list(&store, campaign)
            .await
            .unwrap()
            .len(),
        2
    );

    campaign_attachments::remove(&store, campaign, a.id)
        .await
        .unwrap();
    let left = campaign_attachments::list(&store, campaign).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].filename, "b.bin");
    let again = campaign_attachments::remove(&store, campaign, a.id).await;
    assert!(matches!(again, Err(StoreError::NotFound(_))));

    set_status(&store, campaign, "sent").await;
    let late = campaign_attachments::add(&store, campaign, "late.txt", "text/plain", b"x").await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    let late = campaign_attachments::remove(&store, campaign, left[0].id).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");

    let nowhere =
        campaign_attachments::add(&store, CampaignId::new(), "x.txt", "text/plain", b"x").await;
    assert!(matches!(nowhere, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn an_sms_campaign_keeps_its_text_and_opt_out_choice_and_is_found_by_its_text() {
    let (_dir, store) = fresh_store().await;
    let sms = CampaignInput {
        channel: Channel::Sms,
        text_body: Some("Hi {{ contact.first_name }}, tulips are 20% off today 🌷".to_owned()),
        sms_opt_out: false,
        ..CampaignInput::draft("Tulip flash sale")
    };
    let saved = campaigns::create(&store, &sms).await.unwrap();
    assert_eq!(saved.channel, Channel::Sms);
    assert!(!saved.sms_opt_out);
    assert_eq!(saved.text_body, sms.text_body);
    assert_eq!(
        names(&store, &CampaignQuery::search("tulips")).await,
        vec!["Tulip flash sale".to_owned()]
    );
    let copy = campaigns::duplicate(&store, saved.id).await.unwrap();
    assert_eq!((copy.channel, copy.sms_opt_out), (Channel::Sms, false));
    assert_eq!(copy.text_body, sms.text_body);

    // An email draft keeps the default: the opt-out line is on.
    let email = campaigns::create(&store, &spring()).await.unwrap();
    assert!(email.sms_opt_out);
}

#[tokio::test]
async fn an_sms_longer_than_the_providers_take_is_refused_naming_the_body() {
    let (_dir, store) = fresh_store().await;
    let long = CampaignInput {
        channel: Channel::Sms,
        text_body: Some("a".repeat(campaigns::MAX_SMS_CHARS + 1)),
        ..CampaignInput::draft("Too long")
    };
    match campaigns::create(&store, &long).await {
        Err(StoreError::Validation { field, message }) => {
            assert_eq!(field, "textBody");
            assert!(message.contains("1601 characters"), "{message}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM campaigns").await, 0);
}
