#!/usr/bin/env bash
# Helm 3 built from the Go module proxy into .cache/bin/helm (the chart tests need it offline).
# Idempotent: skipped while the stamp records the pinned version and the binary runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN="$ROOT/.cache/bin/helm"
STAMP="$STAMPS/helm"

if stamp_matches "$STAMP" "$HELM_VERSION" && [[ -x "$BIN" ]] && "$BIN" version >/dev/null 2>&1; then
  exit 0
fi
command -v go >/dev/null 2>&1 || die "go not found: install Go >= 1.24 from go.dev"
say "building helm $HELM_VERSION with $(go version | cut -d' ' -f3) (first time: a few minutes)"
mkdir -p "$(dirname "$BIN")"
GOBIN="$(dirname "$BIN")" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
reported="$("$BIN" version --template '{{.Version}}')"
# `go install` leaves the version ldflags unset: helm reports its compiled-in "v3.22", not v3.22.0.
[[ "$HELM_VERSION" == "$reported"* ]] || die "built helm reports: $reported"
stamp_write "$STAMP" "$HELM_VERSION"
