//! The charts drawn from hand-built inputs, read back as XML (SVG) and
//! decoded (PNG).

mod funnel;
mod helpers;
mod render;
