#!/usr/bin/env bash
# Installs what building and testing Herald needs and is missing, and nothing
# else: on a machine that already has everything it changes nothing and needs
# no network. Debian/Ubuntu via apt (as root, or with sudo); on other systems
# it says what to install.
set -euo pipefail

# System packages by purpose. Later issues add the desktop (WebKitGTK) and
# test-service packages here.
APT_PACKAGES=(build-essential pkg-config ca-certificates curl python3)

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
