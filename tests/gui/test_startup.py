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
