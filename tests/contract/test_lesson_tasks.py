"""Every built-in lesson played to its end with Page Down, each task done in its tab as a
learner would do it (never skipped), each question answered (right in one lesson, wrong
in the next), and every question's check tried with its answer and with a wrong one."""

from __future__ import annotations

import math

import pytest

from mlcalc_gui.core import lessons
from mlcalc_gui.gui.shell.registry import STATE_CLASSES


def _play(qtbot, tab) -> None:
    """Play (Space), at full speed: the run the task asks for."""
    tab.run.worker.set_rate(None)
    tab.play()


def _do_task(qtbot, window, lesson, gate) -> None:
    """What a learner does for the task ``gate``: move the point, shrink h, dip at the
    phone, raise the order, or press Play."""
    tab = window.tab_by_title(lesson.tab)
    name = gate.observe
    if name == "secant_error":
        for h in (0.01, 0.003, 0.001):  # the slider, down its log scale
            tab.h_slider.setValue(round(math.log10(h) * 100))
            if gate.met(tab.observe()):
                return
    elif name == "slope":
        tab.set_x(1.0)  # dragged right of the valley's bottom
    elif name == "grad_norm":
        tab.set_point(0.0, 0.0)  # clicked on the level point
    elif name == "won":
        tab.dip(*tab.floor.phone)
    elif name in ("order", "error_at_1"):
        for _ in range(12):
            if gate.met(tab.observe()):
                return
            tab.order_up()  # +
    elif name == "a":
        tab.series.a_spin.setValue(gate.value)
    elif name == "angle_deg":
        page = tab.lagrange
        qtbot.waitUntil(lambda: bool(page.solutions), timeout=20000)
        page.set_point(page.solutions[0].x, page.solutions[0].y)
    elif name == "root_found":
        tab.newton.set_x0(-2.5)  # left of the turning point, where the real root is
        _play(qtbot, tab)
    else:  # steps, walked, area_gap, cost, iteration, race_steps, chi2, newton steps
        _play(qtbot, tab)


def test_every_builtin_lesson_plays_to_its_end_with_its_tasks_done(qtbot, window):
    panel = window.lessons
    done = 0
    for n, lesson in enumerate(window.builtin_lessons):
        window.start_lesson(lesson)
        for index, step in enumerate(lesson.steps):
            assert panel.index == index, (lesson.key, index)
            tab = window.tab_by_title(lesson.tab)
            qtbot.waitUntil(lambda tab=tab: tab.built and tab._pending_state is None
                            and not tab.working, timeout=20000)
            if step.until is not None:
                assert not panel.gate_met, (lesson.key, index)  # not done before asked
                _do_task(qtbot, window, lesson, step.until)
                try:
                    qtbot.waitUntil(lambda: panel.gate_met, timeout=30000)
                except qtbot.TimeoutError:
                    pytest.fail(f"{lesson.key} step {index + 1}: {step.until} not met, "
                                f"observed {tab.observe()}")
                done += 1
                tab.stop_work()
            question = step.question
            if question is not None:
                right = n % 2 == 0
                if question.choices:
                    given = question.answer if right else \
                        (question.answer + 1) % len(question.choices)
                else:
                    given = question.number if right else \
                        question.number + 2 * question.tolerance + 1
                assert panel.answer(given) is right, (lesson.key, index)
            window.step_next()
        assert panel.finished and panel.skipped == 0, lesson.key
        asked = sum(s.question is not None for s in lesson.steps)
        assert panel.right == (asked if n % 2 == 0 else 0)
        window.lessons.leave()
        window.tab_by_title(lesson.tab).stop_work()
    assert done == sum(s.until is not None for le in window.builtin_lessons for s in le.steps)


@pytest.mark.parametrize("lesson", lessons.builtin_lessons(STATE_CLASSES),
                         ids=lambda lesson: lesson.key)
def test_every_question_takes_its_answer_and_refuses_a_wrong_one(lesson):
    for step in lesson.steps:
        q = step.question
        if q is None:
            continue
        if q.choices:
            assert q.check(q.answer)
            assert not any(q.check(i) for i in range(len(q.choices)) if i != q.answer)
        else:
            assert q.check(q.number) and q.check(q.number + q.tolerance * 0.99)
            assert not q.check(q.number + 2 * q.tolerance + 1e-9 + abs(q.number) * 1e-3)
            assert not q.check(math.nan)
