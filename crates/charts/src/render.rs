//! One drawing, two backends: SVG text for the UI and exports, an RGB
//! bitmap encoded as PNG for exports.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::frame::{ensure_font, HoverPoint};
use crate::theme::{Palette, Theme};
use crate::{comparison, engagement, funnel, growth, Bucket, ChartData, ChartError, Size};

/// A drawn chart as the UI gets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// `<svg width="100%" height="100%" viewBox="0 0 W H">…`, transparent
    /// background: the card behind it shows through.
    pub svg: String,
    pub width: u32,
    pub height: u32,
    pub bucket: Option<Bucket>,
    /// Every count is zero; the SVG is still a valid frame with axes.
    pub empty: bool,
    /// Where the values are, in the SVG's pixels (`viewBox` units).
    pub points: Vec<HoverPoint>,
}

fn draw_on<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    palette: &Palette,
) -> Result<Vec<HoverPoint>, DrawingAreaErrorKind<DB::ErrorType>> {
    match data {
        ChartData::Engagement(s) => engagement::draw(root, s, palette),
        ChartData::Funnel(f) => funnel::draw(root, f, palette),
        ChartData::Comparison(o) => comparison::draw(root, o, palette),
        ChartData::Growth(g) => growth::draw(root, g, palette),
    }
}

fn draw_error(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Draws as SVG: on the card colour for a file of its own, else
/// transparent (the UI's card shows through).
fn draw_svg(
    data: &ChartData,
    theme: Theme,
    size: Size,
    filled: bool,
) -> Result<(String, Vec<HoverPoint>), ChartError> {
    ensure_font()?;
    let palette = theme.palette();
    let mut out = String::new();
    let points = {
        let root =
            SVGBackend::with_string(&mut out, (size.width(), size.height())).into_drawing_area();
        if filled {
            root.fill(&palette.background).map_err(draw_error)?;
        }
        let points = draw_on(&root, data, &palette).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
        points
    };
    Ok((out, points))
}

/// The chart as SVG for the UI, with its hover points.
pub fn svg(data: &ChartData, theme: Theme, size: Size) -> Result<Chart, ChartError> {
    let (w, h) = (size.width(), size.height());
    let (out, points) = draw_svg(data, theme, size, false)?;
    // plotters writes the pixel size; the UI wants it to fill its box.
    let svg = out.replacen(
        &format!("<svg width=\"{w}\" height=\"{h}\" "),
        "<svg width=\"100%\" height=\"100%\" preserveAspectRatio=\"xMidYMid meet\" ",
        1,
    );
    Ok(Chart {
        svg,
        width: w,
        height: h,
        bucket: data.bucket(),
        empty: data.is_empty(),
        points,
    })
}

/// The chart as an SVG file: its pixel size, on the theme's card colour
/// (a report has no card behind it).
pub fn svg_file(data: &ChartData, theme: Theme, size: Size) -> Result<String, ChartError> {
    Ok(draw_svg(data, theme, size, true)?.0)
}

/// The chart as a PNG of exactly `size`, on the theme's card colour.
pub fn png(data: &ChartData, theme: Theme, size: Size) -> Result<Vec<u8>, ChartError> {
    ensure_font()?;
    let palette = theme.palette();
    let (w, h) = (size.width(), size.height());
    let mut rgb = vec![0_u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&palette.background).map_err(draw_error)?;
        draw_on(&root, data, &palette).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(draw_error)?;
    writer.write_image_data(&rgb).map_err(draw_error)?;
    writer.finish().map_err(draw_error)?;
    Ok(bytes)
}
