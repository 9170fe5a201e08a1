//! Hand-built chart inputs and readers for the drawn output.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use herald_charts::{ChartData, Funnel, FunnelStep, Growth, Overlay, OverlayLine};
use herald_store::analytics::{Bucket, GrowthWeek, Point, Series};

pub fn paris() -> Tz {
    "Europe/Paris".parse().unwrap()
}

/// `n` buckets of `bucket` from 3 Nov 2026 00:00 Paris, opens `i % 7 * 3`,
/// clicks `i % 5`.
pub fn series(bucket: Bucket, n: usize) -> Series {
    let zone = paris();
    let first = zone.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap();
    let step = match bucket {
        Bucket::Hour => Duration::hours(1),
        Bucket::Day => Duration::days(1),
    };
    let points = (0..n)
        .map(|i| {
            let at = first + step * i as i32;
            Point {
                start: at.with_timezone(&Utc),
                local: at.to_rfc3339(),
                opens: (i % 7 * 3) as i64,
                clicks: (i % 5) as i64,
            }
        })
        .collect();
    Series {
        bucket,
        zone: zone.name().to_owned(),
        points,
    }
}

pub fn engagement(bucket: Bucket, n: usize) -> ChartData {
    ChartData::Engagement(series(bucket, n))
}

pub fn funnel(counts: [i64; 4]) -> ChartData {
    let names = ["Sent", "Delivered", "Opened", "Clicked"];
    ChartData::Funnel(Funnel {
        steps: names
            .iter()
            .zip(counts)
            .map(|(label, count)| FunnelStep {
                label: (*label).to_owned(),
                count,
                aside: false,
            })
            .collect(),
    })
}

pub fn overlay(names: &[&str], hours: usize) -> ChartData {
    ChartData::Comparison(Overlay {
        lines: names
            .iter()
            .enumerate()
            .map(|(k, name)| OverlayLine {
                name: (*name).to_owned(),
                opens: (0..hours).map(|h| ((h + k) % 6) as i64).collect(),
            })
            .collect(),
    })
}

pub fn growth(weeks: usize) -> ChartData {
    let first: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 9, 6, 23, 0, 0).unwrap();
    ChartData::Growth(Growth {
        weeks: (0..weeks)
            .map(|i| {
                let (subscribed, unsubscribed) = (i as i64 * 2, (i % 3) as i64);
                GrowthWeek {
                    week_start: first + Duration::weeks(i as i64),
                    subscribed,
                    unsubscribed,
                    net: subscribed - unsubscribed,
                }
            })
            .collect(),
        zone: paris(),
    })
}

/// The text of every `<text>` element, in order.
pub fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

/// A PNG's width and height, decoded.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    (info.width, info.height)
}
