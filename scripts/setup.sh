#!/usr/bin/env bash
# Installs what building, running and testing Grab Pack needs on a fresh Debian 12 machine of this
# kind (Rust 1.95, Node 20 with npm, Python 3.11 come with the machine). Safe to run again: it
# installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  build-essential pkg-config file libssl-dev libxdo-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver chromium
  dbus gnome-keyring libsecret-tools libdbus-1-dev
  qpdf poppler-utils libharfbuzz-bin
  postgresql
)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node 20 with npm is required" >&2; exit 1; }

# The WebDriver bridge for end-to-end tests of the real app window.
if ! command -v tauri-driver >/dev/null || ! tauri-driver --help >/dev/null 2>&1; then
  cargo install tauri-driver --locked --version 2.1.0
fi
# The fuzz targets' runner (scripts/fuzz-smoke.sh).
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# A real SMTP server (aiosmtpd) for the sending tests.
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet -r crates/grabpack-send/tests/requirements.txt
# Front-end packages, exact versions from the lock files; no browser downloads (Debian's chromium is used).
[ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund
[ -d crates/grabpack-inbox/ui-tests/node_modules ] || npm --prefix crates/grabpack-inbox/ui-tests ci --no-audit --no-fund
