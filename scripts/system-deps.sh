# Sourced by run.sh and test.sh: make sure the system libraries Qt 6 needs are present,
# and that .venv holds the package.
#   ensure_system_packages [extra packages...]
# As root on Debian/Ubuntu it installs what is missing; otherwise it prints the exact
# apt-get line and fails.

QT_RUNTIME_PACKAGES=(libgl1 libegl1 libgl1-mesa-dri libglib2.0-0 libfontconfig1 libfreetype6
  libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-util1 libxcb-randr0
  libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb-glx0 libx11-xcb1
  fonts-dejavu-core)

ensure_system_packages() {
  local wanted=("${QT_RUNTIME_PACKAGES[@]}" "$@") missing=() pkg installed=" "
  if command -v dpkg-query >/dev/null 2>&1; then
    # One query for all of them (a query per package costs a quarter of a second).
    # dpkg-query fails when any package is unknown: that must not end a `set -e` caller.
    installed+=$( (dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null || true) |
      awk '/ ok installed$/ {printf "%s ", $1}')
    for pkg in "${wanted[@]}"; do
      [[ "$installed" == *" $pkg "* ]] || missing+=("$pkg")
    done
  fi
  if [ ! -x .venv/bin/python ] && ! "${PYTHON:-python3}" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
    echo "then run this command again." >&2
    return 1
  fi
}

_stamp_name() {
  case "$1" in
    .) echo app ;;
    ".[test]") echo test ;;
    *) printf '%s' "$1" | tr -c 'A-Za-z0-9' '_' ;;
  esac
}

# A project-local virtual environment keeps the system Python untouched (PEP 668).
# The package is installed editable once; it is installed again only when pyproject.toml
# (its dependencies, its entry points) changes, so a second launch starts at once.
#   ensure_venv "."          the app
#   ensure_venv ".[test]"    the app and what the tests need
ensure_venv() {
  local spec="$1" stamp_dir=.venv/.mlcalc-installed hash
  if [ ! -x .venv/bin/python ]; then
    echo "mlcalc-gui: making a Python environment in .venv (the first start only)..."
    "${PYTHON:-python3}" -m venv .venv
  fi
  hash=$(cksum < pyproject.toml | cut -d' ' -f1)
  # One stamp per spec ("." -> "app", ".[test]" -> "test"); the test install holds the
  # app's too.
  if [ "$(cat "$stamp_dir/$(_stamp_name "$spec")" 2>/dev/null)" = "$hash" ] ||
     { [ "$spec" = "." ] && [ "$(cat "$stamp_dir/test" 2>/dev/null)" = "$hash" ]; }; then
    return 0
  fi
  local what="mlcalc-gui and what it needs (Qt, pyqtgraph, numpy, sympy, matplotlib)"
  [ "$spec" = "." ] || what="$what, and the test tools"
  echo "mlcalc-gui: installing $what into .venv: a few hundred MB, a minute or two the first"
  echo "           time (only again when pyproject.toml changes)..."
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
  mkdir -p "$stamp_dir"
  echo "$hash" > "$stamp_dir/$(_stamp_name "$spec")"
  echo "mlcalc-gui: installed."
}
