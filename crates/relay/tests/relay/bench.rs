//! `herald-relay bench` in-process with a few thousand hits: the accounting
//! only (every answer the expected 2xx/302, every accepted hit stored once,
//! kind by kind). Never any assertion on timing.

use herald_relay::bench::{self, BenchConfig};

fn check(report: &herald_relay::bench::report::Report, hits: u64) {
    assert!(report.accounting.ok, "{}", report.text());
    assert_eq!(report.relay.failed, 0, "{:?}", report.relay.failures);
    assert_eq!(report.baseline.failed, 0, "{:?}", report.baseline.failures);
    assert_eq!(report.relay.accepted, hits);
    assert_eq!(report.baseline.accepted, hits);
    assert_eq!(report.accounting.accepted, hits);
    assert_eq!(report.accounting.stored, hits);
    let sent: Vec<u64> = report.accounting.kinds.iter().map(|k| k.sent).collect();
    // 70% opens, 25% clicks, 4% unsubscribes, 1% webhooks.
    assert_eq!(
        sent,
        [hits * 70 / 100, hits / 4, hits * 4 / 100, hits / 100]
    );
    for kind in &report.accounting.kinds {
        assert_eq!(kind.accepted, kind.sent, "{}", kind.hit);
        assert_eq!(kind.stored, kind.accepted, "{}", kind.hit);
    }
    assert!(report.rate_limit_disabled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bench_stores_every_hit_it_was_answered_for() {
    let config = BenchConfig {
        hits: 3_000,
        connections: 8,
        ..BenchConfig::default()
    };
    let report = bench::run(&config).await.unwrap();
    check(&report, 3_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bench_accounts_on_postgresql_too() {
    let Ok(server) = std::env::var("HERALD_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: HERALD_TEST_POSTGRES_URL not set");
        return;
    };
    let config = BenchConfig {
        hits: 2_000,
        connections: 8,
        database_url: Some(crate::store::fresh_postgres(&server).await),
        ..BenchConfig::default()
    };
    let report = bench::run(&config).await.unwrap();
    check(&report, 2_000);
}
