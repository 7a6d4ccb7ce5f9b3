"""F1: every key the tutor answers, in a window that scrolls and searches, grouped by
tab with the tab shown first, then the window's own keys, then the other tabs.

Each tab declares its keys (``TutorTab.shortcuts`` and its clicker), so the list is made
from the declarations and can never disagree with what the keys do.  Everything is
plain text in a tree: nothing in it is read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ShortcutWindow", "shortcut_groups"]

Group = tuple[str, list[tuple[str, str]]]


def shortcut_groups(window_keys: Sequence[tuple[str, str]], tabs: Sequence[tuple[str, type]],
                    current: int) -> list[Group]:
    """(title, [(key, what it does)]) for the tab ``current`` first, then the window's
    keys, then the other tabs in course order.  ``tabs`` is (title, tab class) pairs."""
    def keys_of(cls) -> list[tuple[str, str]]:
        return [("Page Down / Page Up", cls.clicker.what),
                *((s.key, s.text) for s in cls.shortcuts)]

    groups: list[Group] = []
    if 0 <= current < len(tabs):
        title, cls = tabs[current]
        groups.append((f"{title} (this tab)", keys_of(cls)))
    groups.append(("Everywhere", list(window_keys)))
    groups += [(title, keys_of(cls)) for i, (title, cls) in enumerate(tabs) if i != current]
    return groups


class ShortcutWindow(QDialog):
    """The F1 window: a search field over a tree of the groups (all open), no taller
    than the screen; typing keeps the rows whose key or words hold what is typed."""

    def __init__(self, groups: Sequence[Group], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search keys and what they do (for example: order, "
                                       "play, lesson)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Shows only the keys whose name or words hold what you type")
        self.search.textChanged.connect(self.filter)
        layout.addWidget(self.search)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Key", "What it does"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setRootIsDecorated(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        for title, rows in groups:
            group = QTreeWidgetItem([title])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for key, text in rows:
                QTreeWidgetItem(group, [key, text])
        self.tree.expandAll()
        layout.addWidget(self.tree, 1)
        self.empty = QLabel("No key matches: try fewer letters.")
        self.empty.setVisible(False)
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fit_screen()
        self.search.setFocus()

    def _fit_screen(self) -> None:
        screen = (self.parentWidget().screen() if self.parentWidget() is not None
                  else QGuiApplication.primaryScreen())
        free = screen.availableGeometry() if screen is not None else None
        width, height = 760, 640
        if free is not None:
            width, height = min(width, int(free.width() * 0.9)), min(height,
                                                                     int(free.height() * 0.85))
        self.resize(width, height)
        self.setMaximumHeight(free.height() if free is not None else 16777215)

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        shown = 0
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            any_row = False
            for j in range(group.childCount()):
                row = group.child(j)
                match = not needle or needle in row.text(0).lower() or \
                    needle in row.text(1).lower() or needle in group.text(0).lower()
                row.setHidden(not match)
                any_row |= match
                shown += match
            group.setHidden(not any_row)
        self.empty.setVisible(shown == 0)

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, key, what) of every row shown."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group.isHidden():
                continue
            out += [(group.text(0), group.child(j).text(0), group.child(j).text(1))
                    for j in range(group.childCount()) if not group.child(j).isHidden()]
        return out
