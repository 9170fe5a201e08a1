use std::fs;

use crate::helpers::Workspace;

/// Stderr of a failed run, which must be exactly one line.
fn one_line_error(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.run(args);
    assert!(!out.status.success(), "herald {args:?} should have failed");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not one line: {stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn an_invalid_email_is_refused_naming_the_field() {
    let ws = Workspace::new();
    let err = one_line_error(&ws, &["contacts", "add", "--email", "bob@"]);
    assert!(err.contains("email"), "{err}");
    assert!(err.contains("bob@"), "{err}");
}

#[test]
fn a_contact_with_neither_email_nor_phone_is_refused() {
    let ws = Workspace::new();
    let err = one_line_error(&ws, &["contacts", "add", "--first-name", "Nobody"]);
    assert!(err.contains("email address or a phone number"), "{err}");
}

#[test]
fn a_second_contact_with_the_same_email_in_another_case_is_a_conflict() {
    let ws = Workspace::new();
    ws.ok(&["contacts", "add", "--email", "ann@example.com"]);
    let err = one_line_error(&ws, &["contacts", "add", "--email", "ANN@example.com"]);
    assert!(
        err.contains("already has the address ann@example.com"),
        "{err}"
    );
}

#[test]
fn showing_an_unknown_contact_says_not_found() {
    let ws = Workspace::new();
    let err = one_line_error(&ws, &["contacts", "show", "ghost@example.com"]);
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn a_missing_import_file_is_named() {
    let ws = Workspace::new();
    let err = one_line_error(&ws, &["contacts", "import", "/nonexistent/people.csv"]);
    assert!(err.contains("/nonexistent/people.csv"), "{err}");
}

#[test]
fn a_file_without_email_or_phone_columns_is_refused_and_nothing_is_written() {
    let ws = Workspace::new();
    let file = ws.path("names.csv");
    fs::write(&file, "First Name,City\nAda,London\n").unwrap();
    let err = one_line_error(&ws, &["contacts", "import", file.to_str().unwrap()]);
    assert!(err.contains("no email or phone column"), "{err}");
    let list = ws.json(&["contacts", "list", "--json"]);
    assert!(list.as_array().unwrap().is_empty());
}

#[test]
fn a_bad_mapping_is_refused() {
    let ws = Workspace::new();
    let file = ws.path("x.csv");
    fs::write(&file, "Email,Work\na@example.com,x\n").unwrap();
    let err = one_line_error(
        &ws,
        &[
            "contacts",
            "import",
            file.to_str().unwrap(),
            "--map",
            "Work=shoe_size",
        ],
    );
    assert!(err.contains("shoe_size"), "{err}");
}

#[test]
fn the_time_zone_is_an_iana_name() {
    let ws = Workspace::new();
    let out = ws.run(&["settings", "time-zone", "Mars/Olympus"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"Mars/Olympus\" is not a time zone"), "{err}");
    ws.ok(&["settings", "time-zone", "Europe/Berlin"]);
    assert!(ws.ok(&["settings", "show"]).contains("Europe/Berlin"));
}
