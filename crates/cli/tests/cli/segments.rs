use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::helpers::Workspace;

/// Writes `filter` to a file in the workspace's folder; returns its path.
fn filter_file(ws: &Workspace, name: &str, filter: &Value) -> String {
    let path = ws.path(name);
    fs::write(&path, serde_json::to_string(filter).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Stderr of a run that must fail.
fn failure(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.run(args);
    assert!(!out.status.success(), "herald {args:?} should have failed");
    String::from_utf8(out.stderr).unwrap()
}

/// A CSV where the VIPs are known: rows 1, 3 and 6 carry the tag, in
/// different cases and beside other tags.
const PEOPLE: &str = "Email,First Name,Last Name,Country,Tags,Plan\n\
ada@example.com,Ada,Lovelace,GB,vip;newsletter,pro\n\
bob@example.com,Bob,Stone,US,newsletter,free\n\
cy@example.com,Cy,Young,US,VIP,pro\n\
di@example.com,Di,Prince,DE,,free\n\
ed@example.com,Ed,Wood,US,beta,pro\n\
fay@example.com,Fay,Wray,FR,beta;Vip,\n";

fn import_people(ws: &Workspace) {
    let file = ws.path("people.csv");
    fs::write(&file, PEOPLE).unwrap();
    ws.ok(&["contacts", "import", file.to_str().unwrap()]);
}

#[test]
fn create_list_and_show_a_segment() {
    let ws = Workspace::new();
    import_people(&ws);
    let vips = json!({"all": [{"field": "tag", "op": "has_any", "value": ["vip"]}]});
    let file = filter_file(&ws, "vips.json", &vips);
    let created = ws.json(&[
        "segments",
        "create",
        "--name",
        "VIPs",
        "--description",
        "Everyone tagged vip",
        "--filter",
        &file,
        "--json",
    ]);
    assert_eq!(created["name"], "VIPs");
    assert_eq!(created["description"], "Everyone tagged vip");
    assert_eq!(created["filter"], vips);
    let id = created["id"].as_str().unwrap().to_owned();

    // The human form names the new segment and its id.
    let file = filter_file(
        &ws,
        "us.json",
        &json!({"all": [{"field": "country", "op": "eq", "value": "US"}]}),
    );
    let out = ws.ok(&[
        "segments",
        "create",
        "--name",
        "Americans",
        "--filter",
        &file,
    ]);
    assert!(out.contains("Americans"), "{out}");

    let listed = ws.json(&["segments", "list", "--json"]);
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Americans", "VIPs"]);

    // By name, case-insensitively: the exact count, which is then cached.
    let shown = ws.json(&["segments", "show", "vips", "--json"]);
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["count"], 3);
    assert_eq!(shown["count_fresh"], true);
    assert_eq!(shown["filter"], vips);
    assert_eq!(shown["used_by"], json!([]));
    let again = ws.json(&["segments", "show", &id, "--json"]);
    assert_eq!(again["count"], 3);
    assert_eq!(again["count_cached"], true);

    let table = ws.ok(&["segments", "list"]);
    let vip_line = table.lines().find(|l| l.contains("VIPs")).unwrap();
    assert!(vip_line.contains(&id), "{table}");
    assert!(vip_line.contains(" 3 "), "{table}");
    assert!(!vip_line.contains("stale"), "{table}");
    let us_line = table.lines().find(|l| l.contains("Americans")).unwrap();
    assert!(us_line.contains("not counted"), "{table}");

    // A write moves the data generation: the cached count is stale.
    ws.ok(&[
        "contacts",
        "add",
        "--email",
        "gil@example.com",
        "--tag",
        "vip",
    ]);
    let table = ws.ok(&["segments", "list"]);
    let vip_line = table.lines().find(|l| l.contains("VIPs")).unwrap();
    assert!(vip_line.contains("3 (stale)"), "{table}");
    let human = ws.ok(&["segments", "show", "VIPs"]);
    assert!(human.contains("Everyone tagged vip"), "{human}");
    assert!(human.contains("4 (counted in"), "{human}");
    assert!(human.contains("\"has_any\""), "{human}");
}

#[test]
fn preview_json_counts_what_the_tags_say() {
    let ws = Workspace::new();
    import_people(&ws);
    ws.ok(&[
        "contacts",
        "add",
        "--email",
        "gil@example.com",
        "--first-name",
        "Gil",
        "--tag",
        "ViP",
    ]);
    ws.ok(&[
        "contacts",
        "add",
        "--email",
        "hal@example.com",
        "--tag",
        "vipish",
    ]);
    // Worked out independently: the CSV rows and added contacts whose tags
    // include "vip" in any case.
    let mut expected: BTreeSet<String> = PEOPLE
        .lines()
        .skip(1)
        .filter(|line| {
            line.split(',')
                .nth(4)
                .unwrap()
                .split(';')
                .any(|t| t.eq_ignore_ascii_case("vip"))
        })
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    expected.insert("gil@example.com".to_owned());
    assert_eq!(expected.len(), 4);

    let file = filter_file(
        &ws,
        "vips.json",
        &json!({"all": [{"field": "tag", "op": "has_any", "value": ["VIP"]}]}),
    );
    let preview = ws.json(&["segments", "preview", "--filter", &file, "--json"]);
    let keys: BTreeSet<&str> = preview
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["contacts", "count", "elapsed_ms"]));
    assert_eq!(preview["count"], expected.len());
    assert!(preview["elapsed_ms"].is_u64());
    let contacts = preview["contacts"].as_array().unwrap();
    let emails: BTreeSet<String> = contacts
        .iter()
        .map(|c| c["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(emails, expected);
    let ada = contacts
        .iter()
        .find(|c| c["email"] == "ada@example.com")
        .unwrap();
    let fields: BTreeSet<&str> = ada
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from([
            "country",
            "email",
            "first_name",
            "id",
            "last_name",
            "phone",
            "tags"
        ])
    );
    assert_eq!(ada["country"], "GB");
    assert_eq!(ada["first_name"], "Ada");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(ada["phone"], Value::Null);
    assert_eq!(ada["tags"], json!(["newsletter", "vip"]));

    // Sorted by name (last name, then first): Lovelace, Wray, Young, then
    // Gil (first name only); --desc reverses; --limit cuts the page, not
    // the count.
    let order = |preview: &Value| -> Vec<String> {
        preview["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let desc = ws.json(&["segments", "preview", "--filter", &file, "--desc", "--json"]);
    let mut reversed = order(&desc);
    reversed.reverse();
    assert_eq!(order(&preview), reversed);
    let two = ws.json(&[
        "segments", "preview", "--filter", &file, "--limit", "2", "--json",
    ]);
    assert_eq!(two["count"], 4);
    assert_eq!(order(&two), order(&preview)[..2]);

    // A saved segment previews the same, by name; the human form leads
    // with the count.
    ws.ok(&["segments", "create", "--name", "VIPs", "--filter", &file]);
    let saved = ws.json(&[
        "segments",
        "preview",
        "VIPs",
        "--sort",
        "created_at",
        "--json",
    ]);
    assert_eq!(saved["count"], 4);
    let human = ws.ok(&["segments", "preview", "VIPs"]);
    assert!(human.starts_with("4 contacts (counted in "), "{human}");
    assert!(human.contains("ada@example.com"), "{human}");

    // A combined filter: VIPs on plan "pro" outside the US (only Ada).
    let file = filter_file(
        &ws,
        "pro.json",
        &json!({"all": [
            {"field": "tag", "op": "has_any", "value": ["vip"]},
            {"field": "custom.plan", "op": "eq", "value": "PRO"},
            {"none": [{"field": "country", "op": "eq", "value": "US"}]}
        ]}),
    );
    let pro = ws.json(&["segments", "preview", "--filter", &file, "--json"]);
    assert_eq!(pro["count"], 1);
    assert_eq!(pro["contacts"][0]["email"], "ada@example.com");
}

#[test]
fn a_filter_can_come_from_standard_input() {
    let ws = Workspace::new();
    import_people(&ws);
    let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("--db")
        .arg(&ws.db)
        .args(["segments", "preview", "--filter", "-", "--json"])
        .env_remove("HERALD_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"any": [{"field": "country", "op": "in", "value": ["DE", "FR"]}]}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let preview: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(preview["count"], 2);
}

#[test]
fn an_invalid_filter_names_every_problem_by_path_and_fails() {
    let ws = Workspace::new();
    let file = filter_file(
        &ws,
        "bad.json",
        &json!({"all": [
            {"field": "country", "op": "eq", "value": "US"},
            {"any": [
                {"field": "tag", "op": "has_any", "value": []},
                {"field": "shoe_size", "op": "eq", "value": "44"}
            ]}
        ]}),
    );
    let err = failure(
        &ws,
        &["segments", "create", "--name", "Bad", "--filter", &file],
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("error: filter at all[1].any[0]: tag has_any"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("error: filter at all[1].any[1]: unknown field \"shoe_size\""),
        "{err}"
    );
    // Nothing was saved.
    let listed = ws.json(&["segments", "list", "--json"]);
    assert!(listed.as_array().unwrap().is_empty());

    // The same problems from a preview.
    let err = failure(&ws, &["segments", "preview", "--filter", &file]);
    assert!(err.contains("error: filter at all[1].any[1]: "), "{err}");

    // A problem with the filter as a whole has no path.
    let file = filter_file(&ws, "list.json", &json!([]));
    let err = failure(&ws, &["segments", "preview", "--filter", &file]);
    assert!(
        err.starts_with("error: filter: a filter is a group"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let file = ws.path("broken.json");
    fs::write(&file, "{\"all\": [").unwrap();
    let err = failure(
        &ws,
        &["segments", "preview", "--filter", file.to_str().unwrap()],
    );
    assert!(
        err.starts_with("error: filter: the filter is not valid JSON"),
        "{err}"
    );
}

#[test]
fn a_segment_another_one_uses_cannot_be_deleted() {
    let ws = Workspace::new();
    import_people(&ws);
    let file = filter_file(
        &ws,
        "us.json",
        &json!({"all": [{"field": "country", "op": "eq", "value": "US"}]}),
    );
    let base = ws.json(&[
        "segments",
        "create",
        "--name",
        "Americans",
        "--filter",
        &file,
        "--json",
    ]);
    let base_id = base["id"].as_str().unwrap();
    let file = filter_file(
        &ws,
        "us-pro.json",
        &json!({"all": [
            {"field": "segment", "op": "in", "value": base_id},
            {"field": "custom.plan", "op": "eq", "value": "pro"}
        ]}),
    );
    ws.ok(&["segments", "create", "--name", "US pros", "--filter", &file]);
    let shown = ws.json(&["segments", "show", "Americans", "--json"]);
    assert_eq!(shown["used_by"], json!(["US pros"]));
    assert_eq!(shown["count"], 3);
    assert_eq!(
        ws.json(&["segments", "show", "US pros", "--json"])["count"],
        2
    );

    let err = failure(&ws, &["segments", "delete", "Americans"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("\"Americans\" cannot be deleted while \"US pros\" uses it"),
        "{err}"
    );
    assert_eq!(
        ws.json(&["segments", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Once its user is gone, it goes.
    let out = ws.ok(&["segments", "delete", "US pros"]);
    assert!(out.contains("Deleted segment \"US pros\""), "{out}");
    ws.ok(&["segments", "delete", base_id]);
    assert!(ws
        .json(&["segments", "list", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    let err = failure(&ws, &["segments", "show", "Americans"]);
    assert!(err.contains("not found"), "{err}");
}
