#!/usr/bin/env bash
# Every performance figure Grab Pack is held to, in one table (docs/benchmarks.md).
# Builds release once (criterion benches and the app's real-window benchmark share target/release),
# runs each benchmark, records the machine's load around each, and prints the table.
#   bash scripts/bench.sh            # prints the table and writes docs/benchmarks.md
# Benchmarks are never timed assertions in tests: this is the only place figures are judged.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
target=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
loads="$work/loads.tsv"
load() { cut -d' ' -f1 /proc/loadavg; }

echo "== build (release, once)"
npm --prefix ui run build >/dev/null
cargo build --release --workspace --all-targets --locked
cargo bench --workspace --locked --no-run

run_bench() { # name, then the cargo bench arguments
  local name=$1; shift
  local before; before=$(load)
  echo "== $name"
  cargo bench --workspace --locked "$@" 2>&1 | grep -E '^[a-z_]+/| time: ' || true
  printf '%s\t%s -> %s\n' "$name" "$before" "$(load)" >>"$loads"
}
run_bench dashboard --bench store -- --noplot 'dashboard/readiness_1000_children$'
run_bench unlock --bench store -- --noplot 'unlock/recovery_key_raw_key_path'
run_bench photo --bench store -- --noplot 'photo/import_12mp_jpeg_into_store'
run_bench render_pack --bench render -- --noplot 'render_pack/demo child, 3 photos'

echo "== the app on the real window (Xvfb, WebKitGTK, tauri-driver)"
before=$(load)
xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test --release --workspace --locked --test bench -- --ignored --nocapture --test-threads=1 \
  2>&1 | tee "$work/app.txt" | grep -E '^\||seeded' || true
printf 'app\t%s -> %s\n' "$before" "$(load)" >>"$loads"

commit=$(git rev-parse --short HEAD)
echo
python3 bench/report.py "$target" "$work/app.txt" "$loads" "$commit" | tee "$work/table.md"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bash scripts/bench.sh\` (release build, this machine kind: 2 cores). Aims are from"
  echo "issue 15; figures are measurements, never assertions in tests."
  echo
  cat "$work/table.md"
} >docs/benchmarks.md
echo "wrote docs/benchmarks.md"
