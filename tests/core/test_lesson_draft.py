"""A recorded lesson: steps kept as data, saved in the lesson format, read back alike."""

import json

import pytest

from mlcalc_gui.core import lessons
from mlcalc_gui.core.lesson_draft import Draft, DraftStep, state_delta
from mlcalc_gui.core.states import GradientsState, TaylorState

CLASSES = {"Gradients": GradientsState, "Taylor": TaylorState}


def test_a_step_keeps_only_what_differs_from_the_defaults():
    assert state_delta(TaylorState()) == {}
    assert state_delta(TaylorState(function="sin(x)", order=5)) == {"function": "sin(x)",
                                                                    "order": 5}
    assert state_delta(GradientsState(start=(0.5, -1.0))) == {"start": [0.5, -1.0]}


def _draft() -> Draft:
    return Draft("Taylor", "Orders", 4, "What the order buys.", [
        DraftStep("e^x to order 2.", "1 + x + \\frac{x^2}{2}",
                  state_delta(TaylorState(order=2))),
        DraftStep("Predict.", question={"ask": "Order 3 at 1?", "number": 2.6667,
                                        "tolerance": 0.001, "explain": "1 + 1 + 1/2 + 1/6"}),
        DraftStep("Raise it.", until={"observe": "order", "is": ">=", "value": 5,
                                      "goal": "raise the order to 5"}, show="series"),
        DraftStep("sin.", state=state_delta(TaylorState(function="sin(x)")),
                  question={"ask": "Odd?", "choices": ["yes", "no"], "answer": 0,
                            "explain": "sin is odd."}),
    ])


def test_a_draft_saves_in_the_lesson_format_and_reads_back_the_same(tmp_path):
    draft = _draft()
    path = tmp_path / "orders.mlcalc-lesson.json"
    saved = draft.save(path, CLASSES, observables={"Taylor": ("order", "a")},
                       places={"Taylor": ("series",)})
    again = lessons.load(path, CLASSES)
    assert again == saved
    assert [s.state for s in again.steps] == [TaylorState(order=2), None, None,
                                               TaylorState(function="sin(x)")]
    assert again.steps[1].question.number == 2.6667 and again.steps[2].until.value == 5
    assert again.about == "What the order buys." and again.week == 4
    # and an existing lesson becomes a draft that writes the same lesson
    assert Draft.from_lesson(again).lesson(CLASSES) == again
    assert json.loads(path.read_text())["steps"][2]["show"] == "series"


def test_steps_move_and_go():
    draft = _draft()
    assert draft.move(3, 0) == 0 and draft.steps[0].say == "sin."
    assert draft.move(0, 99) == 3 and draft.steps[3].say == "sin."
    draft.delete(1)
    assert [s.say for s in draft.steps] == ["e^x to order 2.", "Raise it.", "sin."]


@pytest.mark.parametrize("change, words", [
    (lambda d: d.steps[0].__setattr__("say", ""), "step 1: 'say' is empty"),
    (lambda d: d.steps[2].until.__setitem__("observe", "cost"), "step 3: until"),
    (lambda d: d.steps[1].question.pop("number"), "step 2: question"),
    (lambda d: d.__setattr__("title", ""), "'title' is empty"),
    (lambda d: d.steps.clear(), "'steps'"),
])
def test_a_wrong_draft_is_not_saved_and_says_where(tmp_path, change, words):
    draft = _draft()
    change(draft)
    path = tmp_path / "x.json"
    with pytest.raises(lessons.LessonError, match=words.replace("(", r"\(")):
        draft.save(path, CLASSES, observables={"Taylor": ("order",)})
    assert not path.exists()
