#!/usr/bin/env bash
# Install everything the test suite needs, then run it headless under Xvfb.
#   bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-deps.sh
# Xvfb + xauth for the virtual screen; Mesa (llvmpipe) draws the OpenGL views for real.
ensure_system_packages xvfb xauth
ensure_venv ".[test]"

.venv/bin/python -m ruff check mlcalc_gui tests benchmarks main.py
# pytest-xvfb starts a 1920x1080x24 Xvfb itself; Qt must use xcb, never offscreen
# (offscreen Qt cannot create an OpenGL context).
unset QT_QPA_PLATFORM
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
