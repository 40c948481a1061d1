#!/usr/bin/env bash
# Everything `make test` and `make run` need, installed only when missing or out of date.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

start=$SECONDS
for step in system python kafka ferretdb node; do
  bash "$here/setup-$step.sh"
done
# Offline validators for the Helm chart and the Prometheus rules (cached under .cache/).
bash "$here/install-helm.sh"
bash "$here/install-promtool.sh"
say "ready ($((SECONDS - start))s)"
