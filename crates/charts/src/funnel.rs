//! The funnel: how many people each step kept (sent → delivered → opened →
//! clicked; an SMS campaign: sent → delivered, with opt-outs beside).

use herald_store::analytics::{CampaignMetrics, RateBasis};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::frame::{self, HoverPoint};
use crate::theme::{css, hex, Palette, CLICKS, LOSS, OPENS};

/// One bar: a step's name, its count of people, its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStep {
    pub label: String,
    pub count: i64,
    /// Not a step of the funnel but shown beside it (SMS opt-outs).
    pub aside: bool,
}

/// The bars, first step first; each bar's share is of the step before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    pub steps: Vec<FunnelStep>,
}

impl Funnel {
    /// A campaign's funnel from its report: delivered only when the
    /// provider reports deliveries (else it would read as zero delivered).
    pub fn from_metrics(m: &CampaignMetrics) -> Funnel {
        let step = |label: &str, count: i64| FunnelStep {
            label: label.to_owned(),
            count,
            aside: false,
        };
        let mut steps = vec![step("Sent", m.sent)];
        if m.channel == "sms" {
            steps.push(step("Delivered", m.sms.delivered));
            steps.push(FunnelStep {
                aside: true,
                ..step("Opted out", m.sms.opt_outs)
            });
        } else {
            if m.basis == RateBasis::Delivered {
                steps.push(step("Delivered", m.delivered));
            }
            steps.push(step("Opened", m.opened));
            steps.push(step("Clicked", m.clicks_human.unique));
        }
        Funnel { steps }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.steps.iter().all(|s| s.count == 0)
    }
}

/// Lighter indigos for the steps before the opens (Mantine's indigo 3 and
/// 4), the opens' and clicks' own colours after, red for an aside.
fn color(step: &FunnelStep) -> RGBColor {
    if step.aside {
        return LOSS;
    }
    match step.label.as_str() {
        "Sent" => hex(0x91a7ff),
        "Delivered" => hex(0x748ffc),
        "Opened" => OPENS,
        _ => CLICKS,
    }
}

/// The x axis counts hundredths of a bar's slot (plotters formats no
/// float key points), bars are centred on whole slots.
const SLOT: i32 = 100;
const HALF: i32 = SLOT / 2;
const BAR: i32 = 32;

fn share(count: i64, of: i64) -> Option<String> {
    (of > 0).then(|| format!("{:.1} %", count as f64 * 100.0 / of as f64))
}

pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    funnel: &Funnel,
    palette: &Palette,
) -> Result<Vec<HoverPoint>, DrawingAreaErrorKind<DB::ErrorType>> {
    let label_style = frame::text(palette);
    let (_, height) = root.dim_in_pixel();
    let max = funnel.steps.iter().map(|s| s.count).max().unwrap_or(0);
    let x_area = 44;
    // Room above the tallest bar for its value.
    let values = frame::value_ticks(0, max + max / 8, height.saturating_sub(x_area + 24));
    let y_labels = values.ticks.iter().map(|t| frame::compact(*t));
    let y_area = frame::widest(root, y_labels, &label_style)? + 30;
    let n = funnel.steps.len().max(1);
    let names: Vec<String> = funnel.steps.iter().map(|s| s.label.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_top(16)
        .margin_right(16)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (-HALF..n as i32 * SLOT - HALF)
                .with_key_points((0..n as i32).map(|i| i * SLOT).collect()),
            (values.bottom..values.top).with_key_points(values.ticks.clone()),
        )?;
    let x_fmt = |x: &i32| names.get((x / SLOT) as usize).cloned().unwrap_or_default();
    let y_fmt = |v: &i64| frame::compact(*v);
    frame::themed_mesh(&mut chart.configure_mesh(), palette)
        .x_desc("Step")
        .y_desc("People")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let above = label_style.pos(Pos::new(HPos::Center, VPos::Bottom));
    let mut hover = Vec::with_capacity(n);
    let mut before: Option<(&str, i64)> = None;
    for (i, step) in funnel.steps.iter().enumerate() {
        let c = color(step);
        let x = i as i32 * SLOT;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - BAR, 0), (x + BAR, step.count)],
            c.filled(),
        )))?;
        let (px, py) = chart.backend_coord(&(x, step.count));
        // Each step's share of the step before it (an aside: of the last
        // step), so the bars read as the report's rates: delivered of
        // sent, opened of delivered, clicked of opened.
        let pct = before.and_then(|(_, of)| share(step.count, of));
        let shown = match &pct {
            Some(p) => format!("{} · {p}", frame::compact(step.count)),
            None => frame::compact(step.count),
        };
        root.draw(&Text::new(shown, (px, py - 4), above.clone()))?;
        let value = match (&pct, before) {
            (Some(p), Some((of, _))) => format!(
                "{} · {p} of {}",
                frame::count(step.count, "person", "people"),
                of.to_lowercase()
            ),
            _ => frame::count(step.count, "person", "people"),
        };
        if !step.aside {
            before = Some((step.label.as_str(), step.count));
        }
        hover.push(HoverPoint {
            x: f64::from(px),
            y: f64::from(py),
            series: step.label.clone(),
            label: step.label.clone(),
            value,
            color: css(c),
        });
    }
    Ok(hover)
}
