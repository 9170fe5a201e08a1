//! Audience growth: per week (Monday 00:00 in the workspace zone), people
//! who subscribed and who unsubscribed as bars side by side, and the net
//! change as a line.

use chrono_tz::Tz;
use herald_store::analytics::GrowthWeek;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::frame::{self, HoverPoint};
use crate::theme::{css, Palette, CLICKS, LOSS, OPENS};

/// The dashboard's weeks (oldest first) and the zone they are shown in.
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    pub weeks: Vec<GrowthWeek>,
    pub zone: Tz,
}

impl Growth {
    pub(crate) fn is_empty(&self) -> bool {
        self.weeks
            .iter()
            .all(|w| w.subscribed == 0 && w.unsubscribed == 0)
    }
}

/// The x axis counts hundredths of a week's slot (plotters formats no
/// float key points); a week's bars sit either side of its whole slot.
const SLOT: i32 = 100;

pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    growth: &Growth,
    palette: &Palette,
) -> Result<Vec<HoverPoint>, DrawingAreaErrorKind<DB::ErrorType>> {
    let label_style = frame::text(palette);
    let area = frame::legend(
        root,
        &[
            ("Subscribed".to_owned(), CLICKS),
            ("Unsubscribed".to_owned(), LOSS),
            ("Net".to_owned(), OPENS),
        ],
        palette,
    )?;
    let (width, height) = area.dim_in_pixel();
    let weeks = &growth.weeks;
    let n = weeks.len().max(1);
    let max = weeks
        .iter()
        .map(|w| w.subscribed.max(w.unsubscribed).max(w.net))
        .max()
        .unwrap_or(0);
    let min = weeks.iter().map(|w| w.net).min().unwrap_or(0);
    let x_area = 44;
    let values = frame::value_ticks(min, max, height.saturating_sub(x_area + 16));
    let y_labels = values.ticks.iter().map(|t| frame::compact(*t));
    let y_area = frame::widest(&area, y_labels, &label_style)? + 30;
    let starts: Vec<_> = weeks
        .iter()
        .map(|w| w.week_start.with_timezone(&growth.zone))
        .collect();
    let labels: Vec<String> = starts
        .iter()
        .map(|d| d.format("%-d %b").to_string())
        .collect();
    let plot_width = width.saturating_sub(y_area + 24);
    let label_px = frame::widest(&area, labels.iter().cloned(), &label_style)? + 14;
    let every = (1..=n)
        .find(|k| n.div_ceil(*k) as u32 * label_px <= plot_width.max(1))
        .unwrap_or(n);
    let ticks: Vec<i32> = (0..n as i32)
        .rev()
        .step_by(every)
        .map(|i| i * SLOT)
        .collect();
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(16)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (-SLOT / 2..n as i32 * SLOT - SLOT / 2).with_key_points(ticks),
            (values.bottom..values.top).with_key_points(values.ticks.clone()),
        )?;
    let x_fmt = |x: &i32| labels.get((x / SLOT) as usize).cloned().unwrap_or_default();
    let y_fmt = |v: &i64| frame::compact(*v);
    frame::themed_mesh(&mut chart.configure_mesh(), palette)
        .x_desc(format!("Week starting ({})", growth.zone.name()))
        .y_desc("People per week")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let mut hover = Vec::with_capacity(weeks.len() * 3);
    let mut point = |chart_xy: (i32, i32), series: &str, label: &str, value: String, color| {
        hover.push(HoverPoint {
            x: f64::from(chart_xy.0),
            y: f64::from(chart_xy.1),
            series: series.to_owned(),
            label: label.to_owned(),
            value,
            color: css(color),
        });
    };
    for (i, (w, start)) in weeks.iter().zip(&starts).enumerate() {
        let x = i as i32 * SLOT;
        let label = format!("Week of {}", start.format("%a %-d %b %Y"));
        for (from, to, v, color, name, one, many) in [
            (
                x - 36,
                x - 2,
                w.subscribed,
                CLICKS,
                "Subscribed",
                "subscribed",
                "subscribed",
            ),
            (
                x + 2,
                x + 36,
                w.unsubscribed,
                LOSS,
                "Unsubscribed",
                "unsubscribed",
                "unsubscribed",
            ),
        ] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(from, 0), (to, v)],
                color.filled(),
            )))?;
            point(
                chart.backend_coord(&((from + to) / 2, v)),
                name,
                &label,
                frame::count(v, one, many),
                color,
            );
        }
    }
    let net: Vec<(i32, i64)> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (i as i32 * SLOT, w.net))
        .collect();
    chart.draw_series(LineSeries::new(net.iter().copied(), OPENS.stroke_width(2)))?;
    chart.draw_series(net.iter().map(|&c| Circle::new(c, 3, OPENS.filled())))?;
    for (&(x, v), start) in net.iter().zip(&starts) {
        let label = format!("Week of {}", start.format("%a %-d %b %Y"));
        point(
            chart.backend_coord(&(x, v)),
            "Net",
            &label,
            format!("net {v:+}"),
            OPENS,
        );
    }
    Ok(hover)
}
