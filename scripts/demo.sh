#!/usr/bin/env bash
# The main job on a demo store: builds Grab Pack, creates a store of fictional children in a
# temporary folder and walks through it with the `grabpack` command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --locked -p grabpack-cli
gp() { ./target/debug/grabpack --data-dir "$store" "$@"; }

store=${GRABPACK_DEMO_DIR:-$(mktemp -d)/store}
export GRABPACK_PASSPHRASE=${GRABPACK_PASSPHRASE:-"demo passphrase (fictional)"}
echo "== a demo store of fictional children, encrypted, in $store"
gp demo
echo; echo "== one child's record"
gp child show maya
echo; echo "== reviewed, no changes: a new revision"
gp review kwame --note "Monthly review (demo)"
gp child history kwame
echo; echo "== the audit log, hash-chained"
gp audit list --limit 8
gp audit verify
echo; echo "Store left in $store (passphrase: \$GRABPACK_PASSPHRASE). Try: ./target/debug/grabpack --data-dir $store --help"
