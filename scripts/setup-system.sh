#!/usr/bin/env bash
# Debian packages the stack needs. Checks first (dpkg -s / command -v), so CI does not spend
# minutes in apt when everything is there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

packages=()
dpkg -s postgresql >/dev/null 2>&1 || packages+=(postgresql)
java -version >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
# Browser-tier tests drive Debian's chromium through playwright (never `playwright install`).
command -v chromium >/dev/null 2>&1 || packages+=(chromium)

if ((${#packages[@]})); then
  say "installing Debian packages: ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${packages[@]}"
fi

# Toolchains Debian cannot provide in the needed versions: these are preinstalled on our machines.
command -v go >/dev/null 2>&1 || die "go >= 1.24 not found (FerretDB is built with it): install Go from go.dev"
command -v npm >/dev/null 2>&1 || die "node 20 / npm not found: install Node.js 20 (NodeSource or nvm)"
command -v python3 >/dev/null 2>&1 || die "python3 (3.11) not found"
exit 0
