#!/usr/bin/env bash
# Runs every Grab Pack test on a fresh Debian 12 machine of this kind, installing what it needs.
# One build shape (STACK.md): build the whole workspace once, then test it, so nothing rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== format"
cargo fmt --all -- --check

echo "== the app's web front end (the app embeds ui/dist when it is built)"
scripts/ui-build.sh

echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== build"
cargo build --workspace --all-targets --locked

echo "== front-end checks, component tests, accessibility (axe-core in Chromium, both sizes)"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run a11y

echo "== the police intake service's officer pages in Chromium"
npm --prefix crates/grabpack-inbox/ui-tests test

echo "== every Rust test, inside a private D-Bus session with gnome-keyring and a virtual display"
# One cargo invocation over the whole workspace: -p or --exclude would change feature
# unification and rebuild half of it. The app's window tests run here (Xvfb, tauri-driver,
# WebKitWebDriver; they serialise themselves), and the device-secret test uses the real keyring.
# A throwaway HOME keeps the tests away from any real keyring; cargo must still find its toolchain.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export PATH="$CARGO_HOME/bin:$PATH"
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data" XDG_CONFIG_HOME="$keyring_home/config" \
XDG_RUNTIME_DIR="$keyring_home/run" XDG_CACHE_HOME="$keyring_home/cache" \
  dbus-run-session -- bash -c '
    set -euo pipefail
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    eval "$(printf "fictional-test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets | sed "s/^/export /")"
    xvfb-run -a -s "-screen 0 1366x768x24" cargo test --workspace --locked
    cargo test --workspace --locked --test keys -- --ignored the_real_secret_service_keeps_the_device_secret
  '

echo "== the parsers under the fuzzer, 30 s each (fuzz/README.md)"
scripts/fuzz-smoke.sh
