"""The Derivatives tab driven as a learner would: drag x, let h shrink, walk the rules by
keyboard, answer the quiz, type their own f′."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from mlcalc_gui.core.runner import FinishKind


def type_into(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


def use_function(qtbot, tab, text):
    type_into(qtbot, tab.input.edit, text)
    qtbot.waitUntil(lambda: tab.rules.typeset is not None
                    and tab.rules.typeset.steps.function.text == text, timeout=10000)


def focus_views(qtbot, window, tab):
    window.activateWindow()
    qtbot.waitActive(window)
    tab.f_plot.setFocus()
    qtbot.waitUntil(tab.f_plot.hasFocus)


def test_dragging_x_moves_the_secant_and_traces_the_slope(qtbot, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "x^2")
    tab.clear_trace()
    for x in (-1.0, 0.5, 1.5):
        tab.f_box.sig_pressed.emit(x, 0.0)
        qtbot.waitUntil(lambda x=x: tab.x == x)  # drawn on the next pass of the loop
    assert tab.x_spin.value() == 1.5
    # the traced slopes are f′ = 2x at the points visited
    assert [p for p in tab.trace] == [(-1.0, -2.0), (0.5, 1.0), (1.5, 3.0)]
    xs, ys = tab.d_trace.getData()
    assert list(xs) == [-1.0, 0.5, 1.5] and list(ys) == [-2.0, 1.0, 3.0]
    # the secant from 1.5 to 1.5 + h has slope 2x + h: its ends are on that line
    h = tab.h
    ex, ey = tab.secant.getData()
    assert (ey[1] - ey[0]) / (ex[1] - ex[0]) == pytest.approx(3.0 + h)
    tx, ty = tab.tangent.getData()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(3.0)
    # a drag outside the domain clamps to it
    tab.f_box.sig_pressed.emit(99.0, 0.0)
    qtbot.waitUntil(lambda: tab.x == tab.domain[1])
    # moves faster than the screen are drawn once, at the last: one slope traced
    tab.clear_trace()
    for x in (0.1, 0.2, 0.3):
        tab.f_box.sig_pressed.emit(x, 0.0)
    qtbot.waitUntil(lambda: tab.x == 0.3)
    assert tab.trace == [(0.3, pytest.approx(0.6))]


def test_h_to_zero_makes_the_secant_the_tangent_and_reset_goes_back(qtbot, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "sin x")
    tab.set_x(1.0)
    tab.worker.set_rate(None)
    with qtbot.waitSignal(tab.run.sig_finished, timeout=10000) as blocker:
        tab.play()
    assert blocker.args[0] == FinishKind.DONE
    assert tab.h == pytest.approx(1e-6)
    assert tab.path[-1].slope == pytest.approx(math.cos(1.0), abs=1e-5)
    assert tab.path[0].h == tab.h_start
    assert "h reached" in tab.h_status.text()
    # Play from a moved point, then Reset: the run starts at the new x with the slider's h
    tab.set_x(0.3)
    assert tab.h == tab.h_start and tab.path == []
    tab.step(3)
    qtbot.waitUntil(lambda: len(tab.path) == 4)
    assert tab.path[3].h == pytest.approx(tab.h_start * 0.8**3)
    expected = (math.sin(0.3 + tab.path[3].h) - math.sin(0.3)) / tab.path[3].h
    assert tab.path[3].slope == pytest.approx(expected)
    tab.playback.reset()
    assert tab.path == [] and tab.h == tab.h_start


def test_the_error_plot_shows_the_v_and_the_current_h(qtbot, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "e^x")
    tab.set_x(0.0)
    qtbot.waitUntil(lambda: tab._errors_key == (tab.function, 0.0))  # drawn at most 7 Hz
    hs, errors = tab.e_forward.xData, tab.e_forward.yData  # as given (the axes are log)
    assert hs.min() < 1e-12 and hs.max() == 1.0
    best = hs[errors.argmin()]
    assert 1e-10 < best < 1e-6  # the V's bottom, near sqrt(machine epsilon)
    assert errors[hs == 1.0][0] == pytest.approx(math.e - 1 - 1)  # (e^1 - 1)/1 - 1
    (h,), (err,) = tab.e_now.xData, tab.e_now.yData
    assert h == tab.h and err == pytest.approx(abs((math.exp(h) - 1) / h - 1))
    assert "slopes" in tab.e_caption.text()


def test_where_the_limit_fails_the_tab_says_why(qtbot, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "abs(x)")
    tab.set_x(0.0)
    assert tab.verdict.isVisible() and "corner" in tab.verdict.text()
    tab.set_x(0.5)
    assert not tab.verdict.isVisible()
    use_function(qtbot, tab, "1/x")
    tab.set_x(0.0)
    assert "not defined" in tab.verdict.text()
    assert tab.tangent.getData()[0] is None or len(tab.tangent.getData()[0]) == 0


def test_the_rules_walk_by_keyboard_ends_at_f_prime(qtbot, window, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "x^2 sin(x)")
    steps = tab.rules.typeset.steps
    assert [s.rule for s in steps.steps] == ["product", "power", "sin"]
    assert tab.rules.tree.topLevelItemCount() == 1
    labels = [tab.rules.tree.itemWidget(item, 1) for item in tab.rules._items]
    assert all(label.typeset() for label in labels)  # typeset, not fallback text
    focus_views(qtbot, window, tab)
    for k in (1, 2, 3):
        qtbot.keyClick(tab.f_plot, Qt.Key_PageDown)
        assert tab.rules.walked == k
    qtbot.keyClick(tab.f_plot, Qt.Key_PageDown)  # past the end: stays
    assert tab.rules.walked == 3 and "complete" in tab.rules.rule_label.text()
    assert r"\frac{d}{d x}" not in tab.rules.working.formula().split("=", 1)[1]
    qtbot.keyClick(tab.f_plot, Qt.Key_PageUp)
    assert tab.rules.walked == 2
    # clicking a node gives its value at x
    tab.set_x(1.0)
    tab.rules.tree.setCurrentItem(tab.rules._items[2])  # d/dx sin x = cos x
    assert f"{math.cos(1.0):.4g}"[:5] in tab.rules.detail.text()


def test_rules_that_are_too_big_are_refused_with_a_message(qtbot, derivatives):
    tab = derivatives
    text = " + ".join(f"x^{k} sin({k}x)" for k in range(2, 40))[:395]
    text = text[: text.rfind(" +")]
    use = tab.input
    type_into(qtbot, use.edit, text)
    assert use.pending  # checked off the GUI thread (sympy's derivative of every term)
    qtbot.waitUntil(lambda: not use.pending, timeout=10000)
    assert tab.function.text == text  # the graph is drawn when the check answers
    qtbot.waitUntil(lambda: "No steps" in tab.rules.rule_label.text()
                    or tab.rules.typeset is not None, timeout=10000)
    if tab.rules.typeset is not None:  # fast machine: within the limits, then all right
        assert len(tab.rules.typeset.steps.steps) <= 400


def test_quiz_by_keyboard_scores_and_explains(qtbot, window, derivatives):
    tab = derivatives
    tab.tabs.setCurrentWidget(tab.quiz)
    q = tab.quiz.question
    focus_views(qtbot, window, tab)
    qtbot.keyClick(tab.f_plot, Qt.Key_1 + q.answer)
    assert (tab.quiz.right, tab.quiz.asked) == (1, 1)
    assert "is f′" in tab.quiz.explanation.text()
    assert not any(b.isEnabled() for b in tab.quiz.buttons)
    qtbot.keyClick(tab.f_plot, Qt.Key_Q)
    q2 = tab.quiz.question
    wrong = (q2.answer + 1) % 4
    qtbot.keyClick(tab.f_plot, Qt.Key_1 + wrong)
    assert (tab.quiz.right, tab.quiz.asked) == (1, 2)
    assert "Not quite" in tab.quiz.prompt.text()
    assert tab.capture().score == (1, 2)


def test_the_quiz_question_is_made_when_the_quiz_is_first_shown(qtbot, derivatives,
                                                                monkeypatch):
    """Its curves come from sympy: not at start-up, nor when a session is opened with
    the quiz unseen (set_progress), but when the quiz page shows."""
    from mlcalc_gui.gui.panels import graph_quiz

    tab = derivatives
    made = []
    real = graph_quiz.quiz_question
    monkeypatch.setattr(graph_quiz, "quiz_question", lambda rng: made.append(1) or real(rng))
    assert not tab.quiz.isVisible()
    tab.quiz.set_progress(5, 2, 3)
    assert made == [] and tab.quiz.score_label.text() == "Score: 2 of 3"
    tab.tabs.setCurrentWidget(tab.quiz)
    qtbot.waitUntil(lambda: made == [1])
    q = tab.quiz.question
    assert made == [1] and q.f == real(np.random.default_rng(5)).f
    tab.quiz.set_progress(6, 2, 3)  # shown: a new question at once
    assert made == [1, 1]


def test_the_quiz_plots_are_made_when_it_is_first_shown_at_the_text_size(qtbot, window,
                                                                          derivatives):
    """Five plots the first frame need not wait for: made when the quiz first shows
    (start-up), brought to a text size chosen before, and its readouts selectable."""
    from mlcalc_gui.gui import scale

    tab = derivatives
    assert not tab.quiz.isVisible() and tab.quiz.findChildren(type(tab.f_plot)) == []
    window.zoom_text(1)
    window.zoom_text(1)
    assert scale.factor() > 1.0
    tab.tabs.setCurrentWidget(tab.quiz)
    qtbot.waitUntil(lambda: len(tab.quiz.plots) == 4)
    assert [getattr(p, "_mlc_zoom", 1.0) for p in (tab.quiz.f_plot, *tab.quiz.plots)] \
        == [scale.factor()] * 5
    assert tab.quiz.prompt.textInteractionFlags() & Qt.TextSelectableByMouse
    window.zoom_text(0)
    assert getattr(tab.quiz.f_plot, "_mlc_zoom", 1.0) == scale.factor() == 1.0


def test_your_turn_right_wrong_and_hostile(qtbot, derivatives):
    tab = derivatives
    use_function(qtbot, tab, "x^3 - 2x")
    type_into(qtbot, tab.answer_edit, "3x^2 - 2")
    assert tab.answer_result.text().startswith("✓")
    xs, ys = tab.d_answer.getData()
    assert ys[0] == pytest.approx(3 * xs[0] ** 2 - 2)
    type_into(qtbot, tab.answer_edit, "3x^2")
    assert tab.answer_result.text().startswith("✗") and "yours is" in tab.answer_result.text()
    type_into(qtbot, tab.answer_edit, "<img src=/dev/zero>")
    assert tab.answer_result.textFormat() == Qt.PlainText
    assert "⚠" in tab.answer_result.text()
    assert tab.capture().answer == "<img src=/dev/zero>"


def test_predict_then_reveal(qtbot, window, derivatives):
    tab = derivatives
    focus_views(qtbot, window, tab)
    qtbot.keyClick(tab.f_plot, Qt.Key_D)
    assert not tab.show_derivative.isChecked()
    assert len(tab.d_curve.getData()[0] or ()) == 0
    qtbot.keyClick(tab.f_plot, Qt.Key_BracketRight)
    assert len(tab.d_trace.getData()[0]) >= 1  # the learner's trace stays visible
    qtbot.keyClick(tab.f_plot, Qt.Key_D)
    assert len(tab.d_curve.getData()[0]) > 100


def test_at_a_corner_there_is_no_tangent_and_no_error_to_measure(qtbot, derivatives):
    """sign(0) = 0 is what the formula for d|x|/dx says at 0: the tab must not show it
    as the slope, nor draw a flat tangent there."""
    tab = derivatives
    use_function(qtbot, tab, "abs(x)")
    tab.set_x(0.0)
    assert "none here" in tab.numbers.text()
    assert len(tab.tangent.getData()[0] or ()) == 0
    assert len(tab.d_point.getData()[0] or ()) == 0
    qtbot.waitUntil(lambda: tab._errors_key == (tab.function, 0.0))
    assert "no f′(x) here" in tab.e_caption.text()


def test_rules_cancelled_by_leaving_the_tab_come_when_it_is_shown_again(qtbot, window,
                                                                        derivatives):
    tab = derivatives
    tab.input.edit.setText("sin(x^2) cos(x)")
    tab.input.apply()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index("Fitting"))  # stops the tab's work
    assert not tab.rules_task.worker.has_run()
    window.tabs.setCurrentIndex(titles.index("Derivatives"))
    qtbot.waitUntil(lambda: tab.rules.typeset is not None
                    and tab.rules.typeset.steps.function.text == "sin(x^2) cos(x)",
                    timeout=10000)
    assert tab.rules.typeset.steps.root.rule == "product"


def test_a_function_typed_after_a_restored_walk_opens_at_its_first_rule(qtbot, derivatives):
    tab = derivatives
    tab.apply_state(tab.demo_state())  # the same f as shown: two rules walked at once
    assert tab.rules.walked == 2
    use_function(qtbot, tab, "x sin(x)")
    assert tab.rules.walked == 0 and tab.capture().walk == 0


def test_a_formula_wider_than_its_label_is_typeset_smaller_not_cut(qtbot, monkeypatch):
    from mlcalc_gui.gui.widgets.typeset import SHRINK_LEAST, TypesetLabel

    label = TypesetLabel()
    qtbot.addWidget(label)
    label.set_formula(r"\frac{d}{dx}\left(x^3 - 2x\right) = 3x^2 + \frac{d}{dx}(-2x)")
    label.resize(2000, 80)
    label.show()
    qtbot.waitExposed(label)
    full = label.pixmap().deviceIndependentSize().width()
    assert 100 < full < 2000
    from mlcalc_gui.gui.widgets import typeset

    typeset_again = []
    real = typeset._raster
    monkeypatch.setattr(typeset, "_raster",
                        lambda *a: (typeset_again.append(a[1]), real(*a))[1])
    label.resize(round(full * 0.75), 80)
    qtbot.waitUntil(lambda: label.pixmap().deviceIndependentSize().width() < full * 0.8)
    # shrunk by scaling its image: mathtext on the GUI thread at every width a layout
    # tries held the window a second for a power tower's rules
    assert typeset_again == []
    shrunk = label.pixmap().deviceIndependentSize().width()
    assert full * 0.6 < shrunk <= label.contentsRect().width()
    # never below SHRINK_LEAST of its size: a label far too narrow scrolls or cuts instead
    label.resize(round(full * 0.2), 80)
    qtbot.waitUntil(lambda: label.pixmap().deviceIndependentSize().width() < shrunk * 0.9)
    assert label.pixmap().deviceIndependentSize().width() > full * (SHRINK_LEAST - 0.05)
    label.resize(2000, 80)
    qtbot.waitUntil(lambda: label.pixmap().deviceIndependentSize().width() == full)


def test_known_only_at_points_the_noise_takes_over_the_error_plot(qtbot, derivatives):
    """Reality is hard (#33): f measured with noise; the tangent from differences of the
    measurements, and the error against h growing like noise/h."""
    tab = derivatives
    tab.input.set_input("sin(x)", (-3.0, 3.0))
    tab.set_x(1.0)
    tab.noise_spin.setValue(1e-4)
    tab.measured_check.setChecked(True)
    qtbot.waitUntil(lambda: "noise/h" in tab.e_caption.text())
    hs, errors = tab.e_forward.getData()  # (in decades: the plot is log-log)
    assert tab.e_plot.getPlotItem().ctrl.logXCheck.isChecked()
    small = 10 ** errors[np.argmin(np.abs(hs + 6))]
    assert 10 < small < 1000  # 1e-4 / 1e-6 = 100, give or take: not rounding's 1e-10
    xs, _ = tab.samples.getData()
    assert len(xs) > 100  # the measurements are drawn
    assert tab.capture_state().measured and tab.capture_state().noise == 1e-4
    # on a grid of 0.05 a run of 0.01 reads one point twice: the secant is flat
    tab.spacing_spin.setValue(0.05)
    qtbot.waitUntil(lambda: "reads one point twice" in tab.e_caption.text())
    tab.h_slider.setValue(-200)  # as dragged: h = 10^-2
    assert tab.h_start == pytest.approx(0.01)
    assert "rise/run (forward)   = 0" in tab.numbers.text()
    tab.measured_check.setChecked(False)
    qtbot.waitUntil(lambda: "The V" in tab.e_caption.text())
