# Shared helpers for the setup scripts (sourced, not run).
# Idempotence: each step writes a stamp holding a hash of its inputs and is skipped while the
# stamp matches, so a second `make setup` costs well under a second.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAMPS="$ROOT/.cache/stamps"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# hash_inputs FILE... -> one sha256 over the files' contents.
hash_inputs() {
  cat "$@" | sha256sum | cut -d' ' -f1
}

# stamp_matches STAMPFILE HASH -> success when the stamp records HASH.
stamp_matches() {
  [[ -f "$1" && "$(cat "$1")" == "$2" ]]
}

# stamp_write STAMPFILE HASH
stamp_write() {
  mkdir -p "$(dirname "$1")"
  printf '%s' "$2" > "$1"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (run as root or install sudo)"
  fi
}
