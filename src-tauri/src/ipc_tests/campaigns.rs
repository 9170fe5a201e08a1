//! Campaign records through IPC: the editor's save with personalisation
//! checked, the list's search, duplicates and deletes, templates, and
//! attachments from the chunked upload.

use serde_json::{json, Value};

use super::{app, app_with, error_of, TestApp};

fn input(name: &str, html: &str) -> Value {
    json!({"channel": "email", "name": name, "segmentId": null,
           "subject": "Hello {{ contact.first_name | default(\"there\") }}",
           "preheader": null, "fromName": "Ada", "fromAddress": "news@example.com",
           "replyTo": null, "html": html, "textBody": null, "editor": "rich",
           "templateId": null, "tracking": true, "rate": null})
}

fn starter(app: &TestApp, name: &str) -> Value {
    let list = app.ok("campaign_templates_list", json!({}));
    let summary = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no starter {name} in {list}"));
    assert_eq!(summary["builtin"], true);
    app.ok("campaign_templates_get", json!({"id": summary["id"]}))
}

#[test]
fn a_campaign_is_made_from_a_starter_searched_duplicated_and_deleted() {
    let app = app();
    let newsletter = starter(&app, "Newsletter");
    let mut from_template = input("Spring news", newsletter["html"].as_str().unwrap());
    from_template["templateId"] = newsletter["id"].clone();
    let created = app.ok("campaigns_create", json!({"input": from_template}));
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["editable"], true);
    assert_eq!(created["templateId"], newsletter["id"]);
    assert_eq!(created["counts"]["recipients"], 0);
    assert_eq!(created["attachments"], json!([]));
    assert!(created["createdAt"].is_number());

    // Every starter passes the composer's save-time check.
    for name in ["Announcement", "Plain letter", "Promotion"] {
        let html = starter(&app, name)["html"].as_str().unwrap().to_owned();
        app.ok("campaigns_create", json!({"input": input(name, &html)}));
    }

    let found = app.ok("campaigns_list", json!({"search": "what's new"}));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], id.as_str());
    let drafts = app.ok(
        "campaigns_list",
        json!({"status": ["draft"], "channel": "email"}),
    );
    assert_eq!(drafts.as_array().unwrap().len(), 4);
    assert_eq!(drafts[3]["name"], "Spring news");
    let none = app.ok("campaigns_list", json!({"status": ["sent"]}));
    assert_eq!(none, json!([]));
    app.ok("campaigns_list", json!({"search": "a\"b OR ("}));

    let mut edited = input("Spring news, final", "<p>Tulips</p>");
    edited["rate"] = json!(5);
    let updated = app.ok("campaigns_update", json!({"id": id, "input": edited}));
    assert_eq!(updated["name"], "Spring news, final");
    assert_eq!(updated["rate"], 5.0);
    assert_eq!(updated, app.ok("campaigns_get", json!({"id": id})));

    let copy = app.ok("campaigns_duplicate", json!({"id": id}));
    assert_eq!(copy["name"], "Spring news, final (copy)");
    assert_eq!(copy["status"], "draft");
    app.ok("campaigns_delete", json!({"id": id}));
    let gone = app.err("campaigns_get", json!({"id": id}));
    assert_eq!(error_of(&gone), ("not_found", None));
    let bad_id = app.err("campaigns_get", json!({"id": "nope"}));
    assert_eq!(error_of(&bad_id), ("validation", Some("id")));
}

#[test]
fn validation_errors_name_the_input_at_fault() {
    let app = app();
    let mut typo = input("Typo", "<p>Hi</p>");
    typo["subject"] = json!("Hi {{ contact.frist_name }}");
    let err = app.err("campaigns_create", json!({"input": typo}));
    assert_eq!(error_of(&err), ("validation", Some("subject")));
    assert!(
        err["message"].as_str().unwrap().contains("column 7"),
        "{err}"
    );

    let broken = input("Broken", "<p>{% if %}</p>");
    let err = app.err("campaigns_create", json!({"input": broken}));
    assert_eq!(error_of(&err), ("validation", Some("html")));

    let mut bad_from = input("Bad sender", "<p>Hi</p>");
    bad_from["fromAddress"] = json!("news@");
    let err = app.err("campaigns_create", json!({"input": bad_from}));
    assert_eq!(error_of(&err), ("validation", Some("fromAddress")));

    let mut bad_segment = input("Bad segment", "<p>Hi</p>");
    bad_segment["segmentId"] = json!("not-a-segment");
    let err = app.err("campaigns_create", json!({"input": bad_segment}));
    assert_eq!(error_of(&err), ("validation", Some("segmentId")));

    assert_eq!(app.ok("campaigns_list", json!({})), json!([]));
}

#[test]
fn the_web_version_link_is_refused_at_save_time_until_a_relay_is_set_up() {
    let app = app_with(std::sync::Arc::new(
        herald_send::secrets::MemorySecrets::default(),
    ));
    let html = "<p>Hi</p>\n<p><a href=\"{{ web_view_url }}\">Read it online</a></p>";
    let err = app.err("campaigns_create", json!({"input": input("Online", html)}));
    assert_eq!(error_of(&err), ("validation", Some("html")));
    assert_eq!(
        err["message"],
        "HTML body, line 2, column 16: web_view_url needs a relay: set one up in Settings → Relay"
    );

    app.ok("relay_generate_keys", json!({}));
    app.ok("relay_set_url", json!({"url": "https://relay.example.com"}));
    let created = app.ok("campaigns_create", json!({"input": input("Online", html)}));
    assert_eq!(created["html"], html);
}

#[test]
fn templates_are_saved_by_the_user_and_starters_stay() {
    let app = app();
    let saved = app.ok(
        "campaign_templates_save",
        json!({"input": {"name": "Monthly", "html": "<p>{{ contact.first_name }}</p>"}}),
    );
    assert_eq!(saved["builtin"], false);
    assert_eq!(saved["thumbnail"], Value::Null);
    assert_eq!(
        app.ok("campaign_templates_list", json!({}))
            .as_array()
            .unwrap()
            .len(),
        5
    );
    app.ok("campaign_templates_delete", json!({"id": saved["id"]}));

    let newsletter = starter(&app, "Newsletter");
    let err = app.err("campaign_templates_delete", json!({"id": newsletter["id"]}));
    assert_eq!(error_of(&err), ("conflict", None));
    let err = app.err(
        "campaign_templates_save",
        json!({"input": {"name": "", "html": "<p>x</p>"}}),
    );
    assert_eq!(error_of(&err), ("validation", Some("name")));
}

#[test]
fn an_uploaded_file_is_attached_with_its_type_and_removed() {
    let app = app();
    let campaign = app.ok(
        "campaigns_create",
        json!({"input": input("With menu", "<p>Menu</p>")}),
    );
    let id = campaign["id"].as_str().unwrap();

    let upload = app.upload(b"%PDF-1.4 menu", "", "Menu%20card.PDF").unwrap();
    let info = app.ok(
        "campaign_attachments_add",
        json!({"campaignId": id, "uploadId": upload}),
    );
    assert_eq!(info["filename"], "Menu card.PDF");
    assert_eq!(info["contentType"], "application/pdf");
    assert_eq!(info["size"], 13);
    // The upload is used up.
    let again = app.err(
        "campaign_attachments_add",
        json!({"campaignId": id, "uploadId": upload}),
    );
    assert_eq!(error_of(&again), ("validation", Some("uploadId")));

    let detail = app.ok("campaigns_get", json!({"id": id}));
    assert_eq!(detail["attachments"], json!([info]));

    let empty = app.upload(b"", "", "empty.txt").unwrap();
    let err = app.err(
        "campaign_attachments_add",
        json!({"campaignId": id, "uploadId": empty}),
    );
    assert_eq!(error_of(&err), ("validation", Some("file")));

    app.ok(
        "campaign_attachments_remove",
        json!({"campaignId": id, "attachmentId": info["id"]}),
    );
    let detail = app.ok("campaigns_get", json!({"id": id}));
    assert_eq!(detail["attachments"], json!([]));
}
