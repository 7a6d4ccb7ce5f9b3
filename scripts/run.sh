#!/usr/bin/env bash
# Install mlcalc-gui into .venv (once) and start it.  Arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-deps.sh
ensure_system_packages
ensure_venv "."
exec .venv/bin/mlcalc-gui "$@"
