#!/usr/bin/env bash
# Build a one-folder bundle of the tutor for the system this runs on: Python, Qt, the
# course data and the lessons inside, so that a school machine runs it without Python.
#   bash scripts/bundle.sh [DEST]   ->  DEST/mlcalc-gui/  (default: dist/)
# Start it with DEST/mlcalc-gui/mlcalc-gui (mlcalc-gui.exe on Windows; on macOS the
# folder is DEST/mlcalc-gui.app). One folder, never one file: a one-file build unpacks
# itself into a temporary folder at every start (seconds, and a school's antivirus
# scanning it each time).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)"
source scripts/system-deps.sh
ensure_venv ".[bundle]"

windowed=()
case "$(uname -s)" in
  Darwin | MINGW* | MSYS* | CYGWIN*) windowed=(--windowed) ;;  # no console window
esac

# The tabs and pages are imported when first shown, and the training service is started
# by name: every module of the package goes in.  The data files (the heights, the
# lessons) and pyqtgraph's colour maps are read at run time.  What the tutor never uses
# stays out (the test tools, other Qt bindings, Tk).
.venv/bin/python -m PyInstaller --noconfirm --clean --onedir --name mlcalc-gui \
  "${windowed[@]}" \
  --distpath "$dest" --workpath build/pyinstaller --specpath build/pyinstaller \
  --collect-submodules mlcalc_gui --collect-data mlcalc_gui --collect-data pyqtgraph \
  --exclude-module tkinter --exclude-module PyQt5 --exclude-module PyQt6 \
  --exclude-module PySide2 --exclude-module pytest --exclude-module hypothesis \
  --exclude-module IPython --exclude-module torch \
  main.py
echo "mlcalc-gui: the bundle is $dest/mlcalc-gui ($(du -sh "$dest/mlcalc-gui" | cut -f1))"
