"""3D where OpenGL draws, and words where it does not (#31, item 23): on an X server
without GLX every 3D pane was blank white, titled "drag to rotate", over 302
tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_finds_what_this_display_draws_with(qtbot, window):
    from mlcalc_gui.gui.graphics import graphics

    found = graphics()
    assert found.kind in ("hardware", "software") and found.renderer  # Xvfb with Mesa
    assert "3D: " in window.about_html() and found.renderer in window.about_html()


@pytest.fixture
def display_without_glx():
    """A private Xvfb without the GLX extension (Qt then makes contexts through EGL,
    which PyOpenGL cannot use)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-extension", "GLX", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def test_without_glx_every_3d_place_says_so_and_one_line_is_printed(display_without_glx,
                                                                   tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
    env.update(DISPLAY=display_without_glx, QT_QPA_PLATFORM="xcb")
    shots = tmp_path / "shots"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--screenshot", str(shots),
                           "--size", "1366x768"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mlcalc-gui: the 3D views are off"), lines
    assert "Traceback" not in done.stderr
    pictures = sorted(shots.glob("*.png"))
    assert len(pictures) >= 7
    # Gradients' 3D pane shows the fallback card (#f3f3f3), not a white blank.
    image = QImage(str(shots / "02-gradients.png"))
    grey = sum(image.pixelColor(x, y).name() == "#f3f3f3"
               for x in range(400, 800, 20) for y in range(150, 500, 20))
    assert grey > 100
