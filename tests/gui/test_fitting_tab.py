"""The Fitting tab, driven as a learner would."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.gui import theme


def test_course_descent_animates_pauses_and_finishes(qtbot, fitting):
    assert fitting.start == (155.0, 6.0)
    fitting.worker.set_rate(50)
    with qtbot.waitSignal(fitting.worker.sig_state, check_params_cb=lambda s: s == "running"):
        fitting.play()
    qtbot.waitUntil(lambda: len(fitting.path) >= 3)
    with qtbot.waitSignal(fitting.worker.sig_state, check_params_cb=lambda s: s == "paused"):
        fitting.playback.play_button.click()
    n = len(fitting.path)
    with qtbot.assertNotEmitted(fitting.worker.sig_batch, wait=150):
        pass
    assert len(fitting.path) == n
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.worker.sig_finished, timeout=10000):
        fitting.worker.resume()
    last = fitting.path[-1]
    assert last.step == 50
    assert (last.mu, last.sigma) == pytest.approx((178.52, 7.55), abs=0.01)
    assert "4.392e-04" in fitting.views["gaussian"].plot.getPlotItem().titleLabel.text
    # The bars in three colours add up to data and model.
    x, y = fitting.hist.centres, fitting.hist.density
    model = fit.gaussian(x, last.mu, last.sigma)
    overlap = fitting.views["gaussian"].bars["overlap"].opts["height"]
    above = fitting.views["gaussian"].bars["model"].opts["height"]
    below = fitting.views["gaussian"].bars["data"].opts["height"]
    assert np.allclose(overlap + above, model) and np.allclose(overlap + below, y)
    path_x, path_y = fitting.landscape.contour.path_line.getData()
    assert len(path_x) == 51 and path_x[0] == 155.0


def test_the_path_crosses_the_contours_at_right_angles(fitting):
    """Each step is along -J, and J is normal to the chi-squared contour."""
    steps = list(fit.steepest_descent(155, 6, 2000, 10))
    x, y = fitting.hist.centres, fitting.hist.density
    for a, b in zip(steps, steps[1:], strict=False):
        move = np.subtract(b.params, a.params)
        J = fit.chi_squared_jacobian(x, y, a.mu, a.sigma)
        tangent = np.array([-J[1], J[0]])  # along the contour through a
        assert abs(np.dot(move, tangent)) < 1e-9 * np.linalg.norm(move) * np.linalg.norm(J)


def test_clicking_the_map_moves_the_start_and_the_histogram_follows(qtbot, fitting):
    fitting.landscape.sig_point_moved.emit(170.0, 12.0)
    assert fitting.start == (170.0, 12.0)
    assert fitting.path == []
    xs, ys = fitting.views["gaussian"].model_curve.getData()
    k = np.argmin(np.abs(xs - 170.0))
    assert ys[k] == pytest.approx(fit.gaussian(xs[k], 170.0, 12.0))


def test_your_turn_right_and_wrong(qtbot, fitting):
    fitting.which_combo.setCurrentIndex(0)
    fitting.derivative_edit.setText("exp(-(x-μ)^2/(2σ^2))/(σ sqrt(2pi)) (x - μ)/σ^2")
    result = fitting.check_user_derivative()
    assert result.ok and "Right" in fitting.verdict_label.text()
    fitting.derivative_edit.setText("exp(-(x-mu)^2/(2sigma^2))/(sigma sqrt(2pi)) (x - mu)/sigma")
    qtbot.keyClick(fitting.derivative_edit, Qt.Key_Return)
    assert "Not yet" in fitting.verdict_label.text()
    fitting.derivative_edit.setText("__import__('os')")
    assert fitting.check_user_derivative() is None
    assert "⚠" in fitting.verdict_label.text()


def test_a_wrong_derivative_visibly_goes_astray(qtbot, fitting):
    fitting.which_combo.setCurrentIndex(0)
    fitting.derivative_edit.setText("exp(-(x-mu)^2/(2sigma^2))/(sigma sqrt(2pi)) (x - mu)/sigma")
    fitting.check_user_derivative()
    fitting.use_mine.setChecked(True)
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.worker.sig_finished, timeout=10000):
        fitting.play()
    last = fitting.path[-1]
    assert abs(last.mu - 178.52) + abs(last.sigma - 7.55) > 0.5
    fitting.use_mine.setChecked(False)
    with qtbot.waitSignal(fitting.worker.sig_finished, timeout=10000):
        fitting.play()
    assert fitting.path[-1].mu == pytest.approx(178.52, abs=0.01)


def test_each_derivative_keeps_what_was_typed_for_it(qtbot, fitting):
    """Your turn: the box shows the derivative chosen, each with its own text; the one
    being written and both texts survive the tab's state."""
    mu_text = "(x - mu)/sigma^2 f"
    fitting.which_combo.setCurrentIndex(0)
    qtbot.keyClicks(fitting.derivative_edit, mu_text)
    fitting.which_combo.setCurrentIndex(1)
    assert fitting.derivative_edit.text() == ""
    qtbot.keyClicks(fitting.derivative_edit, "((x - mu)^2/sigma^3 - 1/sigma) f")
    qtbot.keyClick(fitting.derivative_edit, Qt.Key_Return)
    fitting.which_combo.setCurrentIndex(0)
    assert fitting.derivative_edit.text() == mu_text
    qtbot.keyClick(fitting.derivative_edit, Qt.Key_Return)
    fitting.which_combo.setCurrentIndex(1)
    state = fitting.capture_state()
    assert (state.derivative_mu, state.writing) == (mu_text, "sigma")
    fitting.which_combo.setCurrentIndex(0)
    fitting.apply_state(state)
    assert fitting.which_combo.currentIndex() == 1
    assert fitting.derivative_edit.text() == "((x - mu)^2/sigma^3 - 1/sigma) f"


def test_divergent_aggression_shows_a_message(qtbot, fitting):
    fitting.set_start(178.0, 15.0)
    fitting.aggression_spin.setValue(30000)
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.worker.sig_finished, timeout=10000) as blocker:
        fitting.play()
    assert blocker.args[0] == "diverged"
    assert "σ became" in fitting.status.text()
    assert all(r.sigma > 0 for r in fitting.path)


@pytest.mark.parametrize("content", ["", "height\nabc\n", "1\nnan\n", "170,1\n172.5,-1\n",
                                     "171\n", "1,2\n3\n"])
def test_opening_a_malformed_file_keeps_the_data(qtbot, fitting, tmp_path, content):
    before = fitting.hist
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with qtbot.waitSignal(fitting.loader.sig_failed):
        fitting.open_file(str(path))
    assert fitting.hist is before
    error = fitting.loader.error
    assert error.isVisible() and "bad.csv" in error.text() and "current data stay" in error.text()


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom", "directory"])
def test_special_files_are_refused_without_reading(qtbot, fitting, tmp_path, special):
    if special == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
    elif special == "directory":
        path = tmp_path
    else:
        path = Path(special)
    with qtbot.waitSignal(fitting.loader.sig_failed) as blocker:
        fitting.open_file(str(path))
    assert blocker.args[1].endswith("is not a regular file")
    assert len(fitting.hist.centres) == 100


def test_a_large_file_is_read_in_the_worker_and_can_be_cancelled(qtbot, fitting, tmp_path):
    """A 14 MB file blocked the GUI for 2 s; now it shows its progress and stops at once."""
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(1)
    path.write_text("\n".join(f"{v:.4f}" for v in rng.normal(165, 6, 1_500_000)))
    progress = []
    fitting.loader.task.sig_progress.connect(lambda _, f: progress.append(f))
    fitting.open_file(str(path))
    assert fitting.loader.progress.isVisible()  # returned at once, the file being read
    qtbot.waitUntil(lambda: len(progress) >= 2)
    with qtbot.waitSignal(fitting.loader.sig_failed) as blocker:
        fitting.loader.cancel_button.click()
    assert blocker.args[1] == "cancelled" and not fitting.loader.busy
    assert 0 < progress[-1] < 1 and progress == sorted(progress)
    assert len(fitting.hist.centres) == 100  # the course's data stay
    assert not fitting.loader.progress.isVisible()


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_files_in_other_encodings_are_read(qtbot, fitting, tmp_path, encoding):
    path = tmp_path / "heights.csv"
    path.write_bytes("Größe\n160\n165\n170\n171\n".encode(encoding))
    with qtbot.waitSignal(fitting.loader.sig_loaded, timeout=10000):
        fitting.open_file(str(path))
    assert fitting.hist.centres.min() <= 160 <= fitting.hist.centres.max()


def test_opening_good_files(qtbot, fitting, tmp_path):
    path = tmp_path / "raw.csv"
    rng = np.random.default_rng(0)
    path.write_text("\n".join(f"{v:.1f}" for v in rng.normal(165, 6, 500)))
    with qtbot.waitSignal(fitting.loader.sig_loaded, timeout=10000):
        fitting.open_file(str(path))
    assert not fitting.loader.error.isVisible()
    assert fitting.problem.best[0] == pytest.approx(165, abs=1.5)
    fitting.restore_course_data()
    assert len(fitting.hist.centres) == 100


def test_line_mode_fits_points_added_and_deleted(qtbot, fitting, monkeypatch):
    fitting.set_problem("line")
    x, y = fitting.problem.points.T
    assert fitting.problem.best == pytest.approx(tuple(np.polyfit(x, y, 1)))
    n = len(fitting.problem.points)
    fitting.views["line"]._on_click(4.0, 20.0)  # far from every point: adds one
    assert len(fitting.problem.points) == n + 1
    assert fitting.problem.best == pytest.approx(tuple(np.polyfit(*fitting.problem.points.T, 1)))
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(QApplication, "keyboardModifiers", staticmethod(lambda: Qt.ShiftModifier))
    fitting.views["line"]._on_click(4.0, 20.0)
    assert len(fitting.problem.points) == n
    fitting.worker.set_rate(None)
    fitting.steps_spin.setValue(3000)
    fitting.aggression_spin.setValue(0.0012)
    with qtbot.waitSignal(fitting.worker.sig_finished, timeout=10000):
        fitting.play()
    assert fitting.path[-1].params == pytest.approx(fitting.problem.best, abs=1e-4)
    rx, ry = fitting.views["line"].residuals.getData()
    assert len(rx) == 2 * len(fitting.problem.points)
    assert "Σ residual²" in fitting.views["line"].plot.getPlotItem().titleLabel.text


def test_play_after_a_finished_fit_starts_from_the_moved_start(qtbot, fitting):
    fitting.steps_spin.setValue(3)
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert len(fitting.path) == 4 and fitting.path[0].params == pytest.approx((155.0, 6.0))
    with qtbot.waitSignal(fitting.run.sig_refused):
        fitting.play()  # all three steps are taken: said, and nothing runs
    fitting.set_start(170.0, 12.0)  # the learner clicks the map
    assert fitting.path == [] and fitting.last_finish == (None, "")
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert fitting.path[0].params == pytest.approx((170.0, 12.0)) and len(fitting.path) == 4
    fitting.reset_descent()
    assert fitting.path == [] and fitting.start == (170.0, 12.0)


@pytest.mark.parametrize("content, width, words", [
    ("1e308\n1.5e308\n1.7e308\n", 2.5, "beyond ±1e+12"),
    ("-1.7e308,1\n1.7e308,2\n", 2.5, "beyond ±1e+12"),
    ("\n".join(f"{v:.1f}" for v in np.random.default_rng(0).normal(165, 6, 500)), 1000,
     "a Gaussian needs at least 3 bins"),
])
def test_numbers_no_fit_can_use_are_refused_beside_the_button(qtbot, fitting, tmp_path,
                                                                content, width, words):
    """Values near 1e308 and bin width 1000 raised in the tab and left it half-updated."""
    before = fitting.problem
    path = tmp_path / "odd.csv"
    path.write_text(content)
    fitting.bin_spin.setValue(width)
    with qtbot.waitSignal(fitting.loader.sig_failed, timeout=10000) as blocker:
        fitting.open_file(str(path))
    assert words in blocker.args[1] and fitting.problem is before
    assert fitting.loader.error.isVisible() and words in fitting.loader.error.text()


def test_a_run_that_went_astray_is_not_reported_as_done(qtbot, fitting):
    fitting.aggression_spin.setValue(1e7)
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert fitting.path[-1].mu > 1000  # far off the map, where χ² is flat
    text = fitting.status.text()
    assert text.startswith("⚠ Went astray") and "Done" not in text
    assert "aggression 1e+07 is too large" in text
    assert theme.ERROR_HEX in fitting.status.styleSheet()
    fitting.aggression_spin.setValue(2000)
    fitting.reset_descent()
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert "reached the least-squares minimum" in fitting.status.text()
    assert fitting.status.styleSheet() == ""


def test_a_wrong_derivative_run_says_so(qtbot, fitting):
    fitting.which_combo.setCurrentIndex(0)
    fitting.derivative_edit.setText("f (x - mu)/sigma")
    assert not fitting.check_user_derivative().ok
    fitting.use_mine.setChecked(True)
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert "your derivative is not the true one" in fitting.status.text()
    fitting.derivative_edit.setText("f (x - mu)/sigma^2")  # f stands for the Gaussian
    assert fitting.check_user_derivative().ok  # (a new derivative starts afresh)
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert "reached the least-squares minimum" in fitting.status.text()


def test_line_mode_explains_itself_and_keeps_the_learners_aggression(qtbot, fitting):
    fitting.set_problem("line")
    text = fitting.explanation.body.text()
    assert "y = m x + c" in text and "Gaussian" not in text and "histogram" not in text.lower()
    assert fitting.steps_spin.value() == fitting.problem.default_steps >= 300
    fitting.aggression_spin.setValue(0.001)
    fitting.views["line"]._on_click(4.0, 20.0)  # a point added
    assert fitting.aggression_spin.value() == 0.001  # it was silently reset
    fitting.aggression_spin.setValue(0.01)  # past 2/λmax
    fitting.views["line"]._on_click(1.0, 15.0)
    assert "past the stable limit" in fitting.status.text()
    fitting.worker.set_rate(None)
    with qtbot.waitSignal(fitting.run.sig_finished, timeout=10000):
        fitting.play()
    assert "aggression 0.01 is too large" in fitting.status.text()
    assert "learning rate" not in fitting.status.text()
    fitting.set_problem("gaussian")
    assert "(μ, σ)" in fitting.explanation.body.text()
