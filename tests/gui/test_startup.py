"""What start-up leaves out: PySide6's import hook reads no source of a module that
never uses PySide6 (mlcalc_gui.app.lighten_import_hook)."""

from __future__ import annotations

import inspect
import types

import pytest


def test_the_import_hook_reads_no_source_of_qt_free_modules(qapp, monkeypatch):
    from mlcalc_gui.app import create_app

    feature = pytest.importorskip("shibokensupport.feature")
    create_app()  # (the hook is lightened as the app is made; the suite's app too)
    scan = feature._mod_uses_pyside
    assert getattr(scan, "_mlc_light", False)
    read = []
    real = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda obj: read.append(obj) or real(obj))
    import json

    import sympy

    import mlcalc_gui.core.taylor
    import mlcalc_gui.gui.shell.window

    assert sympy.__name__ not in [getattr(m, "__name__", "") for m in read]
    read.clear()
    assert [scan(m) for m in (sympy, json, mlcalc_gui.core.taylor)] == [False] * 3
    assert read == []
    # A module of ours that uses PySide6 is still asked about, and is found to use it.
    assert scan(mlcalc_gui.gui.shell.window) is True
    assert read == [mlcalc_gui.gui.shell.window]
    fresh = types.ModuleType("not_a_package_we_know")
    fresh.__spec__ = None
    assert scan(fresh) is False  # (no source: PySide's own answer, unchanged)


def test_the_first_frame_shows_a_sketch_then_the_parsed_function(qtbot):
    """Before sympy: f and f′ from the sketch (core.sketch) in the first frame, the
    function's text and domain in its boxes; after the first paint the parse replaces
    it, the same curves to rounding, with the numbers and the rules."""
    import numpy as np

    from mlcalc_gui.core.expressions import parse_function
    from mlcalc_gui.core.states import DerivativesState
    from mlcalc_gui.gui.tabs.derivatives import DerivativesTab

    tab = DerivativesTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.ensure_built()  # built, not yet painted: the first state waits for the paint
    state = DerivativesState()
    assert tab.function is None
    xs, fx = tab.f_curve.getData()
    f = parse_function(state.function, ("x",))
    assert len(xs) > 100 and xs[0] == state.domain[0] and xs[-1] == state.domain[1]
    np.testing.assert_allclose(fx, f(xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tab.d_curve.getData()[1], f.gradient(xs)[0], atol=1e-12)
    assert tab.input.text() == state.function
    assert tab.input.binder["domain"] == tuple(state.domain)
    tab.show()
    qtbot.waitUntil(lambda: tab.function is not None and tab.rules.typeset is not None)
    xs2, fx2 = tab.f_curve.getData()
    np.testing.assert_allclose(fx2, f(xs2), rtol=1e-12, atol=1e-12)
    assert tab.numbers.text()  # the readouts came with the parse
    tab.stop_work()
