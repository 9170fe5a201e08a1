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

#[test]
fn bench_segments_generates_once_and_times_every_filter() {
    let ws = Workspace::new();
    let keep = ws.path("kept");
    let keep = keep.to_str().unwrap();
    let args = [
        "bench",
        "segments",
        "--contacts",
        "3000",
        "--runs",
        "2",
        "--keep",
        keep,
        "--json",
    ];
    let report = ws.json(&args);
    assert_eq!(report["contacts"], 3000);
    assert_eq!(report["generated_now"], true);
    assert_eq!(report["generated"]["contacts"], 3000);
    // Tag k is held by ~0.4/k^0.9 of the contacts: ~2.2 tags each.
    let links = report["generated"]["tag_links"].as_u64().unwrap();
    assert!((5_000..8_500).contains(&links), "{report}");
    let filters = report["filters"].as_array().unwrap();
    let names: Vec<&str> = filters
        .iter()
        .map(|f| f["filter"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "plain columns",
            "custom field",
            "nested",
            "selective (1 week)",
            "broad tag (40%)"
        ]
    );
    for f in filters {
        // The bench itself refuses a count that differs between the SQL
        // preview, the index preview and the bare SQL; here: every filter
        // finds someone, and a page.
        let count = f["count"].as_u64().unwrap();
        assert!(count > 0, "{f}");
        assert_eq!(f["page"].as_u64().unwrap(), count.min(50), "{f}");
        for key in ["sql_p50_ms", "index_p50_ms", "bare_count_p50_ms"] {
            assert!(f[key].as_f64().unwrap() >= 0.0, "{key}: {f}");
        }
        assert!(f["sql"].as_str().unwrap().starts_with("SELECT COUNT(*)"));
    }
    let broad = filters[4]["count"].as_u64().unwrap();
    assert!(
        (900..1_500).contains(&broad),
        "the top tag is ~40%: {broad}"
    );

    // The kept workspace is reused, and is a normal workspace.
    let again = ws.json(&args);
    assert_eq!(again["generated_now"], false);
    assert_eq!(again["filters"][4]["count"], broad);
    let db = std::path::Path::new(keep).join("bench-segments.sqlite3");
    let statuses = crate::helpers::herald(&db, &["projects", "statuses"]);
    assert!(String::from_utf8_lossy(&statuses.stdout).contains("churned"));
}

#[test]
fn bench_send_delivers_every_message_to_the_sink_and_reports_the_raw_limit() {
    let ws = Workspace::new();
    let report = ws.json(&["bench", "send", "--recipients", "200", "--json"]);
    assert_eq!(report["benchmark"], "send");
    assert_eq!(report["recipients"], 200);
    assert_eq!(report["resolved"], 200);
    // The bench itself fails when the sink's count differs from the ledger's.
    assert_eq!(report["sent"], 200);
    assert_eq!(report["sink_received"], 200);
    assert_eq!(report["failed"], 0);
    assert_eq!(report["in_doubt"], 0);
    assert_eq!(report["tracked_links"], 20);
    assert!(
        report["message_bytes"].as_u64().unwrap() > 50_000,
        "{report}"
    );
    for phase in ["generate", "resolve", "send"] {
        assert!(
            report["phases_seconds"][phase].as_f64().unwrap() >= 0.0,
            "{report}"
        );
    }
    for key in [
        "messages_per_second",
        "send_messages_per_second",
        "ratio_to_raw_limit",
    ] {
        assert!(report[key].as_f64().unwrap() > 0.0, "{key}: {report}");
    }
    for raw in ["raw_limit", "raw_limit_nodelay_off"] {
        assert_eq!(report[raw]["messages"], 200, "{raw}: {report}");
        assert!(report[raw]["messages_per_second"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn bench_sms_sends_every_message_through_the_stand_in_and_reports_the_pacing() {
    let ws = Workspace::new();
    let report = ws.json(&[
        "bench",
        "sms",
        "--messages",
        "60",
        "--rate",
        "100",
        "--latency-ms",
        "5",
        "--json",
    ]);
    // The bench itself refuses a run where the stand-in's count, the
    // ledger's and the requested one differ; here: the report's shape.
    assert_eq!(report["messages"], 60);
    assert_eq!(report["configured_rate"], 100.0);
    assert_eq!(report["bucket_allows"], 101);
    assert!(report["achieved_rate"].as_f64().unwrap() > 0.0, "{report}");
    assert!(report["busiest_second"].as_u64().unwrap() >= 1, "{report}");
    assert!(report["in_flight"].as_u64().unwrap() >= 1, "{report}");
}

#[test]
fn bench_analytics_times_the_queries_and_a_sync_applying_fresh_events() {
    let ws = Workspace::new();
    let report = ws.json(&[
        "bench",
        "analytics",
        "--events",
        "4000",
        "--campaigns",
        "3",
        "--contacts",
        "300",
        "--runs",
        "1",
        "--sync-events",
        "1200",
        "--json",
    ]);
    assert_eq!(report["campaigns"], 3);
    let queries: Vec<&str> = report["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["query"].as_str().unwrap())
        .collect();
    assert_eq!(
        queries,
        [
            "campaign",
            "series 7 days",
            "series 90 days",
            "top links",
            "dashboard"
        ]
    );
    // The bench refuses a sync phase that recorded fewer events than asked;
    // 1,200 events are three pages of the relay's 500.
    assert_eq!(report["sync"]["events"], 1200);
    assert_eq!(report["sync"]["pages"], 3);
    assert!(
        report["sync"]["events_per_s"].as_f64().unwrap() > 0.0,
        "{report}"
    );
}
