#!/usr/bin/env bash
# The main job: builds the Grab Pack app and starts it on a demo store of fictional children.
# Uses the user's display, or a virtual one (Xvfb) when there is none.
# Demo passphrase: "maple house demo"; manager PIN 246810 where the system keychain works.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ui-build.sh
# The same build as scripts/test.sh (one shape: the whole workspace, all targets), so running the
# app after the tests rebuilds nothing; `-p grabpack-app` would unify features differently and
# rebuild much of the workspace. The crates on the hot paths (photos, the pack, the store, the
# form) are optimised even in this profile (Cargo.toml), so the app is as quick as it ships.
cargo build --workspace --all-targets --locked
export GRABPACK_DEMO=1
export GRABPACK_DATA_DIR=${GRABPACK_DATA_DIR:-$(mktemp -d)/grabpack-demo}
echo "Demo store: $GRABPACK_DATA_DIR"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec target/debug/grabpack-app
else
  echo "No display: running under Xvfb (use a real desktop to see the window)."
  exec xvfb-run -a -s "-screen 0 1366x768x24" target/debug/grabpack-app
fi
