"""The Gradients tab and the window around it, driven as a user would."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from mlcalc_gui.core.runner import FinishKind
from mlcalc_gui.core.surfaces import preset_by_name
from mlcalc_gui.gui.theme import format_number as fmt


def type_function(qtbot, tab, text):
    """Type f and press Enter; wait for its check and its landscape (both worked out off
    the GUI thread)."""
    tab.input.edit.clear()
    qtbot.keyClicks(tab.input.edit, text)
    qtbot.keyClick(tab.input.edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: not tab.input.pending and not tab.landscape.pending)


def test_typing_a_function_changes_the_surface(qtbot, gradients):
    before_image = np.array(gradients.landscape.contour.image.image, copy=True)
    type_function(qtbot, gradients, "x^2 - y^2")
    assert gradients.function.text == "x^2 - y^2"
    after = gradients.landscape.contour.image.image
    assert not np.allclose(np.nan_to_num(before_image), np.nan_to_num(after))
    # Row j is y, column i is x on a 200 x 200 grid over [-2, 2]^2: corner values are exact.
    assert after[0, 0] == pytest.approx(0.0)  # (-2, -2): 4 - 4
    assert not gradients.input.error.isVisible()
    if gradients.landscape.surface.has_gl:
        z = gradients.landscape.surface.heights
        assert z.shape == (70, 70)
        # (x, y) = (2, 2) is the last corner, f = 0 there; heights map [lo, hi] to [0, 6].
        lo, hi = gradients.landscape.zlim
        assert lo == pytest.approx(-4.0, abs=1e-3)  # the 200 x 200 grid misses y = 0 by a hair
        assert z[-1, -1] == pytest.approx((0 - lo) * 6 / (hi - lo))
    assert gradients.input.preset_combo.currentText() == "Saddle"  # typed, and recognised


def test_bad_function_shows_error_and_keeps_previous_surface(qtbot, gradients):
    type_function(qtbot, gradients, "x^2 + y^2")
    image = np.array(gradients.landscape.contour.image.image, copy=True)
    function = gradients.function
    type_function(qtbot, gradients, "x^2 + foo(y)")
    assert gradients.input.error.isVisible()
    assert "foo" in gradients.input.error.text()
    assert gradients.function is function
    assert np.array_equal(gradients.landscape.contour.image.image, image)
    assert gradients.input.edit.cursorPosition() == 6  # the cursor sits on the problem
    type_function(qtbot, gradients, "__import__('os').system('echo hi')")
    assert gradients.input.error.isVisible() and gradients.function is function


def test_point_readouts_and_verdict(qtbot, gradients):
    gradients.apply_preset(preset_by_name("Saddle"))
    gradients.set_point(1.0, 0.5)
    r = gradients.readout.values
    assert r["f"].text() == "0.75"
    assert r["fx"].text() == "2" and r["fy"].text() == "-1"
    assert gradients.verdict == "not stationary"
    gradients.jump_to_stationary()
    assert gradients.point == pytest.approx((0.0, 0.0), abs=1e-9)
    assert gradients.verdict == "saddle"
    assert "saddle" in gradients.hessian.verdict.text()
    qtbot.waitUntil(lambda: not gradients.formulas.task.busy)
    assert gradients.formulas.rows()[1] == r"\frac{\partial f}{\partial x} = 2 x"
    assert all(label.typeset() for label in gradients.formulas.labels)
    assert gradients.formulas.values.text() == "At (x, y) = (0, 0):  f = 0,  ∂f/∂x = 0,  ∂f/∂y = 0"


def test_a_tower_of_powers_is_drawn_with_a_hessian_from_differences(qtbot, gradients):
    """x^x^…^x with 40 x's froze the tab for 25 s (its symbolic Hessian) and 7 s per
    point move (the formulas printed at every move)."""
    tower = "^".join(["x"] * 40)
    gradients.input.set_input(tower, (0.5, 1.5, -1.0, 1.0))
    assert gradients.function.text == tower
    assert gradients.function.second_partials is None  # the Hessian by differences
    gradients.set_point(1.1, 0.3)
    fx = gradients.function.gradient(1.1, 0.3)[0]
    h = 1e-6
    fxx = (gradients.function.gradient(1.1 + h, 0.3)[0]
           - gradients.function.gradient(1.1 - h, 0.3)[0]) / (2 * h)
    assert gradients.analysis.hessian[0, 0] == pytest.approx(fxx, rel=1e-6)
    assert gradients.analysis.gradient[0] == pytest.approx(fx)
    qtbot.waitUntil(lambda: not gradients.formulas.task.busy)
    assert "too long to typeset" in gradients.formulas.rows()[1]


def test_click_on_the_map_moves_the_point(qtbot, gradients):
    view = gradients.landscape.contour
    vb = view.getPlotItem().getViewBox()
    scene_pos = vb.mapViewToScene(QPointF(0.5, -0.5))
    widget_pos = view.mapFromScene(scene_pos)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=widget_pos)
    assert gradients.point == pytest.approx((0.5, -0.5), abs=0.05)
    qtbot.keyClick(view, Qt.Key_Right)
    assert gradients.point[0] == pytest.approx(0.5 + 0.04, abs=0.06)


def test_descent_runs_pauses_steps_and_stops_cleanly(qtbot, window, gradients):
    gradients.apply_preset(preset_by_name("Bowl"))
    gradients.set_point(1.6, 1.2)
    gradients.rate_spin.setValue(0.1)
    gradients.steps_spin.setValue(200)
    gradients.worker.set_rate(100)
    window.activateWindow()
    qtbot.waitActive(window)
    # The map ignores Space itself: only the shortcut can act.
    gradients.landscape.contour.setFocus()
    qtbot.waitUntil(gradients.landscape.contour.hasFocus)
    with qtbot.waitSignal(gradients.worker.sig_state,
                          check_params_cb=lambda s: s == "running"):
        qtbot.keyClick(gradients.landscape.contour, Qt.Key_Space)
    qtbot.waitUntil(lambda: len(gradients.path) >= 3)
    assert gradients.playback.play_button.text().endswith("Pause")
    with qtbot.waitSignal(gradients.worker.sig_state, check_params_cb=lambda s: s == "paused"):
        gradients.playback.play_button.click()
    n = len(gradients.path)
    gradients.playback.step_button.click()
    qtbot.waitUntil(lambda: len(gradients.path) == n + 1)
    last = gradients.path[-1]
    # Each step multiplies the point by (1 - 2 eta) = 0.8.
    assert last.point == pytest.approx((1.6 * 0.8**last.step, 1.2 * 0.8**last.step))
    assert gradients.point == last.point
    # The step shown brought f's analysis from the worker: the readout shows that one
    # (the Bowl x^2 + y^2: gradient 2p, Hessian 2I), not one derived again here.
    assert last.analysis is not None and gradients.analysis is last.analysis
    assert last.analysis.gradient == pytest.approx(tuple(2 * v for v in last.point))
    assert last.analysis.eigenvalues == pytest.approx([2.0, 2.0])
    # Only the steps a frame showed carry one: a long run keeps lean records.
    assert sum(r.analysis is not None for r in gradients.path) < len(gradients.path)
    curve_x, _ = gradients.value_curve.getData()
    assert len(curve_x) == len(gradients.path)
    gradients.worker.set_rate(None)
    with qtbot.waitSignal(gradients.worker.sig_finished, timeout=10000):
        gradients.worker.resume()
    assert gradients.last_finish[0] == "done"
    assert gradients.path[-1].gradient_norm < 1e-9
    assert "converged" in gradients.descent_status.text()


def test_step_from_idle_takes_one_step(qtbot, gradients):
    gradients.apply_preset(preset_by_name("Bowl"))
    gradients.set_point(1.0, 1.0)
    gradients.step(1)
    qtbot.waitUntil(lambda: len(gradients.path) == 2)
    assert gradients.path[1].point == pytest.approx((0.8, 0.8))
    gradients.reset_descent()
    assert gradients.path == [] and gradients.point == (1.0, 1.0)


def test_divergence_stops_with_a_message(qtbot, gradients):
    gradients.apply_preset(preset_by_name("Bowl"))
    gradients.rate_spin.setValue(1.5)
    gradients.worker.set_rate(None)
    gradients.steps_spin.setValue(100000)
    with qtbot.waitSignal(gradients.worker.sig_finished, timeout=10000) as blocker:
        gradients.play()
    assert blocker.args[0] == "diverged"
    assert "Diverged" in gradients.descent_status.text()
    values = np.array([r.value for r in gradients.path])
    assert np.all(np.isfinite(values))
    _, drawn = gradients.value_curve.getData()
    assert np.all(np.isfinite(drawn))


def test_closing_mid_run_exits_fast(qtbot, window, gradients):
    gradients.worker.set_rate(1)
    gradients.steps_spin.setValue(100000)
    gradients.play()
    qtbot.waitUntil(lambda: gradients.worker.state == "running")
    window.close()  # joins the worker (how fast: the benchmarks' cancel_join_max_ms)
    assert not gradients.worker.is_alive()


def test_settings_remember_geometry_and_tab(qtbot, settings, window):
    window.resize(1200, 700)
    window.close()
    assert settings.value("last_tab") == "Gradients"
    from mlcalc_gui.gui.shell.window import MainWindow

    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.size().width() == 1200
    again.close()


def test_export_png_and_svg(qtbot, window, tmp_path):
    png, svg = tmp_path / "view.png", tmp_path / "view.svg"
    window.export_view(str(png))
    window.export_view(str(svg))
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() > 800 and image.height() > 500
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text and len(text) > 10_000


def test_text_zoom_for_the_back_row(qtbot, window):
    from PySide6.QtWidgets import QApplication

    base = QApplication.font().pointSizeF()
    window.zoom_text(1)
    assert QApplication.font().pointSizeF() == pytest.approx(base + 1.5)
    window.zoom_text(0)
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_undefined_hessian_and_jump_are_handled(qtbot, gradients):
    gradients.input.edit.setText("sqrt(x) + y")
    gradients.input.apply()
    qtbot.waitUntil(lambda: not gradients.input.pending)
    gradients.set_point(-1.0, 0.5)  # sqrt of a negative: f and H are undefined here
    assert gradients.hessian.matrix.text() == "H is undefined here"
    assert gradients.verdict == "undefined"
    gradients.jump_to_stationary()  # says why it cannot, without raising
    assert gradients.point == (-1.0, 0.5)


def test_play_after_a_finished_descent_starts_from_the_moved_point(qtbot, gradients):
    """Tried as a new user: after a descent finished, a new point and Play did nothing
    ("Stopped at step 77") and Reset jumped back to the old start."""
    gradients.apply_preset(preset_by_name("Bowl"))
    gradients.set_point(1.0, 1.0)
    gradients.steps_spin.setValue(5)
    gradients.worker.set_rate(None)
    with qtbot.waitSignal(gradients.run.sig_finished, timeout=10000):
        gradients.play()
    assert gradients.last_finish[0] == FinishKind.DONE and len(gradients.path) == 6
    old_message = gradients.descent_status.text()
    assert "Stopped at step 5" in old_message
    gradients.set_point(-1.0, 0.5)  # the learner clicks a new point
    assert gradients.path == [] and gradients.last_finish == (None, "")
    assert "Stopped" not in gradients.descent_status.text()  # the old message went
    with qtbot.waitSignal(gradients.run.sig_finished, timeout=10000):
        gradients.play()
    assert gradients.path[0].point == pytest.approx((-1.0, 0.5))
    assert gradients.path[1].point == pytest.approx((-1.0 * 0.8, 0.5 * 0.8))  # η = 0.1
    gradients.reset_descent()
    assert gradients.path == [] and gradients.point == (-1.0, 0.5)  # the new start


def test_the_preset_shown_says_what_it_is(qtbot, gradients):
    from mlcalc_gui.core.surfaces import PRESETS

    assert gradients.input.preset_combo.currentText() == PRESETS[0].name
    assert gradients.input.note.text() == PRESETS[0].note != ""
    type_function(qtbot, gradients, "x y")
    assert gradients.input.preset_combo.currentText() == "Your own…"
    assert gradients.input.note.text() == ""


@pytest.mark.parametrize("text, said", [("sign(x) + y", "Dirac delta"),
                                        ("(-1)^x + y", "not a real number")])
def test_a_function_without_drawable_derivatives_is_refused_beside_the_input(
        qtbot, gradients, text, said):
    """sign(x) and (-1)^x once left the readouts on the previous function's numbers, and
    every click raised (#11)."""
    type_function(qtbot, gradients, "x^2 + y^2")
    function = gradients.function
    type_function(qtbot, gradients, text)
    assert gradients.input.error.isVisible() and said in gradients.input.error.text()
    assert gradients.function is function
    gradients.set_point(0.5, 0.5)  # and a click still works on the function kept
    assert gradients.analysis.gradient == pytest.approx((1.0, 1.0))


def test_where_f_is_undefined_the_readout_gives_no_gradient_direction_or_verdict(
        qtbot, gradients):
    type_function(qtbot, gradients, "log(x) + y")
    gradients.set_point(-1.0, 0.5)
    assert gradients.verdict == "undefined"
    assert "°" not in gradients.readout.values["angle"].text()
    assert "no verdict" in gradients.hessian.verdict.text()


@pytest.mark.parametrize("text", ["10^100", "10^20 + x^2", "1e12*x^2 + 10^90", "5"])
def test_huge_or_flat_functions_draw_finite_surfaces(qtbot, gradients, text):
    """10^100 and 10^20 + x^2 are flat to float precision: their colour range had zero
    width, and the 3D view raised ZeroDivisionError and got inf (#11)."""
    type_function(qtbot, gradients, text)
    assert not gradients.input.error.isVisible() and gradients.function.text == text
    lo, hi = gradients.landscape.zlim
    assert hi - lo > 0 and np.isfinite([lo, hi]).all()
    if gradients.landscape.surface.has_gl:
        assert np.all(np.isfinite(gradients.landscape.surface.heights))


def test_the_step_axis_has_whole_steps_only(qtbot, gradients):
    """A descent of 6 steps had ticks at 0.5, 1.5, …: there is no half a step."""
    axis = gradients.value_plot.getPlotItem().getAxis("bottom")
    for lo, hi in [(0.0, 6.0), (-0.2, 2.3), (0.0, 0.4), (0.0, 300.0)]:
        levels = axis.tickValues(lo, hi, 600)
        ticks = [v for _, values in levels for v in values]
        assert ticks and all(float(v).is_integer() for v in ticks)
        assert axis.tickStrings(ticks[:3], 1.0, 1.0) == [str(int(v)) for v in ticks[:3]]


def test_a_pole_clips_the_colours_and_the_map_says_so(qtbot, gradients):
    gradients.input.set_input("1/(x^2 + y^2 - 1)", (-2.0, 2.0, -2.0, 2.0))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    lo, hi = gradients.landscape.zlim
    note = gradients.landscape.range_note.text()
    assert note.startswith(f"Colours span f from {fmt(lo)} to {fmt(hi)}, the middle 99%")
    assert "a few reach down to -4400 and up to 720" in note
    assert -4400 < lo < 0 and hi == pytest.approx(36.7, abs=0.1)
    bar = gradients.landscape.contour.colorbar.getAxis("right")
    assert bar.labelText == "f"
    gradients.apply_preset(preset_by_name("Bowl"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    assert gradients.landscape.range_note.text() == "Colours span f from 2.020e-04 to 8."


def test_a_path_of_100000_steps_is_drawn_in_bounded_work(qtbot, gradients):
    """Steps = 100000 at full speed froze the tab: every frame drew every point (#11)."""
    from mlcalc_gui.core.calculus import gradient_descent

    records = list(gradient_descent(gradients.function, (1.6, 1.2), 1e-5, steps=100_000,
                                    tol=0))
    gradients.run.show_records(records)
    xs, ys = gradients.landscape.contour.path_line.getData()
    assert 1000 <= len(xs) <= 2001
    assert (xs[0], ys[0]) == records[0].point and (xs[-1], ys[-1]) == records[-1].point
    steps, values = gradients.value_curve.getData()
    assert len(steps) == len(xs) and steps[-1] == 100_000
    # Ten more records: only they are read, and the drawing stays bounded.
    more = records[-1]
    tail = [type(more)(more.step + k, more.point, more.value, more.gradient)
            for k in range(1, 11)]
    gradients.run.records.extend(tail)
    gradients.run.sig_records.emit(tuple(tail))
    assert gradients.path_rows.update(gradients.path).shape == (100_011, 4)
    assert gradients.value_curve.getData()[0][-1] == 100_010


def test_where_f_is_undefined_the_surface_has_holes_not_a_floor(qtbot, gradients):
    """log(x) drew a flat floor over x < 0 in 3D; the map had holes (#11)."""
    type_function(qtbot, gradients, "log(x) + y")
    qtbot.waitUntil(lambda: gradients.function.text == "log(x) + y")
    surface = gradients.landscape.surface
    assert "holes are where f is undefined" in gradients.landscape.range_note.text()
    if not surface.has_gl:
        pytest.skip("no OpenGL here")
    mesh = surface._items["surface"].opts["meshdata"]
    vertexes, faces = mesh.vertexes(), mesh.faces()
    # Every face drawn is over x > 0: the GL x of the grid's x = 0 is the box's middle.
    assert len(faces) and np.all(vertexes[faces][:, :, 0] > 0)
    nx, ny = surface.heights.shape
    assert len(faces) < (nx - 1) * (ny - 1)  # about half the grid is a hole
    type_function(qtbot, gradients, "x^2 + y^2")
    qtbot.waitUntil(lambda: gradients.function.text == "x^2 + y^2")
    assert len(surface._items["surface"].opts["meshdata"].faces()) == 2 * (nx - 1) * (ny - 1)


def test_a_growing_value_plot_keeps_its_range_until_the_data_leaves_it(qtbot):
    """SteadyRange: every point shows, and 500 frames of a descent change the range (and
    redraw the axes' text) a handful of times, not 500; a new run starts a new range."""
    import numpy as np

    from mlcalc_gui.gui.panels.plots import SteadyRange, teaching_plot

    widget = teaching_plot("step", "f")
    qtbot.addWidget(widget)
    steady = SteadyRange(widget)
    steps = np.arange(500.0)
    values = 3.0 + 40.0 * np.exp(-steps / 30) * np.cos(steps / 7)
    changes, last = 0, None
    for n in range(1, 501):
        steady.fit(steps[:n], values[:n])
        (x0, x1), (y0, y1) = widget.getPlotItem().getViewBox().viewRange()
        assert x0 <= 0 and x1 >= n - 1
        assert y0 <= values[:n].min() and y1 >= values[:n].max()
        changes += steady.shown != last
        last = steady.shown
    assert 3 <= changes <= 25
    # The same run played again: its start alone, then the run, keep the range.
    for _ in range(3):
        steady.fit([0.0], values[:1])
        steady.fit(steps, values)
        assert steady.shown == last
    steady.forget()
    steady.fit([0, 1], [0.001, 0.002])
    (y0, y1) = widget.getPlotItem().getViewBox().viewRange()[1]
    assert y1 - y0 < 0.01


def test_the_readout_says_why_there_is_no_extremum(qtbot, gradients):
    gradients.input.set_input("x^3 + y^3", (-1.0, 1.0, -1.0, 1.0))
    gradients.set_point(0.5, 0.4)
    gradients.jump_to_stationary()
    text = gradients.hessian.verdict.text()
    assert "inconclusive" in text and "no extremum" in text
    assert "minimum" not in text.split("no extremum")[0]
    assert gradients.verdict == "inconclusive: no extremum"


def test_a_typed_landscape_is_worked_out_off_the_gui_thread_and_the_newest_wins(
        qtbot, gradients, monkeypatch):
    """Typed text to core to the worker to the views: the check (sympy's derivatives),
    the 200 × 200 samples, the mesh, the contours and the arrows never on the GUI thread;
    typing fast draws the last."""
    import threading

    from mlcalc_gui.gui.panels import landscape as module

    checks, pictures = [], []
    real_picture, real_check = module.landscape_picture, gradients.input._check

    def picture(*args, **kwargs):
        pictures.append(threading.current_thread())
        return real_picture(*args, **kwargs)

    def check(*args):
        checks.append(threading.current_thread())
        return real_check(*args)

    monkeypatch.setattr(module, "landscape_picture", picture)
    monkeypatch.setattr(gradients.input, "_check", check)
    texts = [f"x^2 + {k} y^2" for k in range(2, 7)]
    for text in texts:
        gradients.input.edit.setText(text)
        assert gradients.input.apply()  # it parsed: the check goes on in the worker
    qtbot.waitUntil(lambda: not gradients.input.pending and not gradients.landscape.pending)
    assert gradients.function.text == "x^2 + 6 y^2"
    workers = checks + pictures
    assert workers and threading.main_thread() not in workers
    assert len(checks) < len(texts)  # requests superseded before they started: dropped
    picture = gradients.landscape.picture
    assert picture.tag == ("x^2 + 6 y^2", gradients.domain)
    xs, ys, Z = picture.grid
    assert Z[0, 0] == pytest.approx(xs[0] ** 2 + 6 * ys[0] ** 2)
    assert gradients.landscape.contour.image.image[0, 0] == pytest.approx(Z[0, 0])
    X, Y, U, V = picture.field  # the arrows are this function's: ∇f = (2x, 12y)
    assert U[0, 0] / V[0, 0] == pytest.approx(2 * X[0, 0] / (12 * Y[0, 0]))
    assert len(gradients.landscape.contour.field.getData()[0]) > 100  # and they are shown


def test_a_typed_function_refused_by_its_check_says_so_and_keeps_the_last(qtbot, gradients):
    type_function(qtbot, gradients, "x^2 + y^2")
    kept = gradients.function
    gradients.input.edit.setText("log(-1 - x^2 - y^2)")  # parses; undefined everywhere
    assert gradients.input.apply()
    qtbot.waitUntil(lambda: not gradients.input.pending)
    assert gradients.input.error.isVisible()
    assert "undefined everywhere" in gradients.input.error.text()
    assert gradients.function is kept
    gradients.input.edit.setText("x^2 + 5 y^2")  # typed, then a preset chosen at once:
    gradients.input.apply()  # the preset (checked at once) wins over the typed text
    gradients.apply_preset(preset_by_name("Saddle"))
    qtbot.waitUntil(lambda: not gradients.input.pending and not gradients.landscape.pending)
    assert gradients.function.text == "x^2 - y^2"
    assert gradients.landscape.picture.tag[0] == "x^2 - y^2"


def test_the_point_arrows_and_plane_stay_on_a_surface_that_comes_after_them(
        qtbot, gradients):
    """The point's 3D marks are drawn at once; the surface comes from the worker after
    them and draws them again on its own scale (it used to drop them)."""
    surface = gradients.landscape.surface
    if not surface.has_gl:
        pytest.skip("no OpenGL here")
    type_function(qtbot, gradients, "x^2 + 3 y^2")
    gradients.set_point(1.0, 0.5)  # f = 1.75
    type_function(qtbot, gradients, "2 x^2 + 3 y^2")  # the same point: f = 2.75 now
    assert gradients.point == (1.0, 0.5)
    for key in ("point", "arrows", "arrows_down", "plane"):
        assert key in surface._items, key
    (x, y, z), = surface._items["point"].pos
    expected = surface._to_gl([1.0], [0.5], [2.75])[0]
    assert (x, y) == pytest.approx(tuple(expected[:2]))
    assert z == pytest.approx(expected[2] + surface._lift())  # on the new surface's scale
