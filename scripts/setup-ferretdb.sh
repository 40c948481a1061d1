#!/usr/bin/env bash
# FerretDB v1 (MongoDB wire protocol; the stack runs it on PostgreSQL) built from the Go module proxy into .cache/bin.
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at
# start: the module zip lacks the generated build/version/version.txt. So infra/ferretdb/go.mod
# pins FerretDB as a Go tool; we vendor it into .cache, write version.txt, and build from there.
# The Go module cache (~/go/pkg/mod) makes later builds offline and fast.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SRC="$ROOT/infra/ferretdb"
BUILD="$ROOT/.cache/ferretdb-build"
BIN="$ROOT/.cache/bin/ferretdb"
STAMP="$STAMPS/ferretdb"
hash="$(hash_inputs "$SRC/go.mod" "$SRC/go.sum" "$0")"

if stamp_matches "$STAMP" "$hash" && [[ -x "$BIN" ]]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || die "go not found: install Go >= 1.24 from go.dev"
version="$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2 }' "$SRC/go.mod")"
[[ -n "$version" ]] || die "FerretDB version not found in $SRC/go.mod"
say "building FerretDB $version with $(go version | cut -d' ' -f3) (first time: a few minutes)"
rm -rf "$BUILD"
mkdir -p "$BUILD" "$(dirname "$BIN")"
cp "$SRC/go.mod" "$SRC/go.sum" "$BUILD/"
(
  cd "$BUILD"
  go mod vendor
  echo "$version" > vendor/github.com/FerretDB/FerretDB/build/version/version.txt
  go build -mod=vendor -trimpath -o "$BIN" github.com/FerretDB/FerretDB/cmd/ferretdb
)
reported="$("$BIN" --version)"  # captured first: `| grep -q` would SIGPIPE it under pipefail
[[ "$reported" == *"version: $version"* ]] || die "built ferretdb reports: $reported"
rm -rf "$BUILD"
stamp_write "$STAMP" "$hash"
