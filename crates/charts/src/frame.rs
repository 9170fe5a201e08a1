//! What every chart shares: the embedded font, text styles, the legend row
//! above the plot, the value axis' ticks, and the hover points' type.
//!
//! Ticks are chosen here rather than by plotters so that labels never
//! overlap: the count follows the pixels available (see [`value_ticks`] and
//! each chart's time ticks), and plotters is told the exact key points.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::theme::Palette;

/// DejaVu Sans (its licence is beside it), so PNG text needs no system
/// font; SVG text stays `<text>` and the webview draws it in the UI font.
static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub(crate) const FAMILY: &str = "sans-serif";
pub(crate) const LABEL_SIZE: f64 = 14.0;
const LEGEND_ROW: i32 = 20;
const SWATCH: i32 = 10;

/// Registers the font once per process (plotters' ab_glyph fonts are global).
pub(crate) fn ensure_font() -> Result<(), crate::ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(crate::ChartError::Draw(
            "the embedded font could not be read".into(),
        ))
    }
}

/// One place the UI shows a value on hover: where (in the SVG's pixels),
/// which series, the bucket's label and the value as words.
#[derive(Debug, Clone, PartialEq)]
pub struct HoverPoint {
    pub x: f64,
    pub y: f64,
    pub series: String,
    /// e.g. "Tue 3 Nov, 14:00".
    pub label: String,
    /// e.g. "12 opens".
    pub value: String,
    /// `#rrggbb`, the series' colour.
    pub color: String,
}

/// A chart with many points keeps hover targets for its non-zero values
/// only beyond this many, so the UI does not get thousands of targets.
pub(crate) const MAX_HOVER: usize = 600;

pub(crate) fn thin_hover(points: Vec<(HoverPoint, bool)>) -> Vec<HoverPoint> {
    let keep_all = points.len() <= MAX_HOVER;
    points
        .into_iter()
        .filter(|(_, nonzero)| keep_all || *nonzero)
        .map(|(p, _)| p)
        .collect()
}

/// Lines are 2 px wide unless points are denser than one per 4 px: thick
/// zigzags get spiky joins in the bitmap backend.
pub(crate) fn line_width(points: usize, plot_width: u32) -> u32 {
    if points as u64 * 4 > u64::from(plot_width) {
        1
    } else {
        2
    }
}

pub(crate) fn text(palette: &Palette) -> TextStyle<'static> {
    (FAMILY, LABEL_SIZE).into_font().color(&palette.text)
}

pub(crate) fn desc(palette: &Palette) -> TextStyle<'static> {
    (FAMILY, LABEL_SIZE).into_font().color(&palette.muted)
}

/// A chart's mesh in the theme: its labels, axis names, axis and grid
/// lines in the palette's colours, horizontal grid lines only. Each chart
/// adds its own axis names and label formatters, then draws.
pub(crate) fn themed_mesh<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    palette: &Palette,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    mesh.disable_x_mesh()
        .label_style(text(palette))
        .axis_desc_style(desc(palette))
        .axis_style(palette.axis)
        .bold_line_style(palette.grid)
        .light_line_style(TRANSPARENT)
}

/// The widest of `labels` in pixels, in `style`.
pub(crate) fn widest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = String>,
    style: &TextStyle,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut max = 0;
    for label in labels {
        max = max.max(area.estimate_text_size(&label, style)?.0);
    }
    Ok(max)
}

/// Draws the legend (a swatch and a name per series, wrapping into rows)
/// at the top of `root` and answers the area left for the plot.
pub(crate) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
    palette: &Palette,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = text(palette);
    let width = root.dim_in_pixel().0 as i32;
    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (8_i32, 0_i32);
    for (name, color) in entries {
        let name = shorten(name, 32);
        let w = SWATCH + 6 + area_text_width(root, &name, &style)? + 16;
        if x + w > width && x > 8 {
            x = 8;
            row += 1;
        }
        placed.push((x, row, name, *color));
        x += w;
    }
    let height = ((row + 1) * LEGEND_ROW + 4) as u32;
    let (top, rest) = root.split_vertically(height);
    for (x, row, name, color) in placed {
        let y = 4 + row * LEGEND_ROW;
        top.draw(&Rectangle::new(
            [(x, y + 3), (x + SWATCH, y + 3 + SWATCH)],
            color.filled(),
        ))?;
        top.draw(&Text::new(name, (x + SWATCH + 6, y + 1), style.clone()))?;
    }
    Ok(rest)
}

fn area_text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    Ok(area.estimate_text_size(s, style)?.0 as i32)
}

/// `s` cut to `max` characters with an ellipsis (long campaign names).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// The value axis: its range and evenly spaced round ticks (1, 2 or 5 ×
/// 10^k apart), as many as `pixels` has room for (one per 36 px).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueAxis {
    pub bottom: i64,
    pub top: i64,
    pub ticks: Vec<i64>,
}

pub(crate) fn value_ticks(min: i64, max: i64, pixels: u32) -> ValueAxis {
    let (min, max) = (min.min(0), max.max(0));
    let intervals = i64::from((pixels / 36).clamp(1, 8));
    let span = (max - min).max(1);
    let mut step = 1_i64;
    'search: for scale in (0..18).map(|k| 10_i64.pow(k)) {
        for m in [1, 2, 5] {
            step = m * scale;
            if (span + step - 1) / step <= intervals {
                break 'search;
            }
        }
    }
    let bottom = min.div_euclid(step) * step;
    let top = (-(-max).div_euclid(step) * step).max(bottom + step);
    let ticks = (0..)
        .map(|i| bottom + i * step)
        .take_while(|t| *t <= top)
        .collect();
    ValueAxis { bottom, top, ticks }
}

/// A count as a tick label: `950`, `12k`, `3.4M`.
pub(crate) fn compact(n: i64) -> String {
    let a = n.unsigned_abs();
    if a >= 1_000_000 {
        trim(n as f64 / 1e6, "M")
    } else if a >= 10_000 {
        trim(n as f64 / 1e3, "k")
    } else {
        n.to_string()
    }
}

fn trim(v: f64, unit: &str) -> String {
    let s = format!("{v:.1}");
    format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
}

/// "1 open", "12 opens".
pub(crate) fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_ticks_are_round_and_cover_the_maximum() {
        let axis = value_ticks(0, 47, 200);
        assert_eq!(axis.bottom, 0);
        assert!(axis.top >= 47);
        assert_eq!(axis.ticks, vec![0, 10, 20, 30, 40, 50]);
    }

    #[test]
    fn value_ticks_fit_a_short_axis() {
        let axis = value_ticks(0, 1_000, 80);
        assert!(axis.ticks.len() <= 3, "{axis:?}");
        assert_eq!(value_ticks(0, 0, 200).ticks, vec![0, 1]);
    }

    #[test]
    fn value_ticks_reach_below_zero_for_negative_values() {
        let axis = value_ticks(-3, 8, 300);
        assert!(axis.bottom <= -3 && axis.top >= 8);
        assert!(axis.ticks.contains(&0));
    }

    #[test]
    fn compact_counts_read_short() {
        assert_eq!(compact(950), "950");
        assert_eq!(compact(12_000), "12k");
        assert_eq!(compact(3_420_000), "3.4M");
    }
}
