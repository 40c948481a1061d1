#!/usr/bin/env bash
# promtool from Debian's `prometheus` package, unpacked (not installed) into .cache/promtool.
# Gives .cache/promtool/usr/bin/promtool without running a Prometheus server. Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DEST="$ROOT/.cache/promtool"
BIN="$DEST/usr/bin/promtool"

if [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1; then
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install promtool (prometheus) yourself"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "downloading Debian's prometheus package for promtool"
(cd "$work" && apt-get download prometheus >/dev/null 2>&1) || {
  as_root apt-get update -qq
  (cd "$work" && apt-get download prometheus)
}
rm -rf "$DEST"
dpkg -x "$work"/prometheus_*.deb "$DEST"
"$BIN" --version >/dev/null || die "unpacked promtool does not run"
