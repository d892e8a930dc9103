#!/usr/bin/env bash
# Builds the window's front end (ui/dist) unless it is already newer than everything it is built
# from. Why: the app embeds every file of ui/dist when it compiles, and cargo recompiles the app
# when those files' times change, so rebuilding an unchanged front end made `scripts/run.sh` after
# `scripts/test.sh` recompile the app and its tests. `npm --prefix ui run build` always rebuilds.
set -euo pipefail
cd "$(dirname "$0")/../ui"
built=dist/index.html
sources=(src index.html package.json package-lock.json vite.config.ts svelte.config.js tsconfig.json)
if [ -f "$built" ] && [ -z "$(find "${sources[@]}" -newer "$built" -print -quit 2>/dev/null)" ]; then
  echo "ui/dist is newer than its sources: not rebuilt"
  exit 0
fi
npm run build
