#!/usr/bin/env bash
# Runs every Grab Pack test on a fresh Debian 12 machine of this kind, installing what it needs.
# One build shape (STACK.md): build the whole workspace once, then test it, so nothing rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== build"
cargo build --workspace --all-targets --locked

echo "== tests"
cargo test --workspace --locked

echo "== the device secret in a real Secret Service (gnome-keyring in a private D-Bus session)"
# A throwaway HOME keeps the test away from any real keyring; cargo must still find its toolchain.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data" XDG_CONFIG_HOME="$keyring_home/config" \
XDG_RUNTIME_DIR="$keyring_home/run" XDG_CACHE_HOME="$keyring_home/cache" \
  dbus-run-session -- bash -c '
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    eval "$(printf "fictional-test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets | sed "s/^/export /")"
    cargo test --locked -p grabpack-store --test keys -- --ignored the_real_secret_service_keeps_the_device_secret
  '
