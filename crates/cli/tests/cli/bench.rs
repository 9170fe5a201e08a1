use crate::helpers::Workspace;

#[test]
fn bench_import_generates_and_imports_every_row() {
    let ws = Workspace::new();
    let report = ws.json(&["bench", "import", "--rows", "3000", "--seed", "4", "--json"]);
    assert_eq!(report["rows"], 3000);
    let imported = report["imported"].as_u64().unwrap();
    let skipped = report["skipped"].as_u64().unwrap();
    let duplicates = report["duplicates"].as_u64().unwrap();
    // The generator does not pre-validate phone numbers in bench mode, so a
    // few rows may be refused by the real parser or share a random number;
    // every row is accounted for.
    assert_eq!(imported + skipped + duplicates, 3000);
    assert!(skipped < 300, "{report}");
    assert!(report["rows_per_second"].as_f64().unwrap() > 0.0);
}
