"""mlcalc-gui as a real package: a wheel, installed into a fresh virtual environment
outside the checkout, has its data and runs every tab."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # minutes, not seconds (README: the fast command)

ROOT = Path(__file__).resolve().parents[2]


def _run(args, cwd, env=None, timeout=300):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv in a temporary folder with only the wheel of this checkout in it.

    The dependencies (PySide6, numpy, sympy, ...) come from the test environment through a
    ``.pth`` line, so the test needs no network; a ``.pth`` line adds that folder to the
    path without running the ``.pth`` files in it, so the checkout's own editable install
    stays out.
    """
    base = tmp_path_factory.mktemp("packaging")
    source = base / "source"
    # A copy, so that building leaves nothing behind in the checkout.
    shutil.copytree(ROOT / "mlcalc_gui", source / "mlcalc_gui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = base / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", str(wheels), str(source)], cwd=base)
    (wheel,) = wheels.glob("mlcalc_gui-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "-q", str(wheel)], cwd=base)
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                cwd=base).strip()
    (Path(site) / "_mlcalc_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    work = base / "elsewhere"  # neither the checkout nor the venv
    work.mkdir()
    return venv, python, env, work


def test_the_wheel_carries_the_course_data_and_every_tab(installed):
    venv, python, env, work = installed
    out = _run([str(python), "-c", """
import importlib, mlcalc_gui
from mlcalc_gui.core.fitting import heights_data
from mlcalc_gui.gui.shell.registry import TAB_SPECS
x, y = heights_data()
print(mlcalc_gui.__file__)
print(len(x), round(float(sum(y) * 2.5), 6))
for spec in TAB_SPECS:
    getattr(importlib.import_module(spec.module), spec.cls)
    print(spec.title)
"""], cwd=work, env=env)
    lines = out.splitlines()
    assert Path(lines[0]).resolve().is_relative_to(venv.resolve())  # the wheel, not the clone
    assert lines[1] == "100 1.0"  # 100 bins of 2.5 cm, area 1
    from mlcalc_gui.gui.shell.registry import TAB_SPECS

    assert lines[2:] == [spec.title for spec in TAB_SPECS]


def test_the_installed_command_runs_every_tab(installed, tmp_path, screenshot_names):
    venv, python, env, work = installed
    script = venv / ("Scripts/mlcalc-gui.exe" if os.name == "nt" else "bin/mlcalc-gui")
    out = _run([str(script), "--screenshot", str(tmp_path), "--size", "1366x768"], cwd=work,
               env=env)
    shots = sorted(tmp_path.glob("*.png"))
    assert {p.name for p in shots} == screenshot_names
    assert all(p.stat().st_size > 20_000 for p in shots)
    assert sorted(Path(line).name for line in out.split()) == [p.name for p in shots]


def test_python_dash_m_starts_the_package(installed):
    venv, python, env, work = installed
    out = _run([str(python), "-m", "mlcalc_gui", "--help"], cwd=work, env=env)
    assert "--screenshot" in out and "usage: mlcalc-gui" in out
