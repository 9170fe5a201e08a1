use serde_json::Value;

use crate::helpers::Workspace;

/// Exported contacts with the fields stamped at load time removed.
fn stable_export(ws: &Workspace) -> Vec<Value> {
    ws.ok(&["contacts", "export", "--format", "jsonl"])
        .lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).expect("JSON line");
            let obj = v.as_object_mut().expect("object");
            for stamped in ["updated_at", "email_consent_at", "sms_consent_at"] {
                obj.remove(stamped);
            }
            v
        })
        .collect()
}

#[test]
fn demo_data_is_the_same_for_the_same_seed_and_different_for_another() {
    let a = Workspace::new();
    let b = Workspace::new();
    let c = Workspace::new();
    a.ok(&["init", "--demo", "120", "--seed", "9"]);
    b.ok(&["init", "--demo", "120", "--seed", "9"]);
    c.ok(&["init", "--demo", "120", "--seed", "10"]);
    let (ea, eb, ec) = (stable_export(&a), stable_export(&b), stable_export(&c));
    assert_eq!(ea.len(), 120);
    assert_eq!(ea, eb);
    assert_ne!(ea, ec);
}

#[test]
fn demo_contacts_have_tags_interactions_projects_revenue_and_custom_fields() {
    let ws = Workspace::new();
    let out = ws.ok(&["init", "--demo", "200", "--seed", "3"]);
    assert!(out.contains("200 contacts"), "{out}");
    let export = stable_export(&ws);
    let count = |pred: &dyn Fn(&Value) -> bool| export.iter().filter(|c| pred(c)).count();
    assert!(count(&|c| !c["tags"].as_array().unwrap().is_empty()) > 50);
    assert!(count(&|c| !c["project_statuses"].as_array().unwrap().is_empty()) > 50);
    assert!(count(&|c| c["last_interaction_at"].is_string()) > 50);
    assert!(count(&|c| c["revenue"] != "0.00" && c["revenue"] != "0") > 50);
    assert!(count(&|c| c["custom"]["plan"].is_string()) == 200);
    let countries: std::collections::BTreeSet<&str> = export
        .iter()
        .filter_map(|c| c["country"].as_str())
        .collect();
    assert!(countries.len() >= 5, "{countries:?}");
}

#[test]
fn demo_refuses_a_workspace_that_already_has_contacts() {
    let ws = Workspace::new();
    ws.ok(&["contacts", "add", "--email", "someone@example.com"]);
    let out = ws.run(&["init", "--demo", "10"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already has 1 contacts"), "{stderr}");
}
