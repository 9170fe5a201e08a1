//! The relay's settings: read from a TOML file, overridden by environment
//! variables and flags, checked once, and never printed with a secret in it.
//!
//! [`Options`] is what clap parses (each flag also reads its
//! `HERALD_RELAY_*` variable); [`FileConfig`] is the TOML file;
//! [`Settings::resolve`] merges them (flag/env over file over default) and
//! turns every value into a checked type, or names the key that is wrong.

mod file;
mod options;
mod secret;
mod settings;

pub use file::FileConfig;
pub use options::Options;
pub use secret::Secret;
pub use settings::{ConfigError, Limits, Settings};
