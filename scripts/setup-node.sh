#!/usr/bin/env bash
# Node dev tools pinned in package.json/package-lock.json (bpmnlint, zbctl, Camunda 8 SDK).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STAMP="$ROOT/node_modules/.checkout-saga-stamp"
hash="$(hash_inputs "$ROOT/package-lock.json")"

if stamp_matches "$STAMP" "$hash"; then
  exit 0
fi
say "installing Node dev tools with npm ci"
(cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
"$ROOT/node_modules/.bin/zbctl" version >/dev/null || die "node_modules/.bin/zbctl does not run"
stamp_write "$STAMP" "$hash"
