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
