#!/usr/bin/env bash
# Make lessons and sessions open in mlcalc-gui with a double-click (Linux desktops):
# a desktop entry for this checkout's .venv/bin/mlcalc-gui, and two file types,
# *.mlcalc-lesson.json (a lesson) and *.mlcalc.json (a session, as File > Save session
# names it).  Per user, no administrator: in $XDG_DATA_HOME (~/.local/share).
#   bash scripts/install-desktop-entry.sh        install (again: it replaces the last)
#   bash scripts/install-desktop-entry.sh --remove
set -euo pipefail
cd "$(dirname "$0")/.."
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/mlcalc-gui.desktop"
types="$data/mime/packages/mlcalc-gui.xml"

refresh() {
  if command -v update-mime-database >/dev/null; then update-mime-database "$data/mime"; fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database "$data/applications"
  fi
}

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$types"
  refresh
  echo "mlcalc-gui: the desktop entry and its file types are removed."
  exit 0
fi

app="$(pwd)/.venv/bin/mlcalc-gui"
if [ ! -x "$app" ]; then
  echo "mlcalc-gui: $app is not there yet: run 'bash scripts/run.sh' once first." >&2
  exit 1
fi
mkdir -p "$data/applications" "$data/mime/packages"
cat > "$entry" <<DESKTOP
[Desktop Entry]
Type=Application
Name=mlcalc-gui
GenericName=Calculus tutor
Comment=An offline visual tutor for the multivariate calculus behind machine learning
Exec="$app" %f
Terminal=false
Categories=Education;Math;Science;
MimeType=application/x-mlcalc-lesson;application/x-mlcalc-session;
DESKTOP
cat > "$types" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-mlcalc-lesson">
    <comment>mlcalc-gui lesson</comment>
    <sub-class-of type="application/json"/>
    <glob pattern="*.mlcalc-lesson.json" weight="80"/>
  </mime-type>
  <mime-type type="application/x-mlcalc-session">
    <comment>mlcalc-gui session</comment>
    <sub-class-of type="application/json"/>
    <glob pattern="*.mlcalc.json" weight="80"/>
  </mime-type>
</mime-info>
XML
refresh
echo "mlcalc-gui: installed $entry and the file types *.mlcalc-lesson.json and *.mlcalc.json."
echo "A double-click on such a file now opens it in the tutor (log out and in if it does not yet)."
