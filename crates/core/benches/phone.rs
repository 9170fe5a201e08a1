//! The cost of reading one phone number: what every imported row with a
//! phone, every contact form and every SMS recipient pays. Run with
//! `cargo bench -p herald-core --bench phone`; the figures are in
//! docs/benchmarks.md ("Phone validation").

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use herald_core::country::CountryCode;
use herald_core::phone::PhoneNumber;

/// Mobile prefixes and how many digits follow, as the demo and import
/// benchmark generate them (11 countries).
const PREFIXES: &[(&str, u32)] = &[
    ("+1415", 7),
    ("+4477", 8),
    ("+49151", 8),
    ("+336", 8),
    ("+1416", 7),
    ("+614", 8),
    ("+316", 8),
    ("+346", 8),
    ("+55119", 8),
    ("+919", 9),
    ("+8190", 8),
];

/// `n` distinct numbers, as an import sees them: every one new, so no
/// matcher state is reused between identical inputs. Most are valid; the
/// digits are not checked, so some are refused, as in a real export.
fn numbers(n: u32) -> Vec<String> {
    // A fixed multiplicative walk over the digits: distinct, repeatable,
    // spread over each prefix's whole range.
    let mut x: u64 = 0x9E37_79B9;
    (0..n)
        .map(|i| {
            let (prefix, digits) = PREFIXES[i as usize % PREFIXES.len()];
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let rest = (x >> 24) % 10u64.pow(digits);
            format!("{prefix}{rest:0width$}", width = digits as usize)
        })
        .collect()
}

fn phone(c: &mut Criterion) {
    let international = numbers(10_000);
    let us = CountryCode::parse("US").unwrap();
    let national: Vec<String> = (0..1_000u32)
        .map(|i| format!("(201) 5{:02}-{:04}", i % 100, i * 7 % 10_000))
        .collect();
    // The first call loads libphonenumber's metadata; not what is measured.
    let _ = PhoneNumber::parse(&international[0], None);

    let mut group = c.benchmark_group("phone");
    group.sample_size(20);
    group.throughput(Throughput::Elements(international.len() as u64));
    group.bench_function("international_10k_distinct", |b| {
        b.iter(|| {
            for raw in &international {
                let _ = black_box(PhoneNumber::parse(black_box(raw), None));
            }
        })
    });
    group.throughput(Throughput::Elements(national.len() as u64));
    group.bench_function("national_us_1k_distinct", |b| {
        b.iter(|| {
            for raw in &national {
                let _ = black_box(PhoneNumber::parse(black_box(raw), Some(us)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, phone);
criterion_main!(benches);
