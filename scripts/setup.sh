#!/usr/bin/env bash
# Installs what building and testing Grab Pack needs on a fresh Debian 12 machine of this kind.
# Safe to run again: it installs only what is missing.
set -euo pipefail

DEBIAN_PACKAGES=(
  build-essential pkg-config file libssl-dev
  dbus gnome-keyring libsecret-tools libdbus-1-dev
  qpdf poppler-utils libharfbuzz-bin
)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required" >&2; exit 1; }
