"""A lesson file is checked whole when it opens (#31, item 18), its questions hide what
would answer them (item 7), and its words and numbers are right at the end (item 21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlcalc_gui.core import lessons
from mlcalc_gui.gui.kit.spoilers import Cover
from mlcalc_gui.gui.shell.lesson_panel import FORMULA_SCALE
from mlcalc_gui.gui.shell.registry import STATE_CLASSES, lesson_checks

BASE = {"format": "mlcalc-gui lesson", "version": 1, "title": "T", "tab": "Gradients",
        "week": 2}


def _load(steps, tab="Gradients"):
    return lessons.loads(json.dumps({**BASE, "tab": tab, "steps": steps}), STATE_CLASSES,
                         **lesson_checks())


@pytest.mark.parametrize("steps, words", [
    ([{"say": "a", "state": {"fucntion": "x^2"}}],
     ["step 1: state", "'fucntion' is not a field", "function, domain, start"]),
    ([{"say": "a", "stat": {"function": "x^2"}}],
     ["step 1", "'stat' is not a key here", "allowed: say, formula, state, question, hide"]),
    ([{"say": "a"}, {"say": "b", "state": {"function": "sin(x"}}],
     ["step 2: state.function", "'sin(x'", "is never closed"]),
    ([{"say": "a", "state": {"function": "x^2 + z"}}],
     ["step 1: state.function", "unknown name 'z'"]),
    ([{"say": "a", "state": {"function": "__import__('os')"}}],
     ["step 1: state.function", "not a formula the tab can read"]),
    ([{"say": "a", "formula": r"\begin{matrix} a \end{matrix}"}],
     ["step 1", "'formula' cannot be typeset", "Unknown symbol", "mathtext"]),
    ([{"say": "a", "question": {"ask": "?", "explain": "!", "number": 1, "tol": 0.1}}],
     ["step 1: question", "'tol' is not a key here", "tolerance"]),
    ([{"say": "a", "hide": ["hessain"]}],
     ["step 1", "'hide' names 'hessain'", "readout, hessian, formulas, descent"]),
])
def test_mistakes_are_refused_when_the_file_opens(steps, words):
    with pytest.raises(lessons.LessonError) as caught:
        _load(steps)
    for word in words:
        assert word in str(caught.value)


def test_an_unknown_top_level_key_is_refused():
    with pytest.raises(lessons.LessonError, match="'wek' is not a key here"):
        lessons.loads(json.dumps({**BASE, "wek": 2, "steps": [{"say": "a"}]}), STATE_CLASSES)


def test_formulas_of_every_kind_are_read_by_their_own_parser():
    with pytest.raises(lessons.LessonError, match="state.step"):
        _load([{"say": "a", "state": {"step": "-0.3 K"}}], "Sandpit")
    with pytest.raises(lessons.LessonError, match="state.derivative_mu"):
        _load([{"say": "a", "state": {"derivative_mu": "f (x - mu"}}], "Fitting")
    ok = _load([{"say": "a", "state": {"derivative_mu": "f (x - mu) / sigma^2"}}], "Fitting")
    assert ok.steps[0].state.derivative_mu.startswith("f (x")


def test_the_builtin_lessons_pass_every_check():
    shipped = Path(lessons.__file__).resolve().parents[1] / "data" / "lessons"
    assert len(lessons.builtin_lessons(STATE_CLASSES, **lesson_checks())) == len(
        list(shipped.glob("*.json")))


def test_no_builtin_lesson_says_page_down_does_a_tabs_walk():
    """Week 3 said "Page Down walks the layers", but inside a lesson Page Down moves the
    lesson."""
    for lesson in lessons.builtin_lessons(STATE_CLASSES):
        for step in lesson.steps:
            text = step.say.replace("Page Down moves the lesson", "")
            assert "Page Down" not in text, (lesson.title, step.say)


def _covered(widget) -> bool:
    """A card lies over ``widget`` (shown with it: a tab just built shows next pass)."""
    return any(c.isVisibleTo(widget) for c in widget.findChildren(Cover))


def test_a_question_hides_the_numbers_that_answer_it_until_it_is_answered(qtbot, window):
    """Week 1 asked for rise over run beside "rise/run = 3"."""
    lesson = next(les for les in window.builtin_lessons if les.tab == "Derivatives")
    window.start_lesson(lesson)
    tab = window.tab_by_title("Derivatives")
    qtbot.waitUntil(lambda: tab.function is not None and tab.function.text == "x^2")
    assert not _covered(tab.numbers)
    window.step_next()  # step 2 asks for rise over run
    assert _covered(tab.numbers) and _covered(tab.d_plot)
    assert not tab.rise_text.isVisible() and not tab.run_text.isVisible()
    window.lessons.answer(3.0)
    assert not _covered(tab.numbers) and not _covered(tab.d_plot)
    qtbot.waitUntil(tab.rise_text.isVisible)
    window.step_next()  # step 3 asks again, at h = 0.1
    assert _covered(tab.numbers)
    window.lessons.answer(2.1)
    window.step_next()  # step 4 is a task: nothing asked, nothing hidden
    assert not _covered(tab.numbers)
    window.step_next()  # (says what is still to do)
    window.step_next()  # (skips it): step 5 asks again
    assert window.lessons.skipped == 1 and window.lessons.index == 4
    assert _covered(tab.numbers)
    window.lessons.leave()  # leaving shows everything
    assert not _covered(tab.numbers) and tab.hidden_readouts == ()


def test_the_fitted_line_is_hidden_while_its_slope_is_asked(qtbot, window):
    lesson = next(les for les in window.builtin_lessons if les.tab == "Fitting")
    window.start_lesson(lesson)
    tab = window.tab_by_title("Fitting")
    qtbot.waitUntil(lambda: tab.problem is not None and tab.problem.key == "line")
    window.step_next()
    view = tab.views["line"]
    assert _covered(tab.data_label) and not view.exact_line.isVisible()
    assert "y = 2" not in view.plot.getPlotItem().titleLabel.text
    window.lessons.answer(2.0)
    assert not _covered(tab.data_label) and view.exact_line.isVisible()
    window.lessons.leave()


def test_a_lesson_revealed_by_the_clicker_is_not_scored_wrong(qtbot, window):
    lesson = next(les for les in window.builtin_lessons if les.tab == "Taylor")
    window.start_lesson(lesson)
    for _ in range(2 * len(lesson.steps)):
        window.step_next()
    panel = window.lessons
    assert panel.finished
    asked = sum(step.question is not None for step in lesson.steps)
    assert f"{asked} revealed without an answer" in panel.title.text()
    assert "answered right" not in panel.title.text()
    window.lessons.leave()


def test_a_lesson_formula_is_larger_than_its_narration(qtbot, window):
    lesson = next(les for les in window.builtin_lessons if les.tab == "Derivatives")
    window.start_lesson(lesson)
    panel = window.lessons
    assert panel.formula.typeset()
    assert panel.formula.size_pt() >= 1.5 * panel.say.font().pointSizeF()
    assert FORMULA_SCALE >= 1.5
    window.lessons.leave()


def test_small_taylor_coefficients_are_typeset_as_powers_of_ten():
    from mlcalc_gui.core import taylor as tl
    from mlcalc_gui.core.polynomial_text import polynomial_text

    latex, plain = polynomial_text(tl.taylor_coefficients("e^x", 0.0, 7), 0.0, 7)
    assert r"1.984\times10^{-4}\,x^{7}" in latex[-1]
    assert "e-04x" not in " ".join(latex)
    assert "1.984e-04·x⁷" in plain


def test_stepping_lessons_leaves_no_covers_or_buttons_behind(qtbot, window):
    """Covers and choice buttons went with deleteLater, which waits for the event loop's
    own turn: a lesson stepped from a nested loop (a demo, a benchmark) piled them up."""
    from PySide6.QtWidgets import QPushButton

    from mlcalc_gui.gui.kit.spoilers import Cover

    lesson = next(les for les in window.builtin_lessons if les.key == "3-sandpit")
    tab = window.tab_by_title(lesson.tab)
    counts = []
    for _ in range(3):
        window.start_lesson(lesson)
        for _ in range(2 * len(lesson.steps)):
            window.step_next()  # no event loop in between
        window.lessons.leave()
        counts.append((len(tab.findChildren(Cover)),
                       len(window.lessons.findChildren(QPushButton))))
    assert counts[0][0] == 0 and counts[0] == counts[1] == counts[2]
