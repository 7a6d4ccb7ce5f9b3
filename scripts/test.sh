#!/usr/bin/env bash
# Install everything the test suite needs, then run it headless under Xvfb.
#   bash scripts/test.sh [extra pytest arguments]
# On Debian/Ubuntu as root it installs the missing system libraries for Qt's xcb
# platform and Mesa's software OpenGL; otherwise it prints the exact apt-get line.
set -euo pipefail
cd "$(dirname "$0")/.."

# Xvfb + Mesa (llvmpipe) + the xcb libraries Qt 6 loads; fonts so labels render.
SYSTEM_PACKAGES=(xvfb xauth libgl1 libegl1 libgl1-mesa-dri libglib2.0-0 libfontconfig1
  libfreetype6 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-util1
  libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb-glx0
  libx11-xcb1 fonts-dejavu-core)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
fi
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# A project-local virtual environment keeps the system Python untouched (PEP 668).
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

.venv/bin/python -m ruff check mlcalc_gui tests benchmarks main.py
# pytest-xvfb starts a 1920x1080x24 Xvfb itself; Qt must use xcb, never offscreen
# (offscreen Qt cannot create an OpenGL context).
unset QT_QPA_PLATFORM
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
