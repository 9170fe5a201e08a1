//! Herald's analytics charts, drawn in Rust with `plotters`: engagement
//! over time, the funnel, comparison overlays and audience growth. The UI
//! gets SVG (it scales: `viewBox` with width and height 100 %) plus the
//! points to show on hover; reports get PNG at the asked size or SVG.
//! No I/O here: the caller reads the store and writes the file.
//!
//! ```
//! use herald_charts::{svg, ChartData, Funnel, FunnelStep, Size, Theme};
//! let data = ChartData::Funnel(Funnel {
//!     steps: vec![FunnelStep { label: "Sent".into(), count: 10, aside: false }],
//! });
//! let chart = svg(&data, Theme::Dark, Size::new(640, 320)?)?;
//! assert!(chart.svg.starts_with("<svg"));
//! # Ok::<(), herald_charts::ChartError>(())
//! ```

mod comparison;
mod engagement;
mod frame;
mod funnel;
mod growth;
mod render;
mod theme;

pub use comparison::{Overlay, OverlayLine};
pub use frame::HoverPoint;
pub use funnel::{Funnel, FunnelStep};
pub use growth::Growth;
pub use herald_store::analytics::Bucket;
pub use render::{png, svg, svg_file, Chart};
pub use theme::Theme;

use chrono::{DateTime, Duration, Utc};
use herald_store::analytics::Series;

/// The store's longest series (herald_store's `series::MAX_RANGE`, which
/// it does not export).
const MAX_RANGE: Duration = Duration::days(3_660);

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A size out of bounds; `field` is `width` or `height`.
    #[error("{field}: {message}")]
    Size {
        field: &'static str,
        message: String,
    },
    /// plotters or the PNG encoder failed (a bug, not the input).
    #[error("drawing the chart: {0}")]
    Draw(String),
}

/// A chart's size in pixels, within what the UI and reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    width: u32,
    height: u32,
}

impl Size {
    pub const WIDTH: std::ops::RangeInclusive<u32> = 200..=4000;
    pub const HEIGHT: std::ops::RangeInclusive<u32> = 120..=3000;

    pub fn new(width: u32, height: u32) -> Result<Size, ChartError> {
        for (field, value, range) in [
            ("width", width, Self::WIDTH),
            ("height", height, Self::HEIGHT),
        ] {
            if !range.contains(&value) {
                return Err(ChartError::Size {
                    field,
                    message: format!(
                        "must be between {} and {} pixels, not {value}",
                        range.start(),
                        range.end()
                    ),
                });
            }
        }
        Ok(Size { width, height })
    }

    pub fn width(self) -> u32 {
        self.width
    }

    pub fn height(self) -> u32 {
        self.height
    }
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// Human opens and clicks per hour or day (the store's series).
    Engagement(Series),
    Funnel(Funnel),
    Comparison(Overlay),
    Growth(Growth),
}

impl ChartData {
    /// Nothing to show: every count is zero (the chart is still a frame).
    pub fn is_empty(&self) -> bool {
        match self {
            ChartData::Engagement(s) => engagement::is_empty(s),
            ChartData::Funnel(f) => f.is_empty(),
            ChartData::Comparison(o) => o.is_empty(),
            ChartData::Growth(g) => g.is_empty(),
        }
    }

    /// The engagement chart's bucket; the others have none.
    pub fn bucket(&self) -> Option<Bucket> {
        match self {
            ChartData::Engagement(s) => Some(s.bucket),
            _ => None,
        }
    }
}

/// The engagement chart's range when none is asked: from the campaign's
/// start to `now`, at most the store's longest series; a campaign not
/// started yet (or started in the future) shows the last 7 days.
pub fn default_range(
    started_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let earliest = now - MAX_RANGE + Duration::hours(1);
    let from = match started_at {
        Some(at) if at < now => at.max(earliest),
        _ => now - Duration::days(7),
    };
    (from, now)
}
