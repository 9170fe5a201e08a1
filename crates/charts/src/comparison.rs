//! Comparison overlay: two to five campaigns' human opens per hour, aligned
//! on hours since each one's send, one colour per campaign.

use herald_store::analytics::Comparison;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::frame::{self, HoverPoint};
use crate::theme::{css, Palette, SERIES};

/// One campaign's line: its name (the legend) and opens in hour `h` after
/// its send at `opens[h]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayLine {
    pub name: String,
    pub opens: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub lines: Vec<OverlayLine>,
}

impl Overlay {
    /// The store's comparison: names from the metrics, opens from the
    /// aligned series (same order).
    pub fn from_comparison(c: &Comparison) -> Overlay {
        let lines = c
            .metrics
            .iter()
            .zip(&c.series)
            .map(|(m, s)| OverlayLine {
                name: m.name.clone(),
                opens: s.points.iter().map(|p| p.1).collect(),
            })
            .collect();
        Overlay { lines }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.opens.iter().all(|v| *v == 0))
    }
}

/// Hours between ticks: the smallest round step whose labels fit.
fn hour_ticks(hours: usize, fits: impl Fn(usize) -> bool) -> Vec<i32> {
    let step = [1, 2, 3, 6, 12, 24, 48, 72, 168, 336]
        .into_iter()
        .find(|s| fits(hours / s + 1))
        .unwrap_or(720);
    (0..=hours).step_by(step).map(|h| h as i32).collect()
}

pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    overlay: &Overlay,
    palette: &Palette,
) -> Result<Vec<HoverPoint>, DrawingAreaErrorKind<DB::ErrorType>> {
    let label_style = frame::text(palette);
    let entries: Vec<(String, RGBColor)> = overlay
        .lines
        .iter()
        .zip(SERIES.iter().cycle())
        .map(|(l, c)| (l.name.clone(), *c))
        .collect();
    let area = frame::legend(root, &entries, palette)?;
    let (width, height) = area.dim_in_pixel();
    let hours = overlay
        .lines
        .iter()
        .map(|l| l.opens.len())
        .max()
        .unwrap_or(0);
    let max = overlay
        .lines
        .iter()
        .flat_map(|l| l.opens.iter().copied())
        .max()
        .unwrap_or(0);
    let x_area = 44;
    let values = frame::value_ticks(0, max, height.saturating_sub(x_area + 16));
    let y_labels = values.ticks.iter().map(|t| frame::compact(*t));
    let y_area = frame::widest(&area, y_labels, &label_style)? + 30;
    let plot_width = width.saturating_sub(y_area + 24);
    let label_px = area.estimate_text_size("000 h", &label_style)?.0 + 18;
    let last = (hours as i32 - 1).max(1);
    let ticks = hour_ticks(last as usize, |n| n as u32 * label_px <= plot_width.max(1));
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(16)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (0..last).with_key_points(ticks),
            (values.bottom..values.top).with_key_points(values.ticks.clone()),
        )?;
    let x_fmt = |h: &i32| format!("{h} h");
    let y_fmt = |v: &i64| frame::compact(*v);
    frame::themed_mesh(&mut chart.configure_mesh(), palette)
        .x_desc("Hours since send")
        .y_desc("Opens per hour")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let mut hover = Vec::new();
    for (line, (name, color)) in overlay.lines.iter().zip(&entries) {
        let xy: Vec<(i32, i64)> = line
            .opens
            .iter()
            .enumerate()
            .map(|(h, v)| (h as i32, *v))
            .collect();
        chart.draw_series(LineSeries::new(
            xy.iter().copied(),
            color.stroke_width(frame::line_width(xy.len(), plot_width)),
        ))?;
        for &(h, v) in &xy {
            let (x, y) = chart.backend_coord(&(h, v));
            hover.push((
                HoverPoint {
                    x: f64::from(x),
                    y: f64::from(y),
                    series: name.clone(),
                    label: format!("{name}, hour {h} after send"),
                    value: frame::count(v, "open", "opens"),
                    color: css(*color),
                },
                v != 0,
            ));
        }
    }
    Ok(frame::thin_hover(hover))
}
