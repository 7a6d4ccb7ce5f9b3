"""A page: one view of a tab, with everything that view needs, and a tab of pages.

A :class:`Page` is the unit a topic is built from: its part of the control column, its
views, its own run (a :class:`~mlcalc_gui.gui.run.controller.RunController` and playback
bar, made by the kit), its slice of the tab's state (controls bound by a
:class:`~mlcalc_gui.gui.kit.binder.Binder`), its explanation, the places a lesson may
show and the readouts a question may hide.  A page writes only its maths and wiring:

* ``build_panel()`` and ``build_views()``: its widgets (the kit adds the Run box;
  ``run_extras()``, ``build_footer()`` and ``run_options()`` add to it);
* ``make_run(last)`` and ``blocked(last)``: the generator a Play runs, and why none can;
* ``_on_batch(records)``, ``_on_cleared()`` and ``_done_text(last)``: drawing a run;
* ``capture()`` (its fields of the tab's state) and ``restore(state)``;
* optionally ``nudge(sign)`` ([ and ]), ``places()``, ``spoiler_parts()``, ``shown()``.

Its workers and background tasks are its host tab's, so the tab stops them on leave and
joins them on close, whichever page made them.

A :class:`PagedTab` hosts pages: the control column shows the page shown, the views are
a tab bar of them (V steps through them), and the keys, the clicker, the lesson's places
and spoilers and File > Export act on the page shown.  A page left keeps its run on
screen, stopped.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.runner import Service
from mlcalc_gui.gui.kit.binder import Binder
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.kit.widgets import panel_column
from mlcalc_gui.gui.run.tab_run import RunTabMixin
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["Page", "PagedTab"]


class _PageObject(QObject):
    def stop_work(self) -> None:
        """The end of :meth:`RunTabMixin.stop_work`'s chain (the host stops the workers)."""


class Page(RunTabMixin, _PageObject):
    """One view of a :class:`PagedTab` (see the module's docstring)."""

    #: A short name: the tab state's ``view``, a lesson's and a screenshot's name for it.
    key: ClassVar[str] = ""
    #: Its name on the tab bar, and its tooltip there.
    title: ClassVar[str] = ""
    tip: ClassVar[str] = ""
    #: The explanation at the head of the control column (our own words, rich text).
    explanation: ClassVar[str] = ""
    #: The playback bar's speeds (records a second, 0 the fastest) and the one it starts at.
    speeds: ClassVar[tuple[float, ...]] = (1, 2, 5, 10, 20, 50, 0)
    default_speed: ClassVar[int] = 1
    #: What the playback bar counts ("steps", "orders"), and how many "Step many" takes
    #: (0: no such button).
    unit: ClassVar[str] = "steps"
    many: ClassVar[int] = 0
    #: The Run box's title.
    run_title: ClassVar[str] = "Run"
    #: False for a page with nothing to play: it gets no Run box, and Play and Step say
    #: :attr:`NO_RUN` in the status bar instead.
    runs: ClassVar[bool] = True
    NO_RUN: ClassVar[str] = "Nothing plays in this view."
    PLACES: ClassVar[tuple[str, ...]] = ()
    SPOILERS: ClassVar[tuple[str, ...]] = ()
    #: What a lesson's gate may test on this page (see TutorTab.OBSERVABLES).
    OBSERVABLES: ClassVar[dict[str, str]] = {}
    #: What the Run box says before a run (a page that runs otherwise says so).
    IDLE_TEXT: ClassVar[str] = "Play (Space) runs from the start; Step (N) takes one step."
    sig_status = Signal(str)

    def __init__(self, host: PagedTab):
        super().__init__(host)
        self.host = host
        self.binder = Binder(self)
        self.panel: QWidget | None = None
        self.views: QWidget | None = None

    # ---- what the run kit asks of its host (run.host.WorkHost): the tab's ------------------
    def make_worker(self, on_batch, on_state, on_finished, frame_interval: float = 1 / 60,
                    service: Service | None = None):
        return self.host.make_worker(on_batch, on_state, on_finished,
                                     frame_interval=frame_interval, service=service)

    def add_task(self, task: Any) -> None:
        self.host.add_task(task)

    # ---- built by the kit ------------------------------------------------------------------
    def build(self) -> tuple[QWidget, QWidget]:
        """The page's part of the control column (its controls, then its Run box) and
        its views; its run is installed."""
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        own = self.build_panel()
        if own is not None:
            layout.addWidget(own)
        box = QGroupBox(self.run_title)
        v = QVBoxLayout(box)
        self.playback = PlaybackBar(many=self.many, speeds=self.speeds,
                                    default_speed=self.default_speed, unit=self.unit)
        v.addWidget(self.playback)
        self.run_label = WrappedLabel()
        v.addWidget(self.run_label)
        for widget in self.run_extras():
            v.addWidget(widget)
        layout.addWidget(box)
        box.setVisible(self.runs)  # (a page that plays nothing keeps a run that refuses)
        footer = self.build_footer()
        if footer is not None:
            layout.addWidget(footer)
        self.views = self.build_views()
        if self.runs:
            self.install_run(self.make_run, self.blocked, self.run_label,
                             **self.run_options())
        else:
            self.install_run(lambda last: iter(()), lambda last: self.NO_RUN, self.run_label)
        self.panel = panel
        return panel, self.views

    # ---- what a page writes ----------------------------------------------------------------
    def build_panel(self) -> QWidget | None:  # pragma: no cover - abstract
        """The page's controls above its Run box (None: only the Run box)."""
        raise NotImplementedError

    def run_extras(self) -> list[QWidget]:
        """Widgets the Run box shows under its status (a Reset with a new seed)."""
        return []

    def build_footer(self) -> QWidget | None:
        """What the column shows under the Run box (a check on the run's maths)."""
        return None

    def run_options(self) -> dict[str, Any]:
        """Options for the page's :class:`RunController` (a service, a timeline)."""
        return {}

    def build_views(self) -> QWidget:  # pragma: no cover - abstract
        raise NotImplementedError

    def make_run(self, last: Any | None):  # pragma: no cover - abstract
        raise NotImplementedError

    def blocked(self, last: Any | None) -> str | None:
        return None

    def capture(self) -> dict[str, Any]:
        """The page's fields of its tab's state, as they are now."""
        return self.binder.values()

    def restore(self, state: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def preset_state(self, preset: Any) -> dict[str, Any]:  # pragma: no cover - abstract
        """The fields of the tab's state ``preset`` sets (this page's function, domain
        and start, and its run's progress back to none)."""
        raise NotImplementedError

    def apply_preset(self, preset: Any) -> None:
        """A preset is a partial state: its fields over the tab's state now, restored on
        this page alone (the other pages keep their work)."""
        self.run.stop()
        self.restore(replace(self.host.capture(), **self.preset_state(preset)))

    def places(self) -> dict[str, QWidget]:
        return {}

    def spoiler_parts(self) -> dict[str, list]:
        return {}

    def observe(self) -> dict[str, float | bool]:
        return {}

    def nudge(self, sign: int) -> None:
        """[ and ]: move the page's point one small step back or on (default: nothing)."""

    def shown(self) -> None:
        """The page has come forward."""

    @property
    def is_shown(self) -> bool:
        return self.host.page is self


class PagedTab(TutorTab):
    """A tab that hosts pages (see the module's docstring).  A subclass sets ``Pages``;
    its ``State`` has a field ``view`` (the key of the page shown) and each other field
    is one page's."""

    Pages: ClassVar[tuple[type[Page], ...]] = ()
    panel_width: ClassVar[int] = 400

    #: The key that steps through the pages (said in each page's tooltip).
    view_key: ClassVar[str] = "V"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.PLACES = tuple(dict.fromkeys(name for page in cls.Pages for name in page.PLACES))
        cls.SPOILERS = tuple(dict.fromkeys(name for page in cls.Pages
                                           for name in page.SPOILERS))
        cls.OBSERVABLES = {name: what for page in cls.Pages
                           for name, what in page.OBSERVABLES.items()}

    def build(self) -> None:
        self.pages: tuple[Page, ...] = tuple(kind(self) for kind in self.Pages)
        panel, layout = panel_column(self.Pages[0].explanation)
        self.explanation = layout.itemAt(0).widget()
        shared = self.build_shared_panel()
        if shared is not None:
            layout.addWidget(shared)
        self.panel_stack = QStackedWidget()
        self.view_tabs = QTabWidget()
        for i, page in enumerate(self.pages):
            page_panel, views = page.build()
            page.sig_status.connect(self.sig_status)
            self.panel_stack.addWidget(page_panel)
            self.view_tabs.addTab(views, page.title)
            self.view_tabs.setTabToolTip(i, f"{page.tip} ({self.view_key})")
        layout.addWidget(self.panel_stack)
        layout.addStretch(1)
        self.set_main_layout(panel, self.view_tabs, self.panel_width)
        self._shown: Page | None = None
        self.view_tabs.currentChanged.connect(self._on_page_changed)
        self._on_page_changed(0)

    def build_shared_panel(self) -> QWidget | None:
        """Controls every page works with (a network's settings), shown above the page's
        own; built before the pages, so a page may read them."""
        return None

    # ---- the page shown --------------------------------------------------------------------
    @property
    def page(self) -> Page:
        return self.pages[self.view_tabs.currentIndex()]

    @property
    def view(self) -> str:
        return self.page.key

    def show_page(self, page: Page | str) -> Page:
        """Bring ``page`` (or the page of that key) forward."""
        if isinstance(page, str):
            page = next(p for p in self.pages if p.key == page)
        self.view_tabs.setCurrentIndex(self.pages.index(page))
        return page

    def next_view(self) -> None:
        self.view_tabs.setCurrentIndex((self.view_tabs.currentIndex() + 1) % len(self.pages))

    def _on_page_changed(self, index: int) -> None:
        page = self.pages[index]
        if self._shown is not None and self._shown is not page:
            self._shown.run.stop()  # its run stays on screen, stopped
        self._shown = page
        self.panel_stack.setCurrentIndex(index)
        # The column is as tall as the page shown, not as the tallest page.
        for i in range(self.panel_stack.count()):
            policy = QSizePolicy.Preferred if i == index else QSizePolicy.Ignored
            self.panel_stack.widget(i).setSizePolicy(policy, policy)
        self.panel_stack.adjustSize()
        self.explanation.body.setText(page.explanation)
        page.shown()

    # What the window, the keys and File > Export ask of a tab with a run: the page's.
    @property
    def run(self):
        return self.page.run

    @property
    def playback(self) -> PlaybackBar:
        return self.page.playback

    @property
    def path(self) -> list[Any]:
        return self.page.path

    @property
    def last_finish(self):
        return self.page.last_finish

    @property
    def run_label(self) -> QLabel:
        return self.page.run_label

    def play(self) -> None:
        self.page.play()

    def step(self, n: int = 1) -> None:
        self.page.step(n)

    def run_table(self):
        return self.page.run_table()

    def nudge(self, sign: int) -> None:
        self.page.nudge(sign)

    # ---- the state: the page shown and each page's fields --------------------------------
    def capture(self) -> Any:
        values = {"view": self.view}
        for page in self.pages:
            values.update(page.capture())
        names = {f.name for f in fields(self.State)}
        if set(values) != names:  # a page forgot a field, or captured one not in the state
            raise RuntimeError(f"{self.title}: the pages capture {sorted(set(values) ^ names)}"
                               " wrongly")
        return self.State(**values)

    def restore(self, state: Any) -> None:
        self.show_page(state.view)
        for page in self.pages:
            page.restore(state)

    # ---- lessons and export ----------------------------------------------------------------
    def places(self) -> dict[str, QWidget]:
        return {name: widget for page in self.pages for name, widget in page.places().items()}

    def observe(self) -> dict[str, float | bool]:
        values: dict[str, float | bool] = {}
        for page in getattr(self, "pages", ()):
            values.update(page.observe())
        return values

    def spoiler_parts(self) -> dict[str, list]:
        """Each page's parts; a readout two pages have (a verdict) is hidden on both."""
        parts: dict[str, list] = {}
        for page in self.pages:
            for name, widgets in page.spoiler_parts().items():
                parts.setdefault(name, []).extend(widgets)
        return parts

    def show_place(self, widget: QWidget | str) -> None:
        """The page holding the place comes forward first."""
        if isinstance(widget, str):
            self.ensure_built()
            widget = self.places()[widget]
        for page in self.pages:
            if page.panel.isAncestorOf(widget) or page.views.isAncestorOf(widget):
                self.show_page(page)
        super().show_place(widget)

    def export_widget(self) -> QWidget:
        return self.view_tabs.currentWidget()

    def stop_work(self) -> None:
        for page in getattr(self, "pages", ()):
            page.run.stop()
        super().stop_work()
