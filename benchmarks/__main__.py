"""How fast the tutor is, next to the fastest way to do the same work.

    python -m benchmarks [--quick] [--json FILE]

Run on a display (it starts a virtual one with Xvfb when there is none).  Every figure is
a ratio against a reference measured in the same run (alternating, several rounds,
medians) or a latency from many samples, because these machines are shared and noisy.
``--quick`` only proves that every benchmark runs; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import reference

GOALS = {
    # Raised for eight tabs (#17); first draw, typed input, the drags and peak RSS
    # raised again for the school machines (#35).
    "startup_ratio": ("<=", 1.2),
    "first_draw_ratio": ("<=", 1.5),
    "loop_latency_p99_ms": ("<=", 16.0),
    "loop_latency_max_ms": ("<=", 50.0),
    "rotate_fps": (">=", 30.0),
    "rotate_latency_p99_ms": ("<=", 33.0),
    "tab_input_p95_ms": ("<=", 150.0),
    "session_roundtrip_ms": ("<=", 300.0),
    "train_core_vs_minimal": (">=", 1.0),
    "train_core_vs_textbook": (">=", 3.5),
    "train_core_vs_torch": (">=", 3.0),
    "train_app_vs_minimal": (">=", 0.9),
    "ensemble8_vs_minimal": (">=", 4.0),
    "expr_to_surface_ms": ("<=", 60.0),
    "typed_stall_max_ms": ("<=", 50.0),
    "derivatives_redraw_median_ms": ("<=", 100.0),
    "sandpit_floor_median_ms": ("<=", 200.0),
    "sandpit_dip_median_ms": ("<=", 30.0),
    "taylor_redraw_median_ms": ("<=", 30.0),
    "taylor_typed_median_ms": ("<=", 300.0),
    "newton_basins_median_ms": ("<=", 50.0),
    "lagrange_median_ms": ("<=", 200.0),
    "lagrange_drag_latency_p99_ms": ("<=", 16.0),
    "derivatives_redraw_p95_ms": ("<=", 250.0),
    "derivatives_drag_latency_p99_ms": ("<=", 16.0),
    "text_step_p95_ms": ("<=", 200.0),
    "race_frame_ratio": ("<=", 1.5),
    "peak_rss_mb": ("<=", 300.0),
    "rss_growth_mb": ("<=", 10.0),
    # The most one random action (hostile text, files, keys, clicks) kept the GUI from
    # answering, over every tab: a freeze a learner notices (#31's fuzz run, moved here
    # from the tests, where a wall clock on a shared CI machine is no assertion).
    "action_stall_max_ms": ("<=", 1000.0),
    # The slowest refusal of work that must stay bounded: hostile typed text parsed (or
    # refused), a ten-million-row file refused, 60 Taylor orders of a long formula.
    "guard_max_ms": ("<=", 500.0),
    # A run cancelled mid-way (rate-limited, and at full speed): until its thread is joined.
    "cancel_join_max_ms": ("<=", 200.0),
    # Maps and chain rule (#33): a typed map drawn (det J map, grid, image, fold; off the
    # GUI thread) and the point dragged on the grid.
    "maps_typed_median_ms": ("<=", 150.0),
    "maps_drag_latency_p99_ms": ("<=", 16.0),
    # #35: the p99 of the time between two frames a running tab draws (a batch of its
    # run's records), the worst tab: a frame at 60 Hz is 16.7 ms, the trainer's 33 ms;
    # 50 is a stutter a learner sees.
    "jank_ms": ("<=", 50.0),
    # #35: the latency figures again with the app (and its trainer) pinned to one core,
    # as on a weak laptop.
    "one_core_loop_latency_p99_ms": ("<=", 33.0),
    "one_core_loop_latency_max_ms": ("<=", 100.0),
    "one_core_jank_ms": ("<=", 66.0),
}
#: The latency figures measured again with another process keeping one core busy: they
#: show how far the margin goes on a classroom PC that is rarely idle (no goal).
LOADED = ("loop_latency_p99_ms", "loop_latency_max_ms", "rotate_fps", "rotate_latency_p99_ms",
          "tab_input_p95_ms")
ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def process_memory_mb(pid: int) -> dict:
    """Another process's peak RSS, and its private memory (USS: what it adds to the
    machine, the shared libraries it maps being counted in the app already)."""
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = int(status.split("VmHWM:")[1].split()[0])
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    private = sum(int(line.split()[1]) for line in rollup
                  if line.startswith(("Private_Clean:", "Private_Dirty:")))
    return {"peak_rss": hwm / 1024, "private": private / 1024}


def its_per_second(fn, iterations: int) -> float:
    start = time.perf_counter()
    fn(iterations)
    return iterations / (time.perf_counter() - start)


def core_loop(iterations: int) -> None:
    from mlcalc_gui.core.network import Network, heart_curve, train

    x, y = heart_curve(100)
    for _ in train(Network(seed=0), x, y, iterations, 7.0, 1.0, seed=0):
        pass


ENSEMBLE = 8


def ensemble_loop(iterations: int) -> None:
    """Eight seeds of the course's network trained at once (one batched computation)."""
    from mlcalc_gui.core.ensemble import Ensemble, train_ensemble
    from mlcalc_gui.core.network import heart_curve

    x, y = heart_curve(100)
    for _ in train_ensemble(Ensemble(seeds=range(ENSEMBLE)), x, y, iterations, 7.0, 1.0):
        pass


def alternate(a, b, rounds: int) -> float:
    """median(a) / median(b) over alternating rounds."""
    ra, rb = [], []
    for _ in range(rounds):
        ra.append(a())
        rb.append(b())
    return statistics.median(ra) / statistics.median(rb)


# ---- figures -----------------------------------------------------------------------------
def bench_startup(quick: bool) -> dict:
    rounds = 1 if quick else 7
    # With bytecode caches, as an installed tutor starts (pip compiles what it installs;
    # a checkout writes them on its first run): a shell that sets PYTHONDONTWRITEBYTECODE
    # would have the app compile its own 150 modules from source at every start (0.1-0.2
    # s), which the bare window, all of it installed packages, never pays.
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "PYTHONDONTWRITEBYTECODE")}

    def once(kind: str) -> tuple[float, float, float]:
        out = subprocess.run([sys.executable, "-m", "benchmarks.startup_child", kind],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        painted, drawn, parsed = out.stdout.strip().splitlines()[-1].split()
        return float(painted), float(drawn), float(parsed)

    once("bare")  # warm the disk cache for both (and write the app's bytecode caches)
    once("app")
    app_times, drawn_times, parsed_times, bare_times = [], [], [], []
    for _ in range(rounds):
        painted, drawn, parsed = once("app")
        app_times.append(painted)
        drawn_times.append(drawn)
        parsed_times.append(parsed)
        bare_times.append(once("bare")[0])
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    return {"startup_ratio": app_s / bare_s,
            "first_draw_ratio": statistics.median(drawn_times) / bare_s,
            "_first_parse_ratio": statistics.median(parsed_times) / bare_s,
            "_startup_app_painted_s": app_s,
            "_startup_app_function_drawn_s": statistics.median(drawn_times),
            "_startup_app_function_parsed_s": statistics.median(parsed_times),
            "_startup_bare_painted_s": bare_s}


#: Typed text that must be refused (or parsed) in bounded time: towers, huge powers,
#: deep nesting, long text.
GUARDED_TEXTS = ("9^9^9", "10**10**10", "2^10000", "x^1000000", "exp(exp(exp(exp(10))))",
                 "x" * 10_000, "(" * 500 + "x" + ")" * 500, "-" * 300 + "x",
                 "x^x^x^x^x^x^x^x", "atan(arccos(100 ^ 1e-300))", "exp(1000 x)")


def bench_guards(quick: bool) -> dict:
    """The slowest of the bounded refusals (best of a few tries each: a bound, not an
    average)."""
    import tempfile

    import numpy as np

    from mlcalc_gui.core import fitting
    from mlcalc_gui.core import taylor as tl
    from mlcalc_gui.core.expressions import ExpressionError, parse_function

    def best_ms(work, tries: int = 1 if quick else 3) -> float:
        times = []
        for _ in range(tries):
            start = time.perf_counter()
            work()
            times.append(1000 * (time.perf_counter() - start))
        return min(times)

    def parse(text: str) -> None:
        try:
            f = parse_function(text)
        except ExpressionError:
            return
        with np.errstate(all="ignore"):
            np.asarray(f(np.linspace(-1, 1, 5), 0.5))
            f.gradient(0.3, 0.7)

    def huge_file() -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "huge.csv"
            with open(path, "wb") as fh:
                fh.truncate(10_000_000 * 6)
            try:
                fitting.load_data_file(path)
            except fitting.DataError:
                return
            raise AssertionError("a ten-million-row file was read")

    long = "tan(sin(x) + cos(x)^2) / (1 + exp(atan(x)^2)) + sqrt(2 + sin(3x)) log(3 + x^2)"
    times = {f"parse {text[:24]!r}": best_ms(lambda text=text: parse(text))
             for text in GUARDED_TEXTS}
    times["huge file refused"] = best_ms(huge_file)
    times["Taylor order 60"] = best_ms(lambda: tl.taylor_coefficients(long, 0.4, 60))
    worst = max(times, key=times.get)
    return {"guard_max_ms": times[worst], "_guard_slowest": worst}


def bench_core(quick: bool) -> dict:
    n = 300 if quick else 4000
    rounds = 1 if quick else 7
    out = {"train_core_vs_minimal": alternate(lambda: its_per_second(core_loop, n),
                                              lambda: its_per_second(reference.minimal_loop, n),
                                              rounds)}
    out["_core_its_per_s"] = its_per_second(core_loop, n)
    out["train_core_vs_textbook"] = alternate(
        lambda: its_per_second(core_loop, n),
        lambda: its_per_second(reference.textbook_loop, max(n // 4, 100)), rounds)
    # networks x iterations per second: 8 seeds at once, against one minimal loop
    out["ensemble8_vs_minimal"] = ENSEMBLE * alternate(
        lambda: its_per_second(ensemble_loop, n),
        lambda: its_per_second(reference.minimal_loop, n), rounds)
    try:
        import torch  # noqa: F401
    except ImportError:
        out["train_core_vs_torch"] = None
        out["_torch_note"] = "torch is not installed: pip install torch==2.13.0"
    else:
        out["train_core_vs_torch"] = alternate(
            lambda: its_per_second(core_loop, n),
            lambda: its_per_second(reference.torch_loop, max(n // 4, 100)), rounds)
    return out


class App:
    """The running tutor, for the in-app figures."""

    def __init__(self):
        import tempfile

        from mlcalc_gui.app import create_app

        self.qapp = create_app()
        from PySide6.QtCore import QSettings

        from mlcalc_gui.gui.shell.window import MainWindow

        settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.IniFormat)
        self.window = MainWindow(settings)
        self.window.resize(1366, 768)
        self.window.show()
        self.open("Derivatives", lambda tab: tab.function is not None)

    def open(self, title: str, ready=lambda tab: tab.built):
        """Show the tab called ``title`` once it is ``ready``, and return it."""
        titles = [self.window.tabs.tabText(i) for i in range(self.window.tabs.count())]
        self.window.tabs.setCurrentIndex(titles.index(title))
        tab = self.window.tab_by_title(title)
        self.wait(lambda: tab.built and ready(tab))
        return tab

    def wait(self, predicate, timeout: float = 60.0) -> None:
        from mlcalc_gui.gui.run.host import process_events_until

        if not process_events_until(predicate, timeout):
            raise TimeoutError("the app did not get there in time")

    def run_for(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        self.wait(lambda: time.perf_counter() > end, seconds + 5)

    def backprop(self):
        return self.open("Backpropagation")

    def start_training(self, tab) -> None:
        tab.fields["iterations"].setText("10000000")
        tab.apply_settings()
        tab.network.worker.set_rate(None)
        tab.play()
        self.wait(lambda: tab.network.worker.state == "running")

    def close(self) -> None:
        self.window.close()


def loop_lateness(app: App, seconds: float, move=None, every_ms: int = 16) -> list[float]:
    """How late a 1 ms timer fires on the GUI thread over ``seconds`` (sorted, in ms),
    while ``move()`` is called every ``every_ms`` (a mouse drag), if given."""
    from PySide6.QtCore import QTimer

    lateness: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - 0.001) * 1000)
        last[0] = now

    clock, mover = QTimer(), QTimer()
    clock.setTimerType(clock.timerType().PreciseTimer)
    clock.timeout.connect(tick)
    clock.start(1)
    if move is not None:
        mover.timeout.connect(move)
        mover.start(every_ms)
    app.run_for(seconds)
    clock.stop()
    mover.stop()
    return sorted(lateness)


def p99(values: list[float]) -> float:
    return values[int(0.99 * (len(values) - 1))]


#: Each tab's main animation, kept going at full speed: (tab, how to start it again).
def _animate(tab) -> None:
    """Keep ``tab``'s run going at full speed: a run that ended starts again."""
    tab.run.set_speed(0)
    if not tab.run.active:
        tab.run.reset()
        tab.run.play()


def bench_latency(app: App, quick: bool) -> dict:
    """How late a 1 ms timer fires on the GUI thread while each tab's main animation runs
    at full speed (its run started again whenever it ends), and while a lesson plays
    (a step every 250 ms): the worst tab's p99 and max; and the time between two frames
    each running tab draws (``jank_ms``: the worst tab's p99)."""
    from mlcalc_gui.gui.shell.registry import TAB_SPECS

    seconds = 1.0 if quick else 6.0
    per_tab: dict[str, tuple[float, float]] = {}
    jank: dict[str, float] = {}  # each tab's p99 time between two drawn frames
    for spec in TAB_SPECS:
        tab = app.open(spec.title)
        if spec.title == "Backpropagation":
            tab.reset_network()
            app.start_training(tab)
            move = None
        else:
            _animate(tab)
            move = functools.partial(_animate, tab)
        app.run_for(0.3)
        frames: list[float] = []

        def drew(_batch, frames=frames) -> None:
            frames.append(time.perf_counter())

        run = tab.run
        run.sig_records.connect(drew)
        lateness = loop_lateness(app, seconds, move)
        run.sig_records.disconnect(drew)
        tab.stop_work()
        per_tab[spec.title] = (p99(lateness), lateness[-1])
        gaps = sorted((b - a) * 1000 for a, b in zip(frames, frames[1:], strict=False))
        jank[spec.title] = p99(gaps) if len(gaps) > 1 else float("nan")
    lateness = loop_lateness(app, seconds, lesson_player(app), every_ms=250)
    app.window.lessons.leave()
    per_tab["a lesson"] = (p99(lateness), lateness[-1])
    worst = max(per_tab, key=lambda t: per_tab[t][0])
    janky = max(jank, key=lambda t: jank[t] if jank[t] == jank[t] else -1.0)
    return {"jank_ms": jank[janky], "_jank_worst_tab": janky,
            "_jank_by_tab": {t: round(v, 2) for t, v in jank.items()},
            "loop_latency_p99_ms": per_tab[worst][0],
            "loop_latency_max_ms": max(v[1] for v in per_tab.values()),
            "_loop_latency_worst_tab": worst,
            "_loop_latency_by_tab": {t: [round(a, 2), round(b, 2)]
                                     for t, (a, b) in per_tab.items()}}


def lesson_player(app: App):
    """A function that steps the built-in lessons one step a call, round and round."""
    from mlcalc_gui.core.lessons import builtin_lessons
    from mlcalc_gui.gui.shell.registry import STATE_CLASSES

    lessons = builtin_lessons(STATE_CLASSES)
    where = [0, 0]

    def step() -> None:
        lesson_index, step_index = where
        lesson = lessons[lesson_index % len(lessons)]
        if step_index == 0:
            app.window.start_lesson(lesson)
        else:
            app.window.lessons.next_step()
        where[1] += 1
        if where[1] >= len(lesson.steps):
            where[0], where[1] = lesson_index + 1, 0

    return step


def bench_rotate(app: App, quick: bool) -> dict:
    """The 3D surface dragged round continuously (an orbit every 8 ms, as a mouse sends
    moves) in a 1920 × 1080 window: frames drawn per second, and the lateness of the
    GUI thread meanwhile."""
    app.window.resize(1920, 1080)
    tab = app.open("Gradients", lambda tab: tab.function is not None)
    view = tab.landscape.surface.view
    app.wait(lambda: view.isExposed())
    frames = [0]

    def count() -> None:
        frames[0] += 1

    view.frameSwapped.connect(count)

    def drag() -> None:
        view.hands_on()  # what the view's mouse move says before it turns the camera
        view.orbit(1.5, 0.2 if frames[0] % 200 < 100 else -0.2)

    app.run_for(0.3)
    seconds = 1.5 if quick else 10.0
    frames[0] = 0
    view.set_dragging(True)  # the mouse pressed on the view (a coarser mesh, software GL)
    start = time.perf_counter()
    lateness = loop_lateness(app, seconds, drag, every_ms=8)
    fps = frames[0] / (time.perf_counter() - start)
    view.set_dragging(False)  # and let go
    view.frameSwapped.disconnect(count)
    app.window.resize(1366, 768)
    return {"rotate_fps": fps, "rotate_latency_p99_ms": p99(lateness),
            "_rotate_frames": frames[0]}


def timed_inputs(app: App, give, values, count: int) -> list[float]:
    """Milliseconds from each input, ``give(value)`` for ``count`` of ``values`` in turn,
    to the window redrawn with its result."""
    times = []
    for k in range(count):
        start = time.perf_counter()
        give(values[k % len(values)])
        app.wait(lambda: True)
        app.window.repaint()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))]


def bench_tab_inputs(app: App, quick: bool, earlier: dict) -> dict:
    """The worst tab's p95 from a typed input to its views redrawn, over that tab's
    inputs.  Derivatives, Taylor and Gradients come from their own benchmarks above
    (``earlier``); Sandpit, Backpropagation, Optimisation and Fitting are typed here."""
    n = 3 if quick else 12
    per_tab = dict(earlier)
    sandpit = app.open("Sandpit", lambda tab: tab.floor is not None)

    def step_typed(text: str) -> None:
        sandpit.step_edit.setText(text)
        sandpit.step_edit.returnPressed.emit()

    per_tab["Sandpit"] = p95(timed_inputs(app, step_typed, [
        "-0.3 J", "-H^-1 J", "-(H + 2 I)^-1 J", "-J / sqrt(J J)", "-0.5 J", "-0.1 J"], n))
    back = app.backprop()

    def hidden_typed(text: str) -> None:
        back.fields["hidden"].setText(text)
        back.apply_settings()

    per_tab["Backpropagation"] = p95(timed_inputs(
        app, hidden_typed, ["6 7", "8", "5 5", "12", "4 4 4", "10 6"], n))
    hidden_typed("6 7")
    opt = app.open("Optimisation", lambda tab: tab.lagrange.curves
                   and not tab.lagrange.search_task.busy)
    opt.view_tabs.setCurrentIndex(0)
    per_tab["Optimisation"] = p95(timed_inputs(app, opt.newton.x0_spin.setValue,
                                               [0.5, -2.0, 3.1, 1.7, -3.5, 2.2], n))
    fit = app.open("Fitting")
    per_tab["Fitting"] = p95(timed_inputs(app, fit.aggression_spin.setValue,
                                          [1500.0, 2500.0, 1000.0, 3000.0, 1800.0, 2000.0],
                                          n))
    worst = max(per_tab, key=per_tab.get)
    return {"tab_input_p95_ms": per_tab[worst], "_tab_input_worst_tab": worst,
            "_tab_input_p95_by_tab": {t: round(v, 1) for t, v in per_tab.items()}}


def bench_text_steps(app: App, quick: bool) -> dict:
    """A step of text size (Ctrl+= or Ctrl+-) in presentation mode, every tab built: the
    p95 over every tab from the key to the window laid out and painted at the new size."""
    from mlcalc_gui.gui.shell.registry import TAB_SPECS
    from mlcalc_gui.gui.shell.text_size import FONT_RANGE

    window = app.window
    for spec in TAB_SPECS:
        app.open(spec.title)
    window.enter_presentation(full_screen=False)
    times: dict[str, list[float]] = {}
    try:
        for spec in TAB_SPECS:
            app.open(spec.title)
            # The tab's own showing (brought to the scale, laid out, painted) is done
            # first: it was counted in the first step, which was then the tab switch.
            app.run_for(0.5)
            direction, steps = 1, []
            for _ in range(6 if quick else 24):
                if window._text_pt >= FONT_RANGE[1]:
                    direction = -1
                elif window._text_pt <= FONT_RANGE[0]:
                    direction = 1
                start = time.perf_counter()
                window.zoom_text_soon(direction)  # as the key does
                app.wait(lambda: not window._zoom_timer.isActive())
                # What the step posted is answered, and the window painted at the new
                # size (Qt 6 paints on its window's next update request, a timer later:
                # painting it here counts that paint in the step).
                app.qapp.sendPostedEvents()
                window.repaint()
                steps.append((time.perf_counter() - start) * 1000)
            window.zoom_text(0)
            times[spec.title] = steps
    finally:
        window.leave_presentation()
    every = [t for steps in times.values() for t in steps]
    return {"text_step_p95_ms": p95(every),
            "_text_step_p95_by_tab": {t: round(p95(v), 1) for t, v in times.items()}}


def bench_race_frame(app: App, quick: bool) -> dict:
    """A frame of the race of seeds (its eight cost lines, squares and summary drawn)
    after a million iterations, against one after a thousand: the same work a frame."""
    import numpy as np

    from mlcalc_gui.core.ensemble import EnsembleStep

    back = app.backprop()
    tab = back.show_page("race")
    tab.views.set_seeds(tab.seeds(), back.y)
    seeds = len(tab.seeds())
    costs = np.linspace(0.2, 0.002, seeds)
    params = np.zeros((seeds, 77))

    def frame_ms(total: int) -> float:
        tab.log.clear()
        for start in range(0, total + 1, 50_000):
            tab.log.extend([EnsembleStep(i, costs, np.zeros(seeds, bool),
                                              params if i % 100 == 0 else None)
                                 for i in range(start, min(start + 50_000, total + 1))])
        times = []
        for _ in range(5 if quick else 20):
            start = time.perf_counter()
            tab.draw()
            tab.views.repaint()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    small, large = frame_ms(1000), frame_ms(100_000 if quick else 1_000_000)
    tab.log.clear()
    back.show_page("network")
    return {"race_frame_ratio": large / small, "_race_frame_ms": [round(small, 2),
                                                                  round(large, 2)]}


def bench_session(app: App, quick: bool) -> dict:
    """Save and reopen a session with every tab in use (every tab has been shown and
    run): the median of both, to every tab's state applied and the window painted."""
    import tempfile

    from mlcalc_gui.gui.shell.registry import TAB_SPECS

    for spec in TAB_SPECS:
        app.open(spec.title)
    path = Path(tempfile.mkdtemp()) / "bench.mlcalc.json"
    times = []
    for _ in range(2 if quick else 9):
        start = time.perf_counter()
        app.window.save_session(path)
        if not app.window.open_session(path):
            raise RuntimeError("the session did not open")
        app.window.repaint()
        times.append((time.perf_counter() - start) * 1000)
    return {"session_roundtrip_ms": statistics.median(times),
            "_session_bytes": path.stat().st_size}


def bench_app_training(app: App, quick: bool) -> dict:
    """Iterations per second in the app with its animation on, against the minimal loop
    run in the same process between the app's rounds."""
    tab = app.backprop()
    seconds = 1.0 if quick else 4.0
    rounds = 1 if quick else 5
    app_rates, minimal_rates = [], []
    for _ in range(rounds):
        tab.reset_network()
        app.start_training(tab)
        app.run_for(0.3)
        start_it, start_t = tab.network.log.iteration, time.perf_counter()
        app.run_for(seconds)
        app_rates.append((tab.network.log.iteration - start_it) / (time.perf_counter() - start_t))
        tab.stop_work()
        minimal_rates.append(its_per_second(reference.minimal_loop, 300 if quick else 4000))
    ratio = statistics.median(app_rates) / statistics.median(minimal_rates)
    return {"train_app_vs_minimal": ratio, "_app_its_per_s": statistics.median(app_rates)}


def bench_expression(app: App, quick: bool) -> dict:
    """From a typed function submitted (Enter) to every view redrawn: the map and the
    surface at 200 x 200, the readouts, the formulas.  The check (sympy's derivatives)
    and the pictures are worked out off the GUI thread, so this is until its pictures
    are drawn and painted; and how long the GUI thread was kept from answering
    meanwhile (``typed_stall_max_ms``: a 1 ms timer's lateness while a function is typed
    every 250 ms)."""
    from PySide6.QtCore import QCoreApplication

    tab = app.open("Gradients", lambda tab: tab.function is not None)
    app.wait(lambda: not tab.landscape.pending and not tab.input.pending)
    sizes = tab.landscape.sizes
    tab.landscape.sizes = (200, 200, sizes[2])  # the figure is defined on 200 x 200 for both

    def drawn(text: str) -> bool:
        picture = tab.landscape.picture
        return picture is not None and picture.tag[0] == text

    times = []
    try:
        for k in range(3 if quick else 25):
            text = f"x^2 + {k + 2} y^2 - sin({k + 1} x) y"
            tab.input.edit.setText(text)
            start = time.perf_counter()
            tab.input.apply()
            app.wait(lambda text=text: drawn(text))
            QCoreApplication.processEvents()  # every view painted, as the window would
            tab.landscape.surface.render_now()
            times.append((time.perf_counter() - start) * 1000)
        typed = [0]

        def type_one() -> None:
            typed[0] += 1
            tab.input.edit.setText(f"{typed[0] % 7 + 1} x^2 + y^2 - sin({typed[0]} x y)")
            tab.input.apply()

        stalls = loop_lateness(app, 1.0 if quick else 5.0, type_one, every_ms=250)
        app.wait(lambda: not tab.landscape.pending and not tab.input.pending)
    finally:
        tab.landscape.sizes = sizes
    # The tab as a learner has it for what follows (its animation in bench_latency): the
    # last function drawn again at the tab's own mesh, not this figure's 200 x 200.
    tab.input.apply()
    app.wait(lambda: not tab.landscape.pending and not tab.input.pending)
    return {"expr_to_surface_ms": statistics.median(times),
            "_expr_to_surface_p95_ms": p95(times), "typed_stall_max_ms": stalls[-1]}


#: Course-level functions of week 1 (the Derivatives tab's redraw figure).
WEEK1_FUNCTIONS = (
    "x^2", "x^3 - 2x", "sin x", "e^x", "1/x", "abs(x)", "x sin(1/x)", "x^2 sin x",
    "sin(x^2)", "x/(1 + x^2)", "cos(3x)", "exp(-x^2)", "sqrt(1 + x^2)", "log(x^2 + 1)",
    "tanh(x)", "sigmoid(x)", "(x^2 + 1)^3", "x e^(-x)", "2^x", "x^x", "tan(x)",
    "sin(x) cos(x)", "(x - 1)/(x + 2)", "x^4 - 3x^2 + 1", "exp(sin(x))", "x log(x)",
    "1/(1 + exp(-2x))", "sin(x)/x", "(2x + 1)^5", "atan(x)",
)


def bench_derivatives(app: App, quick: bool) -> dict:
    """Derivatives: a typed function to every view redrawn (f, f′, the error plot and the
    typeset rule tree), and the event loop's lateness while x is dragged."""

    tab = app.open("Derivatives", lambda tab: tab.rules.typeset is not None)
    times = []
    for text in WEEK1_FUNCTIONS[: 4 if quick else None]:
        tab.input.edit.setText(text)
        start = time.perf_counter()
        tab.input.apply()
        app.wait(lambda t=text: tab.rules.typeset is not None
                 and tab.rules.typeset.steps.function.text == t)
        tab.views.repaint()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    # Drag: x moves every 16 ms (a mouse drag) while a 1 ms timer measures lateness.
    tab.input.set_input("x^2 sin x", (-4.0, 4.0))
    position = [0]

    def drag() -> None:
        position[0] += 1
        tab.f_box.sig_pressed.emit(-3.5 + (position[0] % 400) * 0.0175, 0.0)

    lateness = loop_lateness(app, 1.0 if quick else 8.0, drag)
    return {"derivatives_redraw_median_ms": statistics.median(times),
            "derivatives_redraw_p95_ms": times[int(0.95 * (len(times) - 1))],
            "derivatives_drag_latency_p99_ms": p99(lateness),
            "_derivatives_drag_moves": position[0]}


def bench_memory(app: App, quick: bool) -> dict:
    """Peak RSS after every tab's main animation (the latency benchmark animates every
    tab before this one); RSS growth over two minutes of training, two of lessons and
    50 presses each of Ctrl+= and Ctrl+- in presentation mode with a lesson open, after
    every lesson step and a few text sizes have been shown once (a first visit is not
    growth)."""
    from mlcalc_gui.core.surfaces import PRESETS

    tab = app.open("Gradients", lambda tab: tab.function is not None)
    tab.apply_preset(PRESETS[4])
    tab.worker.set_rate(None)
    tab.play()
    app.wait(lambda: not tab.worker.has_run())
    back = app.backprop()
    back.reset_network()
    app.start_training(back)
    app.run_for(1.0 if quick else 5.0)
    trainer = process_memory_mb(back.network.worker.process_id())
    back.stop_work()
    fit = app.open("Fitting")
    fit.worker.set_rate(None)
    fit.play()
    app.wait(lambda: not fit.worker.has_run())
    app_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The training process is part of the tutor: its private memory counts too.
    peak = app_peak + trainer["private"]
    # Growth: warm up (every built-in lesson's step shown once: what a first visit
    # builds, a page, a formula's image, a parsed function, is not growth), then train
    # for two minutes; the app's and the trainer's.
    from mlcalc_gui.core.lessons import builtin_lessons
    from mlcalc_gui.gui.shell.registry import STATE_CLASSES

    warm = lesson_player(app)
    for _ in range(sum(len(lesson.steps) for lesson in builtin_lessons(STATE_CLASSES))):
        warm()
        app.run_for(0.05)
        if quick:
            break
    app.window.lessons.leave()
    zoom_in_presentation(app, 1 if quick else 3)  # (its first layouts are not growth)
    back = app.backprop()
    back.reset_network()
    app.start_training(back)
    app.run_for(1.0 if quick else 10.0)
    pid = back.network.worker.process_id()
    before, trainer_before = rss_mb(), process_memory_mb(pid)["private"]
    app.run_for(2.0 if quick else 120.0)
    trainer_after = process_memory_mb(pid)["private"]
    back.stop_work()
    trained = back.network.log.iteration
    # then two minutes of the built-in lessons looping, a step every 250 ms
    loop_lateness(app, 2.0 if quick else 120.0, lesson_player(app), every_ms=250)
    app.window.lessons.leave()
    # and 50 presses of Ctrl+= and 50 of Ctrl+- in presentation mode, with a lesson open
    zoom_in_presentation(app, 2 if quick else 50)
    after = rss_mb()
    return {"peak_rss_mb": peak,
            "rss_growth_mb": (after - before) + (trainer_after - trainer_before),
            "_trained_iterations": trained, "_peak_rss_app_mb": app_peak,
            "_training_process_private_mb": trainer["private"],
            "_training_process_peak_rss_mb": trainer["peak_rss"],
            "_rss_growth_app_mb": after - before,
            "_rss_growth_training_process_mb": trainer_after - trainer_before}


def zoom_in_presentation(app: App, presses: int) -> None:
    """Presentation mode with a lesson open: ``presses`` of Ctrl+= and as many of
    Ctrl+-, each laid out (as a press the event loop has answered), then back."""
    from mlcalc_gui.core.lessons import builtin_lessons
    from mlcalc_gui.gui.shell.registry import STATE_CLASSES

    window = app.window
    window.start_lesson(builtin_lessons(STATE_CLASSES)[0])
    window.enter_presentation(full_screen=False)
    for direction in (1, -1):
        for _ in range(presses):
            window.zoom_text(direction)
            app.run_for(0.01)
    window.leave_presentation()
    window.lessons.leave()
    app.run_for(0.2)


# ---- running ------------------------------------------------------------------------------
def bench_sandpit(app: App, quick: bool) -> dict:
    """Sandpit: a new floor with its true minimum and maximum (median over 50 seeds of
    each random kind, in the core), and a dip answered on screen (click to its marker,
    list entry and message drawn; median over 25 dips of a game)."""
    import numpy as np

    from mlcalc_gui.core import sandpit as sp

    floors = []
    for kind in ("random", "rocks", "well", "multiple-minima"):
        for seed in range(5 if quick else 50):
            start = time.perf_counter()
            sp.make_floor(kind, seed)
            floors.append((time.perf_counter() - start) * 1000)
    tab = app.open("Sandpit", lambda tab: tab.floor is not None)
    tab.new_game()
    rng = np.random.default_rng(0)
    dips = []
    for x, y in rng.uniform(0.3, 5.7, (8 if quick else 25, 2)):
        if tab.game.over:
            tab.new_game()
        start = time.perf_counter()
        before = len(tab.game.dips)
        tab.dip(float(x), float(y))
        app.wait(lambda b=before: len(tab.game.dips) > b)
        tab.views.repaint()
        dips.append((time.perf_counter() - start) * 1000)
        app.wait(lambda: not tab.digger.has_run())
    return {"sandpit_floor_median_ms": statistics.median(floors),
            "sandpit_dip_median_ms": statistics.median(dips)}


def bench_taylor(app: App, quick: bool) -> dict:
    """Taylor: a new order or a moved a to its curves redrawn (median over 40 changes),
    and a typed function to its order-10 series, error and bound drawn (median over 20
    course-level functions; the bound's coefficients come from the worker)."""
    from mlcalc_gui.core import taylor as tl

    tab = app.open("Taylor", lambda tab: tab.series.function is not None
                   and tab.series._next is not None)
    page = tab.series
    redraws = []
    for k in range(10 if quick else 40):
        start = time.perf_counter()
        if k % 2:
            page.set_order(3 + k % 9)
        else:
            page.set_a(-1.0 + 0.05 * k)
        tab.view_tabs.repaint()
        redraws.append((time.perf_counter() - start) * 1000)
    typed = []
    texts = ["e^x", "sin x", "cos x", "log(1 + x)", "1/(1 - x)", "atan x", "sqrt(1 + x)",
             "x^3 - 2x", "exp(-x^2)", "x e^x", "sin(x^2)", "cosh x", "tanh x",
             "1/(2 + x^2)", "x^2 sin x", "log(2 + cos x)", "sigmoid(x)", "2^x",
             "(1 + x)^(1/3)", "sin(x)/(1 + x^2)"]
    for text in texts[:5] if quick else texts:
        start = time.perf_counter()
        page.set_order(10)
        page.input.set_input(text, (-0.9, 0.9))
        app.wait(lambda: page._next is not None)
        tab.view_tabs.repaint()
        typed.append((time.perf_counter() - start) * 1000)
    tl._cached_coefficients.cache_clear()
    return {"taylor_redraw_median_ms": statistics.median(redraws),
            "taylor_typed_median_ms": statistics.median(typed),
            "_taylor_typed_p95_ms": p95(typed)}


#: Typed pairs (f, g) for Lagrange's search: textbook and course-level constraints.
LAGRANGE_PAIRS = [
    ("x + y", "x^2 + y^2 - 1"), ("x y", "x + y - 2"), ("x^2 + y^2", "x y - 1"),
    ("x^2 y", "x^2 + y^2 - 3"), ("x - 2y", "x^2 + 4y^2 - 4"), ("exp(x y)", "x^2 + y^2 - 2"),
    ("x^2 - y^2", "x^2 + y^2 - 1"), ("x + 2y", "x^2 + y^2 - 5"), ("x y", "x^2 + 2y^2 - 1"),
    ("sin x + cos y", "x^2 + y^2 - 4"), ("3x + 4y", "x^2 + y^2 - 1"),
    ("x^3 + y^3", "x^2 + y^2 - 1"), ("log(1 + x^2) + y", "x^2 + y^2 - 2"),
    ("(x - 1)^2 + y^2", "x^2 + y^2 - 4"), ("x^2 + x y + y^2", "x + y - 1"),
    ("exp(-x^2 - y^2)", "x + y - 1"), ("x", "x^2 + y^4 - 1"),
    ("y - x^2", "x^2 + (y - 1)^2 - 1"), ("x^2 + 2y^2", "x^2 y - 1"),
    ("tanh(x) + y/2", "x^2 + y^2 - 1")]


def bench_optimisation(app: App, quick: bool) -> dict:
    """Optimisation: the basin strip (2,000 starts × 50 Newton steps; median over the
    presets and typed functions), Lagrange's search as the worker runs it (the course's
    example and 20 typed pairs; median), and the event loop's lateness while the point
    is dragged along the course's ellipse."""
    import numpy as np

    from mlcalc_gui.core import optimisation as op
    from mlcalc_gui.core.expressions import parse_function

    texts = [p.text for p in op.NEWTON_PRESETS] + ["x^3 - x - 1", "tanh x - 0.5",
                                                   "sin x - x/3", "e^x - 3", "x^4 - 2"]
    starts = np.linspace(-5, 5, 2000)
    basins = []
    for text in texts[:2] if quick else texts:
        fn = parse_function(text, ("x",))
        op.newton_basins(fn, starts, 50)  # compiled once, as when first drawn
        for _ in range(1 if quick else 5):
            start = time.perf_counter()
            op.newton_basins(fn, starts, 50)
            basins.append((time.perf_counter() - start) * 1000)
    searches = []
    pairs = [op.COURSE_LAGRANGE, *LAGRANGE_PAIRS]
    for f, g in pairs[:3] if quick else pairs:
        F, G = parse_function(f, ("x", "y")), parse_function(g, ("x", "y"))
        start = time.perf_counter()
        op.lagrange_points(F, G)
        searches.append((time.perf_counter() - start) * 1000)
    tab = app.open("Optimisation", lambda tab: tab.lagrange.curves
                   and not tab.lagrange.search_task.busy)
    tab.view_tabs.setCurrentIndex(2)
    app.wait(lambda: not tab.lagrange.search_task.busy)
    curve = tab.lagrange.curves[0]
    position = [0]

    def drag() -> None:
        position[0] += 1
        x, y = curve.points[(position[0] * 2) % len(curve.s)]
        tab.lagrange.lmap._vb.sig_pressed.emit(float(x) + 0.01, float(y) + 0.01)

    lateness = loop_lateness(app, 1.0 if quick else 8.0, drag)
    return {"newton_basins_median_ms": statistics.median(basins),
            "lagrange_median_ms": statistics.median(searches),
            "lagrange_drag_latency_p99_ms": p99(lateness),
            "_lagrange_drag_moves": position[0]}


def in_app_figures(quick: bool, *flags: str) -> dict:
    """The figures measured inside the running tutor, in a process of their own (so no
    reference library, torch above all, counts toward its memory)."""
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--in-app", *flags]
                         + (["--quick"] if quick else []),
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_on_one_core(quick: bool) -> dict:
    """The latency figures with this process (the app) and the trainer it starts pinned
    to one core: a weak laptop.  Linux only (sched_setaffinity); elsewhere, none."""
    if not hasattr(os, "sched_setaffinity"):
        return {"_one_core_note": "no sched_setaffinity on this system: not measured"}
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})  # children (the trainer) inherit it
    app = App()
    try:
        figures = bench_latency(app, quick)
    finally:
        app.close()
    return {"one_core_loop_latency_p99_ms": figures["loop_latency_p99_ms"],
            "one_core_loop_latency_max_ms": figures["loop_latency_max_ms"],
            "one_core_jank_ms": figures["jank_ms"],
            "_one_core_by_tab": figures["_loop_latency_by_tab"],
            "_one_core_jank_by_tab": figures["_jank_by_tab"]}


#: Maps typed into the Maps page: the presets' kinds and a few more.
TYPED_MAPS = [("x cos(y)", "x sin(y)"), ("x + 0.8 y", "y"), ("x^2", "y"),
              ("exp(x) cos(y)", "exp(x) sin(y)"), ("x^2 - y^2", "2x y"),
              ("sin(x + y)", "cos(x - y)"), ("x cos(x^2 + y^2) - y sin(x^2 + y^2)",
                                              "x sin(x^2 + y^2) + y cos(x^2 + y^2)"),
              ("sigmoid(1.5 x - y + 0.3)", "sigmoid(0.5 x + 2 y - 0.5)"),
              ("x^3 - 3x y^2", "3x^2 y - y^3"), ("tanh(x) + y", "x tanh(y)")]


def bench_maps(app: App, quick: bool) -> dict:
    """Maps and chain rule: a typed map to everything drawn (median over ten maps typed
    twice), and the event loop's lateness while the point is dragged over the grid."""
    tab = app.open("Maps and chain rule", lambda tab: tab.map_page.u is not None)
    tab.show_page("map")
    page = tab.map_page
    app.wait(lambda: not page.map_task.busy)
    typed = []
    for u, v in (TYPED_MAPS[:3] if quick else TYPED_MAPS * 2):
        start = time.perf_counter()
        page.input.set_input((u, v), (-2.0, 2.0, -2.0, 2.0))
        app.wait(lambda: not page.map_task.busy)
        tab.view_tabs.repaint()
        typed.append((time.perf_counter() - start) * 1000)
    page.input.set_input(("x cos(y)", "x sin(y)"), (0.2, 2.0, 0.0, 6.28))
    app.wait(lambda: not page.map_task.busy)
    position = [0]

    def drag() -> None:
        position[0] += 1
        t = position[0] / 40
        page.grid_view._vb.sig_pressed.emit(1.1 + 0.7 * math.cos(t), 3.1 + 2.5 * math.sin(t))

    lateness = loop_lateness(app, 1.0 if quick else 8.0, drag)
    return {"maps_typed_median_ms": statistics.median(typed),
            "maps_drag_latency_p99_ms": p99(lateness), "_maps_drag_moves": position[0]}


def bench_cancel(app: App, quick: bool) -> dict:
    """A run cancelled mid-way, until its thread is joined: the Gradients descent slowed to
    one record a second (the worker waits between records) and at 200 a second (at full
    speed a descent may end before it can be cancelled)."""
    tab = app.open("Gradients", lambda tab: tab.function is not None)
    # A bowl from off its centre: the earlier benchmarks leave the tab with whatever they
    # typed last, where a descent may be refused or end at once.
    tab.input.set_input("x^2 + y^2", (-2.0, 2.0, -2.0, 2.0))
    tab.set_point(1.5, 1.0)
    times = []
    for rate in [1, 200] * (1 if quick else 5):
        tab.worker.set_rate(rate)
        tab.steps_spin.setValue(100000)
        tab.play()
        app.wait(lambda: tab.worker.state == "running")
        start = time.perf_counter()
        tab.worker.cancel()
        times.append(1000 * (time.perf_counter() - start))
        assert not tab.worker.is_alive()
        tab.run.reset()
    tab.worker.set_rate(None)
    return {"cancel_join_max_ms": max(times)}


def bench_actions(app: App, quick: bool) -> dict:
    """Random actions on every tab (benchmarks.actions, the fuzz test's), with the file
    dialog handing back special and malformed files: the slowest action, and which."""
    import random
    import tempfile

    from PySide6.QtWidgets import QFileDialog

    from benchmarks.actions import make_files, random_actions

    files = make_files(Path(tempfile.mkdtemp()))
    rng = random.Random("benchmark-actions")
    real = QFileDialog.getOpenFileName, QFileDialog.getSaveFileName
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (rng.choice(files), ""))
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: ("", ""))
    slowest, took_all = (0.0, ""), []
    try:
        for spec_title in [app.window.tabs.tabText(i) for i in range(app.window.tabs.count())]:
            tab = app.open(spec_title)
            app.wait(lambda tab=tab: not tab.working)
            for what, took in random_actions(tab, rng, 8 if quick else 60):
                took_all.append(took)
                slowest = max(slowest, (took, f"{spec_title}: {what}"))
            tab.stop_work()
    finally:
        QFileDialog.getOpenFileName, QFileDialog.getSaveFileName = real
    return {"action_stall_max_ms": 1000 * slowest[0],
            "_action_slowest": slowest[1],
            "_action_p95_ms": round(1000 * p95(took_all), 1)}


def run_in_app(quick: bool) -> dict:
    results: dict = {}
    app = App()
    try:
        results.update(bench_derivatives(app, quick))
        results.update(bench_sandpit(app, quick))
        results.update(bench_taylor(app, quick))
        results.update(bench_optimisation(app, quick))
        results.update(bench_maps(app, quick))
        results.update(bench_expression(app, quick))
        earlier = {"Derivatives": results["derivatives_redraw_p95_ms"],
                   "Taylor": results["_taylor_typed_p95_ms"],
                   "Gradients": results["_expr_to_surface_p95_ms"]}
        results.update(bench_tab_inputs(app, quick, earlier))
        results.update(bench_latency(app, quick))
        results.update(bench_rotate(app, quick))
        results.update(bench_session(app, quick))
        results.update(bench_text_steps(app, quick))
        results.update(bench_race_frame(app, quick))
        results.update(bench_app_training(app, quick))
        with busy_core():
            typed = {**bench_derivatives(app, quick), **bench_taylor(app, quick),
                     **bench_expression(app, quick)}
            loaded = {**bench_latency(app, quick), **bench_rotate(app, quick),
                      **bench_tab_inputs(app, quick, {
                          "Derivatives": typed["derivatives_redraw_p95_ms"],
                          "Taylor": typed["_taylor_typed_p95_ms"],
                          "Gradients": typed["_expr_to_surface_p95_ms"]})}
        results.update({f"{key}_loaded": loaded[key] for key in LOADED})
        results.update(bench_memory(app, quick))
        results.update(bench_cancel(app, quick))
        results.update(bench_actions(app, quick))  # last: it leaves every tab changed
    finally:
        app.close()
    return results


class busy_core:  # noqa: N801 (a context manager read as a phrase)
    """Another process keeping one core busy while the block runs."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc) -> None:
        self.process.kill()
        self.process.wait()


def verdict(key: str, value) -> str:
    if value is None:
        return "skipped"
    op, goal = GOALS[key]
    ok = value <= goal if op == "<=" else value >= goal
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only prove every benchmark runs")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--in-app", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one-core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.pop("QT_QPA_PLATFORM", None)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # No screen: run again on a virtual one (Debian's xvfb package has xvfb-run).
        argv = sys.argv[1:] if argv is None else argv
        os.execvp("xvfb-run", ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24",
                               sys.executable, "-m", "benchmarks", *argv])
    if args.in_app:
        run = run_on_one_core if args.one_core else run_in_app
        print(json.dumps(run(args.quick)))
        return 0
    results: dict = {}
    results.update(bench_core(args.quick))
    results.update(bench_guards(args.quick))
    results.update(bench_startup(args.quick))
    results.update(in_app_figures(args.quick))
    results.update(in_app_figures(args.quick, "--one-core"))
    machine = f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, " \
              f"{platform.python_implementation()} {platform.python_version()}, " \
              f"{platform.platform(terse=True)}"
    lines = [f"{'figure':<30} {'value':>10}  {'goal':>8}  verdict"]
    for key, (op, goal) in GOALS.items():
        value = results.get(key)
        shown = "—" if value is None else f"{value:.3g}"
        line = f"{key:<30} {shown:>10}  {op}{goal:>6g}  {verdict(key, value)}"
        if key in LOADED:
            loaded = results.get(f"{key}_loaded")
            line += f"   loaded: {'—' if loaded is None else f'{loaded:.3g}'}"
        lines.append(line)
    print("\n".join(lines))
    print(f"\nmachine: {machine}{'  (quick: figures not meaningful)' if args.quick else ''}")
    for key in sorted(k for k in results if k.startswith("_")):
        print(f"  {key[1:]}: {results[key]}")
    if args.json:
        payload = {k: results.get(k) for k in GOALS}
        payload.update({f"{k}_loaded": results.get(f"{k}_loaded") for k in LOADED})
        payload["details"] = {k[1:]: v for k, v in results.items() if k.startswith("_")}
        payload["machine"] = machine
        payload["quick"] = args.quick
        Path(args.json).write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
