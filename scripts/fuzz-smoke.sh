#!/usr/bin/env bash
# Runs each fuzz target for a short while (30 s by default) from its committed corpus: a CI
# smoke test that the parsers of what others send us (child files, photos, the intake's upload,
# the acknowledgement feed, the police directory) still stand up to hostile input. The long runs
# (10 minutes and more each) are done by hand: see fuzz/README.md.
#
# The fuzz crate is a workspace of its own, built once (instrumented) into fuzz/target, so the
# main workspace's build and lockfile are untouched. The smoke build uses the dev profile
# (`--dev`, dependencies optimised, see fuzz/Cargo.toml): a release build of everything the
# targets reach (SQLCipher, the image codecs, the intake's HTTP stack) in one codegen unit took
# 55 minutes on this 2-core machine under load, too much for CI. The long runs use release. No sanitizer (`-s none`): the
# targets are safe Rust, and this works on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
targets=(interchange_import photo_import intake_upload ack_feed police_directory)
unset CARGO_TARGET_DIR

cargo fmt --manifest-path fuzz/Cargo.toml -- --check
cargo fuzz build -s none --dev
for t in "${targets[@]}"; do
  echo "== fuzz $t (${seconds} s)"
  # A scratch copy of the corpus: the run adds what it finds there, and the committed corpus
  # stays as it is. A crash fails the script and leaves its input in fuzz/artifacts/$t/.
  scratch=$(mktemp -d)
  cp -r "fuzz/corpus/$t/." "$scratch/"
  cargo fuzz run -s none --dev "$t" "$scratch" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1
  rm -rf "$scratch"
done
