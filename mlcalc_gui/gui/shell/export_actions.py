"""The main window's export menu: where to save, and what is said when it is saved
(the writing itself is gui.shell.export)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from mlcalc_gui.core.export_files import GIF_WIDTH
from mlcalc_gui.gui.shell.export import (
    NOTHING_TO_ANIMATE,
    RunAnimation,
    choose_gif_options,
    choose_png_size,
    export_table,
    export_widget,
    run_frames,
)
from mlcalc_gui.gui.shell.registry import TAB_SPECS

#: What each export saves, and its file dialog's filter.
EXPORTS = {"png": ("view", "PNG image (*.png)"), "svg": ("view", "SVG drawing (*.svg)"),
           "csv": ("run", "CSV table (*.csv)"), "gif": ("run", "Animated GIF (*.gif)")}


class ExportsMixin:
    """File > Export: the view as PNG or SVG, the run as a CSV table or an animated GIF."""

    def export_dialog(self, kind: str) -> None:
        """Ask where to save the view (png, svg) or the run (csv, gif), and save it."""
        name = TAB_SPECS[self.tabs.currentIndex()].title.lower().replace(" ", "-")
        what, filters = EXPORTS[kind]
        start = str(Path(self.stored_folder("export_dir")) / f"{name}.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export {what} as {kind.upper()}",
                                              start, filters)
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        if kind == "gif":
            options = choose_gif_options(self, self.current_tab())
            if options is not None:
                self.export_animation(path, *options)
        elif kind == "csv":
            self.export_run_table(path)
        elif kind == "png":
            factor = choose_png_size(self, self.current_tab().export_widget())
            if factor is not None:
                self._write(path, lambda p: self.export_view(p, factor), "export_dir",
                            f"Saved {path}")
        else:
            self._write(path, self.export_view, "export_dir", f"Saved {path}")

    def export_run_table(self, path: str) -> None:
        """Save the current tab's run as CSV (a tab with no run yet says so)."""
        tab = self.current_tab()
        rows = []
        try:
            self._write(path, lambda p: rows.append(export_table(tab, p)), "export_dir",
                        f"Saved {path}")
        except ValueError as exc:
            self.show_status(str(exc))
            return
        if rows:
            self.show_status(f"Saved {path}: {rows[0]:,} records")

    def export_animation(self, path: str, view: QWidget | None = None,
                         width: int | None = None) -> RunAnimation | None:
        """Save the current tab's run as an animated GIF of ``view`` (the whole view by
        default) ``width`` pixels wide, with a progress dialog; the export (its
        ``sig_done`` comes when the file is written)."""
        tab = self.current_tab()
        if len(run_frames(tab)) < 2:
            self.show_status(NOTHING_TO_ANIMATE)
            return None
        animation = RunAnimation(tab, path, self, view=view,
                                 width=width or GIF_WIDTH)
        animation.sig_done.connect(lambda p, n: self._on_exported(p, f"{n} frames"))
        animation.sig_failed.connect(lambda message: self.warn("Not saved", message))
        animation.sig_cancelled.connect(lambda: self.show_status("Export cancelled"))
        self._animation = animation  # kept until the next export
        animation.start()
        return animation

    def _on_exported(self, path: str, what: str) -> None:
        self.settings.setValue("export_dir", str(Path(path).parent))
        self.show_status(f"Saved {path}: {what}")

    def _write(self, path: str, write, folder_key: str, done: str) -> None:
        """``write(path)``; a failure is said in a message, a success in the status bar,
        and the folder is remembered for the next dialog."""
        try:
            write(path)
        except OSError as exc:
            self.warn("Not saved", f"Could not write {path}:\n{exc}")
            return
        self.settings.setValue(folder_key, str(Path(path).parent))
        self.show_status(done)

    def export_view(self, path: str, scale: float = 1.0) -> None:
        """Save the current tab's view as PNG (``scale`` times its size) or SVG (chosen by
        the file's ending)."""
        export_widget(self.current_tab().export_widget(), path, scale)
