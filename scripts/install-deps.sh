#!/usr/bin/env bash
# Installs what building and testing Herald needs and is missing, and nothing
# else: on a machine that already has everything it changes nothing and needs
# no network. Debian/Ubuntu via apt (as root, or with sudo); on other systems
# it says what to install.
set -euo pipefail

# System packages by purpose.
APT_PACKAGES=(
  # Rust builds and this script
  build-essential pkg-config ca-certificates curl python3 file
  # the desktop app (Tauri 2 on WebKitGTK 4.1) and its .deb/.rpm bundles
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libayatana-appindicator3-dev librsvg2-dev
  libssl-dev libxdo-dev libdbus-1-dev
  # running and driving the app headless (tests, screenshots)
  xvfb xauth webkit2gtk-driver dbus-x11 imagemagick
  # keychain and notifications without a desktop session (tests)
  gnome-keyring libsecret-tools dunst libnotify-bin
  # the composer tests read messages back and verify DKIM with dkimpy
  python3-dkim openssl
  # the relay's shared-store tests (a throwaway cluster per test run)
  postgresql
  # the SMTP tests' real server (aiosmtpd in a venv, see install_smtpd)
  python3-venv
)

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root for: $*"; exit 1
  fi
}

install_apt() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The UI needs Node.js 20.19 or newer (Vite 8). Installed from the system's
# packages when they are new enough; otherwise the script says what to do.
NODE_MIN_MAJOR=20

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

ensure_node() {
  local major
  major=$(node_major || true)
  if [ -n "$major" ] && [ "$major" -ge "$NODE_MIN_MAJOR" ] && command -v npm >/dev/null 2>&1; then
    return
  fi
  if command -v apt-cache >/dev/null 2>&1; then
    local candidate
    candidate=$(apt-cache policy nodejs 2>/dev/null | sed -nE 's/^ *Candidate: ([0-9]+).*/\1/p')
    if [ -n "$candidate" ] && [ "$candidate" -ge "$NODE_MIN_MAJOR" ]; then
      log "installing Node.js and npm"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
      return
    fi
  fi
  log "Node.js $NODE_MIN_MAJOR.19 or newer and npm are needed for the UI: install them from https://nodejs.org (or NodeSource), then run make again"
  exit 1
}

install_rust() {
  if command -v cargo >/dev/null 2>&1; then
    return
  fi
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    return
  fi
  log "installing the Rust toolchain with rustup (https://rustup.rs)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
}

ensure_rust_components() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
      log "adding rustfmt and clippy"
      rustup component add rustfmt clippy
    else
      log "cargo fmt and cargo clippy are needed: install rustfmt and clippy for your toolchain"
      exit 1
    fi
  fi
}

# The real SMTP server the SMTP tests talk to: aiosmtpd at the versions
# pinned in scripts/smtpd/requirements.txt, in a venv of its own (the system
# Python stays untouched). A copy of the requirements in the venv marks it as
# done, so a second run needs no network.
SMTPD_VENV="$HOME/.cache/herald/venv"

install_smtpd() {
  local requirements stamp
  requirements="$(cd "$(dirname "$0")/.." && pwd)/scripts/smtpd/requirements.txt"
  stamp="$SMTPD_VENV/herald-requirements.txt"
  if [ -x "$SMTPD_VENV/bin/python" ] && cmp -s "$requirements" "$stamp" \
    && "$SMTPD_VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    return
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    log "python3 is missing: the SMTP tests will skip (install Python 3 and run make again)"
    return
  fi
  log "installing the test SMTP server (aiosmtpd) into $SMTPD_VENV"
  rm -rf "$SMTPD_VENV"
  python3 -m venv "$SMTPD_VENV"
  "$SMTPD_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
}

case "$(uname -s)" in
  Linux)
    if command -v dpkg-query >/dev/null 2>&1; then
      install_apt
    else
      log "not a Debian/Ubuntu system: install a C compiler and pkg-config with your package manager"
    fi
    ;;
  Darwin)
    xcode-select -p >/dev/null 2>&1 || { log "run: xcode-select --install"; exit 1; }
    ;;
  *)
    log "on Windows, use the Visual Studio C++ build tools and rustup (see README.md)"
    ;;
esac
install_rust
ensure_rust_components
ensure_node
install_smtpd
