#!/usr/bin/env bash
# Runs the end-to-end suite: the built app under Xvfb, inside its own D-Bus
# session with an unlocked Secret Service keyring, driven by tauri-driver +
# WebKitWebDriver. Everything runs on loopback, on free ports, with HOME and
# XDG folders in a temp dir, and is stopped on exit.
#
# Usage: scripts/e2e.sh [TEST NAME FILTER]
# Expects the app to be built already (make does it):
#   HERALD_E2E_APP  the herald-desktop binary (default: $CARGO_TARGET_DIR/debug/herald-desktop)
#   HERALD_E2E_CLI  the herald CLI, to compare with (default: $CARGO_TARGET_DIR/debug/herald)
#   HERALD_E2E_RELAY  herald-relay, which the relay test runs on a loopback port
#                     (default: $CARGO_TARGET_DIR/debug/herald-relay)
set -euo pipefail
cd "$(dirname "$0")/.."

: "${CARGO_TARGET_DIR:=$HOME/.cache/herald/target}"
export CARGO_TARGET_DIR
export HERALD_E2E_APP="${HERALD_E2E_APP:-$CARGO_TARGET_DIR/debug/herald-desktop}"
export HERALD_E2E_CLI="${HERALD_E2E_CLI:-$CARGO_TARGET_DIR/debug/herald}"
export HERALD_E2E_RELAY="${HERALD_E2E_RELAY:-$CARGO_TARGET_DIR/debug/herald-relay}"
export HERALD_E2E_SCREENSHOTS="${HERALD_E2E_SCREENSHOTS:-$CARGO_TARGET_DIR/e2e-screenshots}"
# cargo and rustup keep working after HOME moves into the sandbox.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export PATH="$CARGO_HOME/bin:$PATH"

[ -x "$HERALD_E2E_APP" ] || { echo "e2e: $HERALD_E2E_APP is not built (run make app)" >&2; exit 1; }
[ -x "$HERALD_E2E_CLI" ] || { echo "e2e: $HERALD_E2E_CLI is not built (run make app)" >&2; exit 1; }
[ -x "$HERALD_E2E_RELAY" ] || { echo "e2e: $HERALD_E2E_RELAY is not built (run make app)" >&2; exit 1; }
command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --version '^2' --locked
command -v WebKitWebDriver >/dev/null 2>&1 || [ -x /usr/bin/WebKitWebDriver ] || {
  echo "e2e: WebKitWebDriver is missing (apt package webkit2gtk-driver)" >&2; exit 1; }

# The campaign test sends through a real SMTP server (aiosmtpd) run by the
# venv's Python, as scripts/with-services.sh finds it; resolved here, before
# HOME moves into the sandbox. Without it that test says so and skips.
smtpd_python="$HOME/.cache/herald/venv/bin/python"
if [ -x "$smtpd_python" ] && "$smtpd_python" -c 'import aiosmtpd' 2>/dev/null; then
  export HERALD_TEST_SMTPD="$smtpd_python"
else
  echo "e2e: *** aiosmtpd is not installed (scripts/install-deps.sh does it): the campaign test will skip ***" >&2
fi

# Build the suite before leaving the real HOME behind.
cargo test --locked -p herald-e2e --test e2e --no-run

sandbox=$(mktemp -d -t herald-e2e.XXXXXX)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$sandbox"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

display=99
while [ -e "/tmp/.X${display}-lock" ]; do display=$((display + 1)); done
Xvfb ":${display}" -screen 0 1280x800x24 -nolisten tcp >"$sandbox/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
export DISPLAY=":${display}"

mkdir -p "$sandbox/home" "$sandbox/config" "$sandbox/data" "$sandbox/cache" "$sandbox/runtime"
chmod 700 "$sandbox/runtime"
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
       XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime"
export HERALD_E2E_DRIVER_PORT="$(free_port)" HERALD_E2E_NATIVE_PORT="$(free_port)"
export HERALD_E2E_DRIVER="http://127.0.0.1:${HERALD_E2E_DRIVER_PORT}"
mkdir -p "$HERALD_E2E_SCREENSHOTS"
export HERALD_E2E_FILTER="${1:-}"
# Compositing stays on, as on a desktop with a GPU: on this GPU-less machine
# the app would otherwise turn it off (src-tauri/src/rendering.rs), and
# WebKitWebDriver's screenshots hang without it.
export WEBKIT_DISABLE_COMPOSITING_MODE=0

dbus-run-session -- bash -euo pipefail -c '
  keyring=$(scripts/start-keyring.sh herald-e2e)
  eval "$keyring"
  tauri-driver --port "$HERALD_E2E_DRIVER_PORT" --native-port "$HERALD_E2E_NATIVE_PORT" >"$XDG_RUNTIME_DIR/tauri-driver.log" 2>&1 &
  driver=$!
  # SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
  trap "kill -TERM $driver 2>/dev/null; wait $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$HERALD_E2E_DRIVER_PORT") 2>/dev/null && break
    sleep 0.1
  done
  status=0
  cargo test --locked -p herald-e2e --test e2e -- --test-threads=1 $HERALD_E2E_FILTER || status=$?
  if [ "$status" -ne 0 ]; then
    echo "--- tauri-driver log ---" >&2; tail -50 "$XDG_RUNTIME_DIR/tauri-driver.log" >&2 || true
  fi
  exit "$status"
'
echo "e2e screenshots: $HERALD_E2E_SCREENSHOTS"
