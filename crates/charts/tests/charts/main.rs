//! The charts drawn from hand-built inputs, read back as XML (SVG) and
//! decoded (PNG).

mod helpers;
mod render;
