//! The light and dark looks, matching the UI's Mantine theme
//! (ui/src/theme.ts): card background, text and grid colours, and the
//! series colours every chart shares.

use plotters::style::RGBColor;

/// Which of the UI's colour schemes to draw for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    /// `light` or `dark`, as the UI and the CLI name them.
    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub(crate) fn palette(self) -> Palette {
        match self {
            // Mantine's default light body and its gray scale.
            Theme::Light => Palette {
                background: hex(0xffffff),
                text: hex(0x212529),
                muted: hex(0x495057),
                axis: hex(0xadb5bd),
                grid: hex(0xe9ecef),
            },
            // The cooler dark scale of ui/src/theme.ts: cards are dark[7].
            Theme::Dark => Palette {
                background: hex(0x1b1d27),
                text: hex(0xc9ccd6),
                muted: hex(0xa6aab8),
                axis: hex(0x5b6073),
                grid: hex(0x2c2f3c),
            },
        }
    }
}

/// The colours of one theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    /// The card's background: the PNG's fill (the SVG stays transparent).
    pub background: RGBColor,
    /// Labels and legend text.
    pub text: RGBColor,
    /// Axis descriptions.
    pub muted: RGBColor,
    pub axis: RGBColor,
    pub grid: RGBColor,
}

/// Opens: Mantine's indigo 6, the UI's primary colour.
pub(crate) const OPENS: RGBColor = hex(0x4c6ef5);
/// Clicks: Mantine's teal 6.
pub(crate) const CLICKS: RGBColor = hex(0x12b886);
/// Unsubscribes, opt-outs: Mantine's red 6.
pub(crate) const LOSS: RGBColor = hex(0xfa5252);
/// Five colours told apart in both themes (indigo, teal, orange, pink,
/// yellow): one per compared campaign, in order.
pub(crate) const SERIES: [RGBColor; 5] =
    [OPENS, CLICKS, hex(0xfd7e14), hex(0xe64980), hex(0xfab005)];

pub(crate) const fn hex(rgb: u32) -> RGBColor {
    RGBColor((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

/// `#rrggbb`, as the hover points carry it to the UI.
pub(crate) fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
