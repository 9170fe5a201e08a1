//! Engagement over time: a campaign's human opens and clicks per hour (up to
//! 7 days) or per day in the workspace zone, as the store's
//! [`Series`](herald_store::analytics::Series) gives them.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use herald_store::analytics::{Bucket, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::frame::{self, HoverPoint};
use crate::theme::{css, Palette, CLICKS, OPENS};

/// Pixels kept per time label (the widest label plus a gap).
const LABEL_GAP: u32 = 18;

/// A bucket's start as the workspace zone shows it.
fn local(p: &herald_store::analytics::Point) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&p.local).unwrap_or_else(|_| p.start.fixed_offset())
}

/// The hover label: "Tue 3 Nov, 14:00" for an hour, "Tue 3 Nov 2026" for a day.
pub(crate) fn bucket_label(bucket: Bucket, at: DateTime<FixedOffset>) -> String {
    match bucket {
        Bucket::Hour => at.format("%a %-d %b, %H:%M").to_string(),
        Bucket::Day => at.format("%a %-d %b %Y").to_string(),
    }
}

pub(crate) fn unit(bucket: Bucket) -> &'static str {
    match bucket {
        Bucket::Hour => "hour",
        Bucket::Day => "day",
    }
}

/// Tick positions and their labels: every `step` buckets, aligned on round
/// local times (midnight, Mondays, the first of a month), with the step the
/// smallest of the candidates whose labels fit side by side.
fn time_ticks(
    bucket: Bucket,
    times: &[DateTime<FixedOffset>],
    fits: impl Fn(&[(i32, String)]) -> bool,
) -> Vec<(i32, String)> {
    // (step in buckets, is the tick here?, label)
    type Rule = (usize, fn(&DateTime<FixedOffset>) -> bool, &'static str);
    let rules: &[Rule] = match bucket {
        Bucket::Hour => &[
            (1, |_| true, "%H:%M"),
            (2, |t| t.hour() % 2 == 0, "%H:%M"),
            (3, |t| t.hour() % 3 == 0, "%H:%M"),
            (6, |t| t.hour() % 6 == 0, "%a %H:%M"),
            (12, |t| t.hour() % 12 == 0, "%a %H:%M"),
            (24, |t| t.hour() == 0, "%a %-d %b"),
            (48, |t| t.hour() == 0 && t.ordinal() % 2 == 0, "%a %-d %b"),
        ],
        Bucket::Day => &[
            (1, |_| true, "%-d %b"),
            (2, |t| t.ordinal() % 2 == 0, "%-d %b"),
            (7, |t| t.weekday() == chrono::Weekday::Mon, "%-d %b"),
            (
                14,
                |t| t.weekday() == chrono::Weekday::Mon && t.iso_week().week() % 2 == 0,
                "%-d %b",
            ),
            (31, |t| t.day() == 1, "%b %Y"),
            (92, |t| t.day() == 1 && t.month() % 3 == 1, "%b %Y"),
            (183, |t| t.day() == 1 && t.month() % 6 == 1, "%b %Y"),
            (366, |t| t.day() == 1 && t.month() == 1, "%Y"),
        ],
    };
    let labelled = |(_, here, format): &Rule| -> Vec<(i32, String)> {
        times
            .iter()
            .enumerate()
            .filter(|(_, t)| here(t))
            .map(|(i, t)| (i as i32, t.format(format).to_string()))
            .collect()
    };
    let mut sparsest = labelled(&rules[0]);
    for rule in rules {
        let ticks = labelled(rule);
        if ticks.len() < 2 {
            break;
        }
        if fits(&ticks) {
            return ticks;
        }
        sparsest = ticks;
    }
    // Still too many (ten years of days in a few hundred pixels): every
    // k-th of the sparsest labels that still had two, the first k that fits.
    (2..)
        .map(|k| sparsest.iter().step_by(k).cloned().collect::<Vec<_>>())
        .find(|thinned| thinned.len() < 2 || fits(thinned))
        .unwrap_or_default()
}

/// Draws `series` on `root`; answers the hover points and whether it is empty.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &Series,
    palette: &Palette,
) -> Result<Vec<HoverPoint>, DrawingAreaErrorKind<DB::ErrorType>> {
    let label_style = frame::text(palette);
    let area = frame::legend(
        root,
        &[("Opens".to_owned(), OPENS), ("Clicks".to_owned(), CLICKS)],
        palette,
    )?;
    let (width, height) = area.dim_in_pixel();
    let times: Vec<DateTime<FixedOffset>> = series.points.iter().map(local).collect();
    let max = series
        .points
        .iter()
        .map(|p| p.opens.max(p.clicks))
        .max()
        .unwrap_or(0);
    let x_area = 44;
    let values = frame::value_ticks(0, max, height.saturating_sub(x_area + 16));
    let y_labels = values.ticks.iter().map(|t| frame::compact(*t));
    let y_area = frame::widest(&area, y_labels, &label_style)? + 30;
    let plot_width = width.saturating_sub(y_area + 24);
    let last = (series.points.len() as i32 - 1).max(1);
    // Labels fit when the closest two are further apart than the widest
    // label and a gap (measured in the embedded font).
    let px_per_bucket = f64::from(plot_width) / f64::from(last);
    let fits = |ticks: &[(i32, String)]| {
        let closest = ticks
            .windows(2)
            .map(|w| w[1].0 - w[0].0)
            .min()
            .unwrap_or(last);
        let widest = ticks
            .iter()
            .map(|(_, l)| {
                area.estimate_text_size(l, &label_style)
                    .map_or(u32::MAX / 2, |s| s.0)
            })
            .max()
            .unwrap_or(0);
        f64::from(closest) * px_per_bucket >= f64::from(widest + LABEL_GAP)
    };
    // A label centred on the last buckets would run past the right edge
    // (the margin is 16 px): such a tick goes.
    let ticks: Vec<(i32, String)> = time_ticks(series.bucket, &times, fits)
        .into_iter()
        .filter(|(i, label)| {
            let half = area
                .estimate_text_size(label, &label_style)
                .map_or(0.0, |s| f64::from(s.0) / 2.0);
            f64::from(last - i) * px_per_bucket + 14.0 >= half
        })
        .collect();
    let tick_labels: std::collections::BTreeMap<i32, String> = ticks.iter().cloned().collect();
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(16)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (0..last).with_key_points(ticks.iter().map(|(i, _)| *i).collect()),
            (values.bottom..values.top).with_key_points(values.ticks.clone()),
        )?;
    let x_fmt = |i: &i32| tick_labels.get(i).cloned().unwrap_or_default();
    let y_fmt = |v: &i64| frame::compact(*v);
    frame::themed_mesh(&mut chart.configure_mesh(), palette)
        .x_desc(format!("Time ({})", series.zone))
        .y_desc(format!("Opens and clicks per {}", unit(series.bucket)))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let dots = series.points.len() <= 60;
    let mut hover = Vec::with_capacity(series.points.len() * 2);
    for (name, color, one, many, value) in [
        (
            "Opens",
            OPENS,
            "open",
            "opens",
            (|p| p.opens) as fn(&herald_store::analytics::Point) -> i64,
        ),
        ("Clicks", CLICKS, "click", "clicks", |p| p.clicks),
    ] {
        let xy: Vec<(i32, i64)> = series
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as i32, value(p)))
            .collect();
        chart.draw_series(LineSeries::new(
            xy.iter().copied(),
            color.stroke_width(frame::line_width(xy.len(), plot_width)),
        ))?;
        if dots {
            chart.draw_series(xy.iter().map(|&c| Circle::new(c, 3, color.filled())))?;
        }
        for (&(i, v), at) in xy.iter().zip(&times) {
            let (x, y) = chart.backend_coord(&(i, v));
            hover.push((
                HoverPoint {
                    x: f64::from(x),
                    y: f64::from(y),
                    series: name.to_owned(),
                    label: bucket_label(series.bucket, *at),
                    value: frame::count(v, one, many),
                    color: css(color),
                },
                v != 0,
            ));
        }
    }
    Ok(frame::thin_hover(hover))
}

pub(crate) fn is_empty(series: &Series) -> bool {
    series.points.iter().all(|p| p.opens == 0 && p.clicks == 0)
}
