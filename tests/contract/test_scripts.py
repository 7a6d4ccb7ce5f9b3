"""The two commands say what they are doing (#31, item 26): the first start of
``scripts/run.sh`` took 40 s and printed nothing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_install_says_what_it_installs_and_a_second_start_says_nothing(tmp_path):
    shutil.copy(ROOT / "scripts" / "system-deps.sh", tmp_path / "system-deps.sh")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    log = tmp_path / "calls.log"
    # A stand-in Python: "-m venv .venv" makes .venv/bin/python, itself a stand-in that
    # logs what pip is asked (no network, no real install).
    fake = tmp_path / "python-stand-in"
    fake.write_text(f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; exit 0
fi
echo "$@" >> {log}
""")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PYTHON": str(fake)}

    def start() -> str:
        return subprocess.run(["bash", "-c", "source system-deps.sh && ensure_venv ."],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True).stdout

    first = start()
    assert "making a Python environment in .venv" in first
    assert "installing mlcalc-gui and what it needs" in first and "a minute" in first
    assert "installed." in first
    assert "pip install" in log.read_text()
    assert start() == ""  # installed: a second start begins at once, silently


def test_the_desktop_entry_names_this_tutor_and_the_two_file_types(tmp_path):
    """Double-clicking a lesson or a session opens it (#34): the entry runs this
    checkout's command with the file, and the file types are declared; --remove undoes
    both."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    app = tmp_path / ".venv" / "bin" / "mlcalc-gui"
    app.parent.mkdir(parents=True)
    app.write_text("#!/bin/sh\n")
    app.chmod(app.stat().st_mode | stat.S_IEXEC)
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["bash", "scripts/install-desktop-entry.sh"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True)
    assert "installed" in done.stdout
    entry = (data / "applications" / "mlcalc-gui.desktop").read_text()
    assert f'Exec="{app}" %f' in entry
    assert "MimeType=application/x-mlcalc-lesson;application/x-mlcalc-session;" in entry
    types = (data / "mime" / "packages" / "mlcalc-gui.xml").read_text()
    assert '<glob pattern="*.mlcalc-lesson.json"' in types
    assert '<glob pattern="*.mlcalc.json"' in types
    subprocess.run(["bash", "scripts/install-desktop-entry.sh", "--remove"], cwd=tmp_path,
                   env=env, capture_output=True, text=True, check=True)
    assert not (data / "applications" / "mlcalc-gui.desktop").exists()
    # without the app installed it says what to do first
    app.unlink()
    missing = subprocess.run(["bash", "scripts/install-desktop-entry.sh"], cwd=tmp_path,
                             env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and "bash scripts/run.sh" in missing.stderr
