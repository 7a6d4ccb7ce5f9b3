"""Exports a lecturer relies on (#31, item 20): SVG lines as on screen in every
renderer, PNG at slide resolution, files readable by others, a CSV that says what made
it, and a GIF of one view at a chosen size."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET

from PIL import Image
from PySide6.QtGui import QImage


def _stroked_in_scaled_groups(svg: str) -> list[str]:
    """Stroked lines inside a group that scales them (renderers that ignore
    vector-effect draw their strokes that many times wider)."""
    root = ET.fromstring(svg)
    found = []
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        matrix = re.match(r"matrix\(([^)]*)\)", group.get("transform", ""))
        if matrix is None:
            continue
        a, b, c, d = (abs(float(v)) for v in matrix.group(1).split(",")[:4])
        if max(abs(a - 1), abs(d - 1), b, c) < 1e-3:
            continue
        if group.get("stroke", "none") != "none" and float(group.get("stroke-width", 1)) > 0:
            found += [child.tag for child in group if child.tag.endswith(("path",
                                                                          "polyline"))]
    return found


def test_svg_arrows_and_paths_are_lines_in_every_renderer(qtbot, window, gradients,
                                                          tmp_path):
    gradients.run_demo()
    path = tmp_path / "view.svg"
    window.export_view(str(path))
    svg = path.read_text()
    assert _stroked_in_scaled_groups(svg) == []
    # The arrows are there, in the page's coordinates (inside the drawing).
    width = float(ET.fromstring(svg).get("width").rstrip("px").replace("mm", ""))
    red = re.search(r'stroke="#d73027"[^>]*>\s*<path[^>]*d="M([-\d.]+),([-\d.]+)', svg)
    assert red is not None and 0 < float(red.group(1)) < 4 * width


def test_png_exports_at_twice_the_size_drawn_sharp(qtbot, window, gradients, tmp_path):
    window.export_view(str(tmp_path / "one.png"))
    window.export_view(str(tmp_path / "two.png"), 2.0)
    one, two = QImage(str(tmp_path / "one.png")), QImage(str(tmp_path / "two.png"))
    assert two.width() == 2 * one.width() and two.height() == 2 * one.height()


def test_exported_files_are_readable_by_others_as_a_new_file_is(qtbot, window, gradients,
                                                               tmp_path):
    gradients.run.step(3)
    qtbot.waitUntil(lambda: len(gradients.path) == 4)
    mask = os.umask(0)
    os.umask(mask)
    expected = 0o666 & ~mask
    for name, save in (("run.csv", window.export_run_table), ("view.png", window.export_view),
                       ("s.json", window.save_session)):
        save(str(tmp_path / name))
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name
    gif = tmp_path / "run.gif"
    window.export_animation(str(gif))
    qtbot.waitUntil(gif.is_file, timeout=30000)
    assert stat.S_IMODE(gif.stat().st_mode) == expected


def test_a_gif_of_one_view_at_a_chosen_width(qtbot, window, gradients, tmp_path):
    from mlcalc_gui.gui.shell.export import export_views

    gradients.run.step(4)
    qtbot.waitUntil(lambda: len(gradients.path) == 5)
    views = dict(export_views(gradients))
    assert "The whole view" in views and "Contour map" in views
    gif = tmp_path / "map.gif"
    window.export_animation(str(gif), views["Contour map"], 640)
    qtbot.waitUntil(lambda: "frames" in window.statusBar().currentMessage(), timeout=30000)
    with Image.open(gif) as image:
        assert image.size[0] == 640
        ratio = image.size[1] / image.size[0]
    box = views["Contour map"]
    assert abs(ratio - box.height() / box.width()) < 0.02  # the map alone, not the window
