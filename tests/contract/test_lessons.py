"""Lessons: the format read as untrusted data, the built-in lessons, and a lesson played
in the window with the clicker."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from strategies import JSON

from mlcalc_gui.core import lessons
from mlcalc_gui.core.states import TaylorState
from mlcalc_gui.gui.shell.registry import STATE_CLASSES, TAB_SPECS, lesson_checks

#: Where the built-in lessons are, one file each.
LESSON_FILES = Path(lessons.__file__).resolve().parents[1] / "data" / "lessons"

GOOD = {
    "format": "mlcalc-gui lesson", "version": 1, "title": "Order matters", "tab": "Taylor",
    "week": 4,
    "steps": [
        {"say": "e^x to order 2.", "formula": r"1 + x + \frac{x^2}{2}",
         "state": {"function": "e^x", "order": 2}},
        {"say": "Predict.", "question": {"ask": "Order 3 at x = 1?", "number": 2.6667,
                                         "tolerance": 0.001, "explain": "1 + 1 + 1/2 + 1/6"}},
        {"say": "Choose.", "state": {"function": "e^x", "order": 5},
         "question": {"ask": "Better?", "choices": ["yes", "no"], "answer": 0,
                      "explain": "e^x converges everywhere."}},
    ],
}


def test_a_lesson_reads_its_states_and_questions():
    lesson = lessons.loads(json.dumps(GOOD), STATE_CLASSES)
    assert (lesson.title, lesson.tab, lesson.week, len(lesson.steps)) == (
        "Order matters", "Taylor", 4, 3)
    assert lesson.steps[0].state == TaylorState(function="e^x", order=2)
    assert lesson.steps[1].state is None
    q = lesson.steps[1].question
    assert q.check(2.667) and not q.check(2.7) and not q.check(float("nan"))
    assert lesson.steps[2].question.check(0) and not lesson.steps[2].question.check(1)


@pytest.mark.parametrize("change, message", [
    ({"format": "something else"}, "not an mlcalc-gui lesson"),
    ({"version": 99}, "newer mlcalc-gui"),
    ({"tab": "Nowhere"}, "'tab' must be one of"),
    ({"steps": []}, "1 to 100 steps"),
    ({"title": "<img src='/dev/zero'>" * 40}, "longer than 200"),
    ({"steps": [{"say": "x", "state": {"order": 999}}]}, "order"),
    ({"steps": [{"say": "x", "state": {"function": 5}}]}, "function"),
    ({"steps": [{"say": "x", "question": {"ask": "?", "explain": "!",
                                          "choices": ["a", "b"], "answer": 2}}]}, "answer"),
    ({"steps": [{"say": "x", "question": {"ask": "?", "explain": "!",
                                          "number": float("inf")}}]}, "number"),
    ({"steps": [{"say": "x", "question": {"ask": "?", "explain": "!"}}]}, "needs 'choices'"),
    ({"steps": [{"say": ""}]}, "'say' is empty"),
    ({"week": 9}, "'week'"),
])
def test_a_wrong_lesson_is_refused_saying_where(change, message):
    data = {**GOOD, **change}
    with pytest.raises(lessons.LessonError, match=message):
        lessons.loads(json.dumps(data), STATE_CLASSES)


def test_only_regular_json_files_of_bounded_size_are_read(tmp_path):
    with pytest.raises(lessons.LessonError, match="not valid JSON"):
        lessons.loads("{'python': 'dict'}", STATE_CLASSES)
    with pytest.raises(lessons.LessonError):
        lessons.load(tmp_path, STATE_CLASSES)  # a folder
    big = tmp_path / "big.json"
    big.write_text(" " * (lessons.MAX_BYTES + 1))
    with pytest.raises(lessons.LessonError):
        lessons.load(big, STATE_CLASSES)
    if sys.platform != "win32":
        fifo = tmp_path / "fifo.json"
        os.mkfifo(fifo)
        with pytest.raises(lessons.LessonError):
            lessons.load(fifo, STATE_CLASSES)  # refused at once, never opened


def test_the_builtin_lessons_cover_the_six_weeks_and_every_tab_in_course_order():
    found = lessons.builtin_lessons(STATE_CLASSES)
    # every tab has its lessons, the tabs in course order
    assert list(dict.fromkeys(lesson.tab for lesson in found)) == [s.title for s in TAB_SPECS]
    assert {lesson.week for lesson in found} == {1, 2, 3, 4, 5, 6}
    assert [lesson.week for lesson in found] == sorted(lesson.week for lesson in found)
    for lesson in found:
        assert lesson.steps[0].state is not None, lesson.title  # it sets its tab up
        assert any(step.question for step in lesson.steps), lesson.title
        for step in lesson.steps:
            if step.formula:  # every formula typesets (mathtext reads it)
                from mlcalc_gui.gui.widgets.typeset import raster

                assert raster(step.formula, 13, 96) is not None, step.formula


def test_the_builtin_answers_are_true():
    """The numbers the lessons ask for, worked out again."""
    import math

    found = lessons.builtin_lessons(STATE_CLASSES)
    answers = {q.ask: q for lesson in found for s in lesson.steps
               if (q := s.question) is not None and q.number is not None}
    assert answers["How long is the gradient there, |∇f|?"].check(math.hypot(3.2, 2.4))
    assert answers["What is x₁?"].check(1 - (1 - 2) / 2)
    assert answers["How many weights and biases does it have?"].check(
        sum((a + 1) * b for a, b in zip((1, 6, 7), (6, 7, 2), strict=True)))
    assert answers["What does this order-3 polynomial give at x = 1 (e ≈ 2.71828)?"].check(
        sum(1 / math.factorial(k) for k in range(4)))
    import numpy as np

    x, y = np.array([0.0, 1, 2, 3]), np.array([1.0, 3, 5, 7])
    m = np.sum((x - x.mean()) * y) / np.sum((x - x.mean()) ** 2)
    assert answers["What slope m does least squares give?"].check(m)
    from mlcalc_gui.core import maps

    asked = "The point is now at r = 1.5. By what factor does the map multiply a small " \
            "square's area there?"
    assert answers[asked].check(maps.area_scale("x cos(y)", "x sin(y)", 1.5, 0.8))
    assert answers["How fast does f change along this path: what is df/dt?"].check(
        maps.total_derivative("x^2 + y^2", "cos(t)", "sin(t)", 1.0))
    assert answers["At t = 0, the point (1, 0), what is df/dt?"].check(
        maps.total_derivative("x^2 y", "cos(t)", "sin(t)", 0.0))
    start = "What does the neuron output for the input 1 at the start, a = tanh(2.3 − 1.2)?"
    assert answers[start].check(maps.neuron_output(*maps.NEURON_START, 1.0))
    from mlcalc_gui.core import fitting as fit
    from mlcalc_gui.core import optimisation as op
    from mlcalc_gui.core import taylor as tl
    from mlcalc_gui.core.expressions import parse_function

    f = parse_function("x^2 sin(x)", ("x",))
    assert answers["What is f′(1) for f = x² sin x?"].check(float(f.gradient(1.0)[0]))
    assert answers["What is the slope of 1/x at x = 2?"].check(-1 / 2**2)
    assert answers["What is the radius of convergence about a = 0?"].check(
        tl.radius_of_convergence("1/(1 - x)", 0.0))
    assert answers["About a = −0.5, what is the radius?"].check(
        tl.radius_of_convergence("1/(1 - x)", -0.5))
    newton = list(op.newton_raphson("x^3 - 2x + 2", 0.0, 3))
    assert answers["From x₀ = 0, what is x₁?"].check(newton[1].x)
    assert answers["From x₁ = 1, what is x₂?"].check(newton[1].next_x)  # (a cycle: it stops)
    assert answers["How many points on the course's ellipse have ∇f parallel to ∇g?"].check(
        len(op.lagrange_points(*op.COURSE_LAGRANGE)))
    problem = fit.GaussianProblem()
    end = list(problem.descent((155.0, 6.0), 2000.0, 50))[-1]
    assert answers["What mean height μ does the fit reach, in cm?"].check(end.params[0])
    assert answers["What spread σ does the fit end at, in cm?"].check(end.params[1])
    # the lessons added for the course's every idea (#34)
    cubic = parse_function("x^3 - 2x", ("x",))
    root = 2 ** 0.5 / 3 ** 0.5
    assert abs(float(cubic.gradient(root)[0])) < 1e-12
    assert answers["At which x > 0 is f′(x) = 0 for f = x³ − 2x?"].check(root)

    def slope(text: str, x: float) -> float:
        return float(parse_function(text, ("x",)).gradient(x)[0])

    assert answers["What is the slope of sin x at x = 0?"].check(slope("sin(x)", 0.0))
    assert answers["What is the slope of eˣ at x = 1 (e ≈ 2.71828)?"].check(slope("e^x", 1.0))
    assert answers["What is the slope of e^(2x) at x = 0?"].check(slope("e^(2x)", 0.0))
    from mlcalc_gui.core.derivatives import forward_difference

    square = parse_function("x^2", ("x",))
    assert answers["For f = x² at x = 1 with h = 0.1, what is rise over run?"].check(
        float(forward_difference(square, 1.0, 0.1)))
    bowl = parse_function("x^2 + x y + y^2")
    assert answers["What is det H for f = x² + xy + y²?"].check(
        float(np.linalg.det(bowl.hessian(0.0, 0.0))))
    from mlcalc_gui.core.step_rules import parse_step

    step = parse_step("-0.3 J")(np.array([0.5, -1.0]), np.eye(2))
    asked = "With γ = 0.3 and J = (0.5, −1.0), what is the x part of the step −γJ?"
    assert answers[asked].check(step[0])
    from mlcalc_gui.core.network import Network

    z = np.linspace(-8, 8, 16001)
    logistic = 1 / (1 + np.exp(-z))
    assert answers["What is σ(0)?"].check(float(logistic[8000]))
    assert answers["What is the largest slope σ′ can have?"].check(
        float(np.max(logistic * (1 - logistic))))
    assert answers["How many weights and biases has a 1-4-4-2 network?"].check(
        Network((1, 4, 4, 2)).parameters.size)
    line = tl.taylor_polynomial("e^x", 0.0, 1)
    assert answers["What does the linearisation 1 + x give for e^0.1?"].check(
        float(line(0.1)))
    root_line = tl.taylor_polynomial("sqrt(x)", 4.0, 1)
    assert answers["What does the tangent line at a = 4 give for √4.1?"].check(
        float(root_line(4.1)))
    sine = tl.taylor_coefficients("sin(x)", 0.0, 3)
    assert answers["What is the coefficient of x³ in the Maclaurin series of sin x?"].check(
        float(sine[3]))
    assert answers["What is the radius of convergence of log(1 + x) about a = 0?"].check(
        tl.radius_of_convergence("log(1 + x)", 0.0))
    ellipse = parse_function("x^2 + 2y^2")
    after = np.array([1.0, 1.0]) - 0.1 * np.array(ellipse.gradient(1.0, 1.0), float)
    assert answers["Where does one step of descent from (1, 1) go: what is its new y?"].check(
        after[1])
    asked = "At r = 0.5, by what factor does the polar map multiply a small square's area?"
    assert answers[asked].check(maps.area_scale("x cos(y)", "x sin(y)", 0.5, 0.8))
    asked = "If λ = 0.5 and the constraint moves to g = 0.1, about how much does the best f change?"
    assert answers[asked].check(0.5 * 0.1)
    root2 = list(op.newton_raphson("x^2 - 2", 1.0, 5))
    assert answers["From x₀ = 1 on x² − 2, what is x₃?"].check(root2[3].x)
    gauss = parse_function("exp(-(x - m)^2 / (2 s^2)) / (s sqrt(2 pi))", ("x", "m", "s"))
    assert answers["What is ∂f/∂μ at the peak, x = μ?"].check(
        float(gauss.gradient(170.0, 170.0, 7.5)[1]))
    xs, ys = np.array([0.0, 1, 2, 3]), np.array([1.0, 3, 5, 7])
    residuals = ys - np.polyval(np.polyfit(xs, ys, 1), xs)
    assert answers["What is χ² of the best line through these four points?"].check(
        float(residuals @ residuals))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(["top", "step", "state", "question"]), key=st.text(max_size=12),
       value=JSON)
def test_fuzzed_lesson_files_give_a_lesson_or_a_lesson_error(where, key, value):
    """Any JSON value anywhere: a lesson with values inside the limits, or LessonError;
    never another exception."""
    data = json.loads(json.dumps(GOOD))
    target = {"top": data, "step": data["steps"][0], "state": data["steps"][0]["state"],
              "question": data["steps"][2]["question"]}[where]
    fields = list(target)
    target[fields[hash(key) % len(fields)] if key else key] = value
    try:
        lesson = lessons.loads(json.dumps(data), STATE_CLASSES)
    except lessons.LessonError:
        return
    assert 1 <= len(lesson.steps) <= lessons.MAX_STEPS


# ---- in the window --------------------------------------------------------------------------
def test_a_lesson_steps_with_page_down_to_its_end_with_a_prediction(qtbot, window):
    lesson = window.builtin_lessons[0]
    assert lesson.tab == "Derivatives"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.start_lesson(lesson)
    panel = window.lessons
    tab = window.tab_by_title("Derivatives")
    assert panel.isVisible() and window.current_tab() is tab
    qtbot.waitUntil(lambda: tab.function is not None and tab.function.text == "x^2",
                    timeout=10000)
    assert window.step_indicator_text() == "Lesson · step 1 / 8"
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert panel.index == 1 and panel.number_row.isVisible()
    # a wrong number is refused beside the field; the right one is checked
    qtbot.keyClicks(panel.number_edit, "three")
    qtbot.keyClick(panel.number_edit, Qt.Key_Return)
    assert not panel.revealed and "Type a number" in panel.feedback.text()
    panel.number_edit.clear()
    qtbot.keyClicks(panel.number_edit, "3")
    qtbot.keyClick(panel.number_edit, Qt.Key_Return)
    assert panel.revealed and panel.feedback.text().startswith("✔ Right")
    assert window.lessons.right == 1
    qtbot.keyClick(window, Qt.Key_PageDown)  # step 3: h = 0.1, rise over run again
    assert panel.index == 2
    qtbot.waitUntil(lambda: tab.h == pytest.approx(0.1))
    qtbot.keyClicks(panel.number_edit, "2.1")
    qtbot.keyClick(panel.number_edit, Qt.Key_Return)
    assert panel.feedback.text().startswith("✔ Right") and window.lessons.right == 2
    qtbot.keyClick(window, Qt.Key_PageDown)  # step 4: a task, h shrunk by the learner
    assert panel.index == 3 and not panel.gate_met
    assert window.step_indicator_text().endswith("a task to do first")
    tab.h_slider.setValue(round(math.log10(0.02) * 100))
    qtbot.waitUntil(lambda: panel.gate_met)
    qtbot.keyClick(window, Qt.Key_PageDown)  # step 5 sets h small
    assert panel.index == 4
    qtbot.waitUntil(lambda: tab.h == pytest.approx(0.01))
    qtbot.keyClick(window, Qt.Key_PageDown)  # no answer given: Page Down reveals it
    assert panel.revealed and panel.feedback.text().startswith("The answer: 2")
    qtbot.keyClick(window, Qt.Key_PageUp)  # back: the task again
    assert panel.index == 3
    qtbot.keyClick(window, Qt.Key_PageUp)  # back: asked afresh
    assert panel.index == 2 and not panel.revealed
    window.lessons.show_step(6)  # step 7: the rules walked
    assert panel.index == 6
    qtbot.waitUntil(lambda: tab.function.text == "x^3 - 2x" and tab.rules.walked > 0,
                    timeout=10000)
    qtbot.keyClick(window, Qt.Key_PageDown)  # step 8: choose
    panel.choice_buttons[1].click()
    assert panel.feedback.text().startswith("✔ Right")
    qtbot.keyClick(window, Qt.Key_PageDown)  # the end
    assert panel.finished and "done" in panel.title.text()
    qtbot.keyClick(window, Qt.Key_PageDown)  # stays done
    assert panel.finished
    # leaving keeps the tab as it is, and Page Down is the tab's again
    panel.leave_button.click()
    assert not panel.isVisible() and tab.function.text == "x^3 - 2x"
    walked = tab.rules.walked
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert tab.rules.walked == walked - 1


def test_a_lesson_file_with_errors_is_refused_with_a_message(qtbot, window, tmp_path,
                                                             monkeypatch):
    shown = []
    monkeypatch.setattr(window, "warn", lambda title, text: shown.append(text))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, "steps": [{"say": "x", "state": {"order": -1}}]}))
    assert not window.open_lesson(path)
    assert shown and "bad.json was not opened" in shown[0] and "order" in shown[0]
    assert not window.lessons.active
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    assert window.open_lesson(good)
    assert window.lessons.active and window.current_tab().title == "Taylor"
    qtbot.waitUntil(lambda: window.current_tab().series.order == 2)
    window.lessons.leave()


def test_every_builtin_lesson_plays_to_its_end(qtbot, window):
    menu = window._lesson_menu
    before = len(menu.actions())
    menu.aboutToShow.emit()  # listed when the menu first opens
    menu.aboutToShow.emit()  # and only once
    titles = [action.text() for action in menu.actions()]
    shipped = len([f for f in LESSON_FILES.iterdir() if f.name.endswith('.json')])
    assert len(titles) == before + len(window.builtin_lessons) == before + shipped
    assert titles[0].startswith("Week 1, Derivatives")
    for lesson in window.builtin_lessons:
        window.start_lesson(lesson)
        for _ in range(2 * len(lesson.steps)):
            window.step_next()
        assert window.lessons.finished, lesson.title
        assert window.current_tab().title == lesson.tab
        last = max(i for i, s in enumerate(lesson.steps) if s.state is not None)
        last_state = lesson.steps[last].state
        tab = window.current_tab()
        qtbot.waitUntil(lambda tab=tab: tab._pending_state is None)
        captured = tab.capture_state()
        expected = {name: getattr(last_state, name) for name in
                    ("function", "order", "view", "kind", "problem", "curve")
                    if hasattr(last_state, name)}
        for step in lesson.steps[last + 1:]:  # a place shown later brings its page forward
            for page in getattr(tab, "pages", ()) if step.show else ():
                place = tab.places()[step.show]
                if page.panel.isAncestorOf(place) or page.views.isAncestorOf(place):
                    expected["view"] = page.key
        for name, value in expected.items():
            assert getattr(captured, name) == value, (lesson.tab, name)
        window.lessons.leave()


def test_markup_in_a_lesson_file_is_shown_as_text(qtbot, window):
    markup = "<img src='/dev/zero'>"
    data = {**GOOD, "title": markup, "steps": [
        {"say": markup, "formula": markup,
         "question": {"ask": markup, "choices": [markup, "b"], "answer": 0,
                      "explain": markup}}]}
    window.start_lesson(lessons.loads(json.dumps(data), STATE_CLASSES))
    panel = window.lessons
    for label in (panel.title, panel.say, panel.ask, panel.feedback):
        assert label.textFormat() == Qt.PlainText
    assert panel.say.text() == markup
    assert "&lt;img" in panel.formula.toolTip() and "<img" not in panel.formula.toolTip()
    panel.answer(0)
    assert markup in panel.feedback.text()
    assert panel.choice_buttons[0].text() == f"A: {markup}"
    window.lessons.leave()


# ---- tasks: a step that waits until the learner has done something in the tab ------------
TASK = {**GOOD, "steps": [
    {"say": "Raise the order.", "state": {"function": "e^x", "order": 2},
     "until": {"observe": "order", "is": ">=", "value": 4, "goal": "raise the order to 4"}},
    {"say": "Done."}]}


def test_a_task_is_read_as_data_and_checked_against_the_tabs_observables():
    lesson = lessons.loads(json.dumps(TASK), STATE_CLASSES, **lesson_checks())
    gate = lesson.steps[0].until
    assert (gate.observe, gate.op, gate.value) == ("order", ">=", 4.0)
    assert not gate.met({"order": 3.0}) and gate.met({"order": 4.0})
    assert not gate.met({}) and not gate.met({"order": float("nan")})
    flag = lessons.Gate("won", "=", True, "win")
    assert flag.met({"won": True}) and not flag.met({"won": False})


@pytest.mark.parametrize("until, message", [
    ({"observe": "colour", "is": ">", "value": 1, "goal": "g"}, "does not observe"),
    ({"observe": "order", "is": "≈", "value": 1, "goal": "g"}, "'is' must be one of"),
    ({"observe": "order", "is": ">", "value": True, "goal": "g"}, "compared with '='"),
    ({"observe": "order", "is": ">", "value": "4", "goal": "g"}, "must be a number"),
    ({"observe": "order", "is": ">", "value": 4}, "'goal' must be text"),
    ({"observe": "order", "is": ">", "value": 4, "goal": "g", "eval": "x"}, "not a key"),
])
def test_a_wrong_task_is_refused_saying_where(until, message):
    bad = {**TASK, "steps": [{**TASK["steps"][0], "until": until}]}
    with pytest.raises(lessons.LessonError, match=message):
        lessons.loads(json.dumps(bad), STATE_CLASSES, **lesson_checks())


def test_page_down_on_a_task_says_what_is_left_then_skips_it(qtbot, window):
    lesson = lessons.loads(json.dumps(TASK), STATE_CLASSES, **lesson_checks())
    window.start_lesson(lesson)
    panel = window.lessons
    tab = window.tab_by_title("Taylor")
    qtbot.waitUntil(lambda: tab.built and tab.series.order == 2)
    assert not panel.gate_met and "raise the order to 4" in panel.gate_label.text()
    window.step_next()
    assert panel.index == 0 and panel.gate_label.text().startswith("Still to do")
    assert panel.next_button.text() == "Skip the task ▶"
    window.step_next()
    assert panel.index == 1 and panel.skipped == 1
    # Back to the task, and this time do it: the lesson sees it
    window.step_previous()
    tab.series.set_order(4)
    qtbot.waitUntil(lambda: panel.gate_met)
    assert panel.gate_label.text().startswith("✔ Done")
    window.step_next()
    assert panel.index == 1 and panel.skipped == 1
    window.lessons.leave()


def test_the_builtin_tasks_can_be_done_in_their_tabs(qtbot, window):
    """Every built-in task observes something its tab declares (checked as the lessons
    are read), and the Maps square's is done by its own Play."""
    gated = [(lesson, i) for lesson in window.builtin_lessons
             for i, step in enumerate(lesson.steps) if step.until is not None]
    assert len(gated) >= 4
    lesson, i = next((les, i) for les, i in gated if les.steps[i].until.observe == "area_gap")
    window.start_lesson(lesson)
    window.lessons.show_step(i)
    tab = window.tab_by_title(lesson.tab)
    qtbot.waitUntil(lambda: tab.built and tab.map_page.u is not None)
    assert not window.lessons.gate_met
    tab.run.worker.set_rate(None)
    with qtbot.waitSignal(tab.run.sig_finished, timeout=10000):
        tab.play()
    qtbot.waitUntil(lambda: window.lessons.gate_met, timeout=5000)
    window.lessons.leave()


def test_the_builtin_lessons_teach_the_whole_course_and_the_readme_says_how_much():
    """At least 24 lessons, 3 a week, 150 steps, 40 questions and 15 tasks (#34), and
    the README's figures are the shipped ones."""
    from collections import Counter

    found = lessons.builtin_lessons(STATE_CLASSES)
    weeks = Counter(lesson.week for lesson in found)
    steps = [step for lesson in found for step in lesson.steps]
    questions = sum(step.question is not None for step in steps)
    tasks = sum(step.until is not None for step in steps)
    assert len(found) >= 24 and min(weeks[w] for w in range(1, 7)) >= 3
    assert len(steps) >= 150 and questions >= 40 and tasks >= 15
    assert all(lesson.about and lesson.key for lesson in found)  # the course map's line
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    said = (f"{len(found)} built-in lessons, {min(weeks.values())} to {max(weeks.values())} "
            f"a week, {len(steps)} steps, {questions} questions")
    assert said in " ".join(readme.split()), said
    assert f"and {tasks} tasks to do in the tab" in " ".join(readme.split())


def test_the_readme_lists_every_state_field_and_observable_of_every_tab():
    """A lecturer writes a lesson from the README alone: each tab's state fields, with
    their defaults, and its observables are in it."""
    import dataclasses
    import re

    from mlcalc_gui.core.state_codec import to_json
    from mlcalc_gui.gui.shell.registry import tab_class

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for spec in TAB_SPECS:
        line = re.search(rf"^- \*\*{re.escape(spec.title)}\*\*: (.*)$", readme, re.M)
        assert line, f"the README lists no state fields for {spec.title}"
        entries = {}
        for entry in line.group(1).rstrip(".").split("; `"):
            name, _, rest = entry.lstrip("`").partition("` ")
            entries.setdefault(name, rest)
        for f in dataclasses.fields(spec.state):
            assert f.name in entries, f"{spec.title}: the README lacks the field {f.name}"
            default = json.dumps(to_json(getattr(spec.state(), f.name)), ensure_ascii=False)
            shown = entries[f.name].split(";")[0].strip()
            assert default.startswith(shown.removesuffix("…\"")), (spec.title, f.name)
        flat = " ".join(readme.split())
        for name in tab_class(spec).OBSERVABLES:
            assert f"`{name}`" in flat, f"{spec.title}: observable {name} not in the README"
