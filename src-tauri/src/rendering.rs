//! How WebKitGTK draws the window on Linux machines without a GPU.
//!
//! WebKitGTK composites pages with OpenGL. Without a GPU that OpenGL is
//! Mesa's llvmpipe, which rasterises on the CPU through the GL pipeline: on
//! such a machine (a VM, a remote desktop, a server without `/dev/dri`) the
//! first contact row was painted 0.4 s later with the files in the page
//! cache and 0.9 s later after a cold cache, and the app held ~120 MB more,
//! than with compositing off (docs/benchmarks.md, "Drawing without a GPU").
//! So when the machine has no GPU render node, the app turns
//! WebKit's compositing mode off before WebKit starts, through WebKit's own
//! `WEBKIT_DISABLE_COMPOSITING_MODE`. A value already in the environment is
//! left alone: `WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps compositing on (the
//! end-to-end suite does so, as WebKitWebDriver's screenshots need it), `1`
//! turns it off on any machine. Machines with a GPU keep WebKit's default.

use std::path::Path;

/// WebKitGTK's switch; any value other than `0` turns compositing off.
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Where Linux lists the GPUs' device nodes (DRM).
const DRI: &str = "/dev/dri";

/// Decides before WebKit starts; call first thing in `main`, while the
/// process has a single thread (the environment is not safe to change once
/// other threads may read it).
pub fn choose() {
    if cfg!(target_os = "linux")
        && compositing_off(
            std::env::var_os(COMPOSITING_OFF).is_some(),
            has_render_node(Path::new(DRI)),
        )
    {
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

/// Whether to turn compositing off: only when nobody chose already and
/// there is no render node to draw with.
fn compositing_off(already_set: bool, render_node: bool) -> bool {
    !already_set && !render_node
}

/// Whether `dir` holds a render node (`renderD128`, ...); not when it is
/// missing or unreadable. Only render nodes matter: a display-only `card0`
/// (a VM's virtual screen) has nothing to render with.
fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_compositing_goes_off() {
        assert!(compositing_off(false, false));
    }

    #[test]
    fn a_render_node_keeps_webkits_default() {
        assert!(!compositing_off(false, true));
    }

    #[test]
    fn a_value_already_set_is_left_alone() {
        assert!(!compositing_off(true, false));
    }

    #[test]
    fn only_render_nodes_count() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        std::fs::create_dir(dir.path().join("by-path")).unwrap();
        assert!(
            !has_render_node(dir.path()),
            "a display-only card draws nothing"
        );
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
    }
}
