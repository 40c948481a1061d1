#!/usr/bin/env bash
# The virtualenv in .venv with the pinned dependencies and this project installed editable.
# A working 3.11 venv is never recreated; the install re-runs only when the lock or setup.cfg change.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.checkout-saga-stamp"

venv_ok() {
  [[ -x "$VENV/bin/python" ]] &&
    "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

if ! venv_ok; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
    die "$PYTHON is not Python 3.11 (set PYTHON=/path/to/python3.11)"
  say "creating virtualenv in .venv"
  "$PYTHON" -m venv --clear "$VENV"
fi

hash="$(hash_inputs "$ROOT/requirements.lock" "$ROOT/setup.cfg" "$ROOT/pyproject.toml")"
if ! stamp_matches "$STAMP" "$hash"; then
  say "installing Python dependencies from requirements.lock"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.lock"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT" --no-deps
  stamp_write "$STAMP" "$hash"
fi
