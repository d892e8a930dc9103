#!/usr/bin/env bash
# Every performance figure Grab Pack is held to, in one table (docs/benchmarks.md).
# Builds once, then runs the built benchmarks themselves (nothing is rebuilt between figures, so
# editing the tree while it runs changes no figure): the criterion benchmarks of the store and the
# pack, and the app's real-window benchmark. Records the machine's load around each figure.
#   bash scripts/bench.sh                    # release build (as the app ships); writes the table
#   BENCH_PROFILE=dev bash scripts/bench.sh  # the test command's build (dependencies and the hot
#                                            # crates at opt-level 2): no second build of the
#                                            # workspace, for a machine too busy for a release one
# Benchmarks are never timed assertions in tests: this is the only place figures are judged.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
# Absolute, so criterion (run from here) writes its samples where report.py reads them.
CARGO_TARGET_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")
export CARGO_TARGET_DIR
profile=${BENCH_PROFILE:-release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
loads="$work/loads.tsv"
load() { cut -d' ' -f1 /proc/loadavg; }

echo "== build ($profile, once: the benchmarks and the app's window benchmark, nothing else)"
scripts/ui-build.sh >/dev/null
case "$profile" in
  release)
    # Both in target/release with one feature set (the whole workspace, dev-dependencies on):
    # the second only adds the app's test binary and its dev-dependencies.
    cargo bench --workspace --locked --no-run 2>&1 | tee "$work/build.txt"
    cargo test --release --workspace --locked --test bench --no-run 2>&1 | tee -a "$work/build.txt"
    ;;
  dev)
    # The shape scripts/test.sh builds (whole workspace, all targets): after it, nothing compiles.
    cargo test --workspace --locked --bench store --bench render --test bench --no-run 2>&1 \
      | tee "$work/build.txt"
    ;;
  *) echo "BENCH_PROFILE is release or dev" >&2; exit 2 ;;
esac
executable() { # the built binary of a target, by its source file (benches/store.rs ...)
  grep -F "Executable $1 (" "$work/build.txt" | tail -1 | sed -E 's/.*\((.*)\)$/\1/'
}
store=$(executable benches/store.rs)
render=$(executable benches/render.rs)
app=$(executable tests/bench.rs)

run_bench() { # name, binary, then criterion's filter
  local name=$1 binary=$2; shift 2
  local before; before=$(load)
  echo "== $name"
  "$binary" --bench --noplot "$@" 2>&1 | grep -E '^[a-z_]+/|time: |built in' || true
  printf '%s\t%s -> %s\n' "$name" "$before" "$(load)" >>"$loads"
}
run_bench unlock "$store" 'unlock/recovery_key_raw_key_path'
run_bench photo "$store" 'photo/import_12mp_jpeg_into_store'
run_bench render_pack "$render" 'render_pack/demo child, 3 photos'

echo "== the app on the real window (Xvfb, WebKitGTK, tauri-driver)"
before=$(load)
xvfb-run -a -s "-screen 0 1366x768x24" \
  "$app" --ignored --nocapture --test-threads=1 2>&1 | tee "$work/app.txt" | grep -E '^\||seeded' || true
printf 'app\t%s -> %s\n' "$before" "$(load)" >>"$loads"

# Last: building its 1,000-child store writes ~3 GB, and the disk still writing that back made
# every fsync after it slow (the recovery-key unlock, mostly one commit, read 15 ms after it).
run_bench dashboard "$store" 'dashboard/readiness_1000_children$'

commit=$(git rev-parse --short HEAD)
# What was found about each figure (written by hand under this heading) stays; the table is new.
notes=$(sed -n '/^## Where the time goes/,$p' docs/benchmarks.md 2>/dev/null || true)
echo
python3 bench/report.py "$CARGO_TARGET_DIR" "$work/app.txt" "$loads" "$commit" "$profile" \
  | tee "$work/table.md"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bash scripts/bench.sh\` (this machine kind: 2 cores). Aims are from issue 15;"
  echo "figures are measurements, never assertions in tests."
  echo
  cat "$work/table.md"
  if [ -n "$notes" ]; then
    echo
    echo "$notes"
  fi
} >docs/benchmarks.md
echo "wrote docs/benchmarks.md"
