"""Application start-up, and the ``--screenshot`` mode that photographs every tab."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

__all__ = ["main", "create_app", "take_screenshots"]


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mlcalc-gui",
        description="An offline visual tutor for the multivariate calculus behind ML.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="a lesson or a session file to open (a .json saved by the "
                             "tutor, or a lesson written by hand)")
    parser.add_argument("--screenshot", metavar="DIR",
                        help="put every tab in a demonstration state, save one PNG per tab "
                             "into DIR, and exit")
    parser.add_argument("--size", default="1600x1000", metavar="WxH",
                        help="window size for --screenshot (default 1600x1000)")
    parser.add_argument("--presentation", action="store_true",
                        help="with --screenshot: every tab in presentation mode (F5), and "
                             "the smallest text on each printed")
    parser.add_argument("--lesson", metavar="N|FILE",
                        help="with --screenshot: instead of the tabs, every step of built-in "
                             "lesson N (1 is the first in course order) or of a lesson file")
    return parser.parse_args(argv)


def set_application_attributes() -> None:
    """What must be set before the QApplication is made."""
    from PySide6.QtCore import QCoreApplication, Qt

    QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)
    # The 3D views are native child windows (see surface_view); their sibling widgets
    # need not become native windows too.
    QCoreApplication.setAttribute(Qt.AA_DontCreateNativeWidgetSiblings)


#: Packages that never use PySide6: PySide's import hook need not read their source to find
#: that out (see :func:`lighten_import_hook`; mlcalc_gui.core, Qt-free by the layer rule,
#: is spared too).
QT_FREE_PACKAGES = frozenset({
    "sympy", "mpmath", "matplotlib", "numpy", "pyparsing", "PIL", "cycler", "fontTools",
    "kiwisolver", "dateutil", "contourpy", "packaging"})


def lighten_import_hook() -> None:
    """PySide6's ``__feature__`` import hook reads the source of every module imported
    after it (``inspect.getsource``) to decide whether the module uses PySide6: 160 ms
    over the 950 modules a session imports (sympy's 430 are 80 of them), and the lines
    stay in ``linecache`` until settled (38 MB at the peak).  A module that never
    imports PySide6 gets the answer "no" without being read: the standard library,
    :data:`QT_FREE_PACKAGES` and ``mlcalc_gui.core``.  The answer only chooses whether
    PySide switches ``snake_case``/``true_property`` for the module; none of these asks
    for either, so the behaviour is the same.  Left as it is if PySide6's internals differ."""
    import sysconfig

    try:
        from shibokensupport import feature
    except ImportError:
        return
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or getattr(scan, "_mlc_light", False):
        return
    stdlib = sysconfig.get_paths()["stdlib"]

    def uses_pyside(module) -> bool:
        name = getattr(module, "__name__", "") or ""
        if name.split(".", 1)[0] in QT_FREE_PACKAGES or name.startswith("mlcalc_gui.core."):
            return False
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if origin.startswith(stdlib) and "site-packages" not in origin:
            return False
        return scan(module)

    uses_pyside._mlc_light = True
    feature._mod_uses_pyside = uses_pyside


def create_app(argv: list[str] | None = None):
    """The QApplication, configured once (OpenGL context sharing, fonts, pyqtgraph)."""
    from PySide6.QtWidgets import QApplication

    lighten_import_hook()
    app = QApplication.instance()
    if app is None:
        set_application_attributes()
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("mlcalc-gui")
        app.setOrganizationName("mlcalc-gui")
        font = app.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        app.setFont(font)
    from mlcalc_gui.gui.shell.focus import install_focus_ring
    from mlcalc_gui.gui.shell.keys import install_key_rules
    from mlcalc_gui.gui.shell.wheel_guard import install_wheel_guard
    from mlcalc_gui.gui.theme import configure_pyqtgraph

    configure_pyqtgraph()
    install_wheel_guard(app)
    install_focus_ring(app)
    install_key_rules(app)
    return app


def take_screenshots(window, directory: Path, report=None) -> list[Path]:
    """Bring each tab into its demonstration state and save it as DIR/NN-title.png;
    ``report(path)``, if given, is called after each picture."""
    from mlcalc_gui.gui.run.host import process_events_until
    from mlcalc_gui.gui.shell.export import grab_with_gl
    from mlcalc_gui.gui.shell.registry import TAB_SPECS
    from mlcalc_gui.gui.widgets.typeset import typesetting_pending

    directory.mkdir(parents=True, exist_ok=True)
    window.show_course_map()
    process_events_until(lambda: False, 0.3)
    path = directory / "00-course-map.png"
    if not grab_with_gl(window).save(str(path)):
        raise OSError(f"could not write {path}")
    saved = [path]
    if report is not None:
        report(path)
    window.show_tabs()
    for index, spec in enumerate(TAB_SPECS):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        process_events_until(tab.isVisible, 5)
        name = spec.title.lower().replace(" ", "-")
        for suffix, state in (("", None), *tab.more_demos()):
            tab.run_demo(state)
            process_events_until(lambda: False, 0.3)  # let the views paint
            process_events_until(lambda: not typesetting_pending(), 10)
            path = directory / f"{index + 1:02d}-{name}{'-' * bool(suffix)}{suffix}.png"
            if not grab_with_gl(window).save(str(path)):
                raise OSError(f"could not write {path}")
            saved.append(path)
            if report is not None:
                report(path)
    return saved


def take_lesson_screenshots(window, directory: Path, which: str, report=None) -> list[Path]:
    """Open lesson ``which`` (a number among the built-in ones, or a file) and save each
    of its steps as DIR/lesson-NN-step-MM.png, its question (if any) still waiting."""
    from mlcalc_gui.gui.run.host import process_events_until
    from mlcalc_gui.gui.shell.export import grab_with_gl
    from mlcalc_gui.gui.widgets.typeset import typesetting_pending

    directory.mkdir(parents=True, exist_ok=True)
    if which.isdigit():
        lesson = window.builtin_lessons[int(which) - 1]
        stem = f"lesson-{int(which):02d}"
        window.start_lesson(lesson)
    else:
        if not window.open_lesson(which):
            raise OSError(f"the lesson {which} could not be opened")
        lesson, stem = window.lessons.lesson, "lesson"
    saved = []
    for index in range(len(lesson.steps)):
        window.lessons.show_step(index)
        tab = window.current_tab()
        process_events_until(lambda tab=tab: tab.built and tab._pending_state is None, 30)
        process_events_until(lambda tab=tab: not tab.working, 30)
        process_events_until(lambda: False, 0.3)
        process_events_until(lambda: not typesetting_pending(), 10)
        path = directory / f"{stem}-step-{index + 1:02d}.png"
        if not grab_with_gl(window).save(str(path)):
            raise OSError(f"could not write {path}")
        saved.append(path)
        if report is not None:
            report(path)
    window.lessons.leave()
    return saved


#: The services a bundle's own program may run in a process of its own (a frozen bundle
#: has no ``python -m``: the worker starts the program with ``--service MODULE``).
SERVICES = ("mlcalc_gui.core.training_process",)


def run_service(module: str) -> int:
    """Run one of :data:`SERVICES` (never any other module a command line names)."""
    if module not in SERVICES:
        print(f"--service: no such service {module!r}", file=sys.stderr)
        return 2
    from importlib import import_module

    return import_module(module).main()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and argv[0] == "--service":  # a worker's process in a bundle
        return run_service(argv[1])
    args = _parse_args(argv)
    app = create_app()
    from PySide6.QtCore import QSettings

    from mlcalc_gui.gui.shell.window import MainWindow

    if args.screenshot:
        try:
            width, height = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            print(f"--size wants WIDTHxHEIGHT, for example 1600x1000, not {args.size!r}",
                  file=sys.stderr)
            return 2
        # A throw-away settings file: screenshots never change the user's settings.
        scratch = tempfile.mkdtemp(prefix="mlcalc-shots-")
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(settings, offer_last_session=False)
        window.resize(width, height)
        window.show()
        report = print
        if args.presentation:
            from mlcalc_gui.gui.scale import smallest_text

            window.enter_presentation(full_screen=False)

            def report(path: Path) -> None:
                size, where = smallest_text(window)
                print(f"{path}  smallest text {size:.1f} px ({where})")
        if args.lesson:
            take_lesson_screenshots(window, Path(args.screenshot), args.lesson, report)
        else:
            take_screenshots(window, Path(args.screenshot), report)
        window.close()
        return 0
    window = MainWindow(offer_last_session=not args.file)
    window.show()
    first_sight(window, args.file)
    return app.exec()


def first_sight(window, file: str | None) -> None:
    """What the tutor shows as it starts: the file named on the command line (once the
    window is up: a damaged file's message comes beside a working window), else the
    course map, a new learner's first sight (unless the learner chose not)."""
    if file:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window, lambda: window.open_file(file))
    elif window.course_map_at_start():
        window.show_course_map()
