#!/usr/bin/env bash
# The app's benchmarks on the real window under Xvfb: cold start to the unlock screen, unlock to
# the dashboard with 1,000 children, tap on Missing to the preview. Prints a table.
#   bench/app/run.sh                 # debug build (dependencies at opt-level 2)
#   BENCH_RELEASE=1 bench/app/run.sh # release build
# Needs what the app's end-to-end tests need: xvfb, webkit2gtk-driver, tauri-driver 2.1.0.
set -euo pipefail
cd "$(dirname "$0")/../.."
# --workspace, never -p: the same feature set as the test command, so nothing is built twice.
profile=()
[[ "${BENCH_RELEASE:-0}" == 1 ]] && profile=(--release)
[[ -d ui/node_modules ]] || npm --prefix ui ci
npm --prefix ui run build
xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test --workspace --locked "${profile[@]}" --test bench -- --ignored --nocapture --test-threads=1 2>&1 \
  | grep -E '^\||seeded'
