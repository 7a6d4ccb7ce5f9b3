"""Train a network in a process of its own, streaming its records back.

    python -m mlcalc_gui.core.training_process

Why a process: training is thousands of small numpy steps a second, each mostly Python.
In a thread it would hold the interpreter lock against the GUI's drawing, so the window
would stutter and both would slow down.  A process of its own trains at full speed on
one core while the GUI draws on another.  It runs the same loop as the thread worker
(:func:`mlcalc_gui.core.runner.run`) over the same :func:`~mlcalc_gui.core.network.train`.

The protocol is plain data both ways, never pickle:

* **in** (stdin): one JSON object per line, each with ``"op"``: ``start`` (with ``run``,
  ``job`` (one network, or ``"kind": "race"``: several seeds at once), ``paused``,
  ``rate``, ``interval``), ``pause``, ``resume``, ``step`` (``n``),
  ``rate`` (``value``) and ``cancel``.  End of input ends the process.
* **out** (stdout): frames of a 9-byte header ``(kind, run, length)`` and a payload:
  ``B`` a batch of records (:func:`encode_steps`), ``M`` the model's parameters (float64,
  sent before each stop is reported, so the GUI can show exactly where it stopped),
  ``S`` a state (UTF-8), ``D`` the end of a run (JSON ``[kind, message]``).
"""

from __future__ import annotations

import json
import os
import queue
import struct
import sys
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np

from mlcalc_gui.core import runner
from mlcalc_gui.core.ensemble import Ensemble, EnsembleStep, train_ensemble
from mlcalc_gui.core.network import ACTIVATIONS, Network, TrainStep, train
from mlcalc_gui.core.runner import Service, encode_frame

__all__ = ["TRAINING_SERVICE", "RACE_SERVICE", "decode_steps", "encode_steps", "decode_race",
           "encode_race", "job_spec", "race_spec", "serve"]

BATCH = struct.Struct("<III")  # records, snapshots, parameters per snapshot


def encode_steps(records: list[TrainStep]) -> bytes:
    """Records as arrays: iterations, costs, and the snapshots with their positions."""
    snaps = [(i, r.parameters) for i, r in enumerate(records) if r.parameters is not None]
    width = snaps[0][1].size if snaps else 0
    return b"".join([
        BATCH.pack(len(records), len(snaps), width),
        np.fromiter((r.iteration for r in records), np.int64, len(records)).tobytes(),
        np.fromiter((r.cost for r in records), np.float64, len(records)).tobytes(),
        np.array([i for i, _ in snaps], np.int64).tobytes(),
        b"".join(p.astype(np.float64, copy=False).tobytes() for _, p in snaps),
    ])


def decode_steps(payload: bytes) -> tuple[TrainStep, ...]:
    """The inverse of :func:`encode_steps`; snapshots come back read-only."""
    n, m, width = BATCH.unpack_from(payload)
    offset = BATCH.size
    iterations = np.frombuffer(payload, np.int64, n, offset).tolist()
    offset += 8 * n
    costs = np.frombuffer(payload, np.float64, n, offset).tolist()
    offset += 8 * n
    where = np.frombuffer(payload, np.int64, m, offset).tolist()
    offset += 8 * m
    params = np.frombuffer(payload, np.float64, m * width, offset).reshape(m, width)
    snapshots = dict(zip(where, params, strict=True))
    return tuple(TrainStep(it, cost, snapshots.get(i))
                 for i, (it, cost) in enumerate(zip(iterations, costs, strict=True)))


RACE = struct.Struct("<IIII")  # records, networks, snapshots, parameters per network


def encode_race(records: list[EnsembleStep]) -> bytes:
    """A race's records as arrays: iterations, costs and diverged flags (records ×
    networks), and the snapshots (networks × parameters) with their positions."""
    n = len(records)
    s = records[0].costs.size if records else 0
    snaps = [(i, r.parameters) for i, r in enumerate(records) if r.parameters is not None]
    width = snaps[0][1].shape[1] if snaps else 0
    return b"".join([
        RACE.pack(n, s, len(snaps), width),
        np.fromiter((r.iteration for r in records), np.int64, n).tobytes(),
        np.array([r.costs for r in records], np.float64).reshape(n, s).tobytes(),
        np.array([r.diverged for r in records], np.uint8).reshape(n, s).tobytes(),
        np.array([i for i, _ in snaps], np.int64).tobytes(),
        b"".join(p.astype(np.float64, copy=False).tobytes() for _, p in snaps),
    ])


def decode_race(payload: bytes) -> tuple[EnsembleStep, ...]:
    """The inverse of :func:`encode_race`; arrays come back read-only."""
    n, s, m, width = RACE.unpack_from(payload)
    offset = RACE.size
    iterations = np.frombuffer(payload, np.int64, n, offset).tolist()
    offset += 8 * n
    costs = np.frombuffer(payload, np.float64, n * s, offset).reshape(n, s)
    offset += 8 * n * s
    diverged = np.frombuffer(payload, np.uint8, n * s, offset).reshape(n, s).astype(bool)
    diverged.flags.writeable = False
    offset += n * s
    where = np.frombuffer(payload, np.int64, m, offset).tolist()
    offset += 8 * m
    params = np.frombuffer(payload, np.float64, m * s * width, offset).reshape(m, s, width)
    snapshots = dict(zip(where, params, strict=True))
    return tuple(EnsembleStep(it, costs[i], diverged[i], snapshots.get(i))
                 for i, it in enumerate(iterations))


#: Training as a service: a GUI worker runs jobs in ``python -m`` this module, a process
#: of its own that shares no interpreter lock with the drawing.
TRAINING_SERVICE = Service(__name__ if __name__ != "__main__" else
                           "mlcalc_gui.core.training_process", decode_steps)


#: A race of seeds (an :class:`Ensemble`) trained by the same process, records decoded
#: by :func:`decode_race`.
RACE_SERVICE = Service(TRAINING_SERVICE.module, decode_race)


def race_spec(sizes, activation: str, seeds, x: np.ndarray, y: np.ndarray,
              iterations: int, aggression: float, noise: float, snapshot_every: int = 100,
              parameters: np.ndarray | None = None, start_iteration: int = 0,
              noise_seeds=None) -> dict:
    """A race of the networks of ``seeds`` as plain data (from their first weights, or
    from ``parameters``, networks × parameters, at ``start_iteration``); network k
    draws its noise from ``noise_seeds[k]`` (by default its seed)."""
    spec = {"kind": "race", "sizes": [int(v) for v in sizes], "activation": activation,
            "seeds": [int(v) for v in seeds],
            "noise_seeds": [int(v) for v in (seeds if noise_seeds is None else noise_seeds)],
            "x": np.asarray(x, float).tolist(),
            "y": np.asarray(y, float).tolist(), "iterations": int(iterations),
            "aggression": float(aggression), "noise": float(noise),
            "snapshot_every": int(snapshot_every), "start_iteration": int(start_iteration)}
    if parameters is not None:
        spec["parameters"] = np.asarray(parameters, float).tolist()
    return spec


def _job_data(job: dict, parameters: np.ndarray, required: bool) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """The job's parameters copied into ``parameters`` (if given, or ``required``), and
    its training data (x, y), each checked."""
    if required or "parameters" in job:
        given = np.asarray(job["parameters"], dtype=float)
        if given.shape != parameters.shape:
            raise ValueError("the parameters do not fit the layer sizes")
        parameters[:] = given
    x = np.asarray(job["x"], dtype=float)
    y = np.asarray(job["y"], dtype=float)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError("x and y must be (inputs, N) and (outputs, N)")
    return x, y


def _build_race(job: dict) -> tuple[Ensemble, Iterator[EnsembleStep]]:
    if job.get("activation") not in ACTIVATIONS:
        raise ValueError("unknown activation")
    seeds = [int(v) for v in job["seeds"]]
    if not 1 <= len(seeds) <= 64:
        raise ValueError("a race has 1 to 64 seeds")
    ensemble = Ensemble(job["sizes"], seeds, job["activation"])
    x, y = _job_data(job, ensemble.parameters, required=False)
    gen = train_ensemble(ensemble, x, y, int(job["iterations"]), float(job["aggression"]),
                         float(job["noise"]), [int(v) for v in job["noise_seeds"]],
                         snapshot_every=int(job["snapshot_every"]),
                         start_iteration=int(job.get("start_iteration", 0)))
    return ensemble, gen


def job_spec(net: Network, x: np.ndarray, y: np.ndarray, iterations: int,
             aggression: float, noise: float, seed: int, snapshot_every: int = 100,
             start_iteration: int = 0) -> dict:
    """A training run as plain data (the arguments of ``train``), for ``start``."""
    return {"sizes": list(net.sizes), "activation": net.hidden_activation,
            "parameters": net.parameters.tolist(), "x": np.asarray(x, float).tolist(),
            "y": np.asarray(y, float).tolist(), "iterations": int(iterations),
            "aggression": float(aggression), "noise": float(noise), "seed": int(seed),
            "snapshot_every": int(snapshot_every), "start_iteration": int(start_iteration)}


def _build(job: dict) -> tuple[Any, Iterator[Any], Any]:
    """The model a job trains, its records, and how a batch of them is encoded."""
    if job.get("kind") == "race":
        return (*_build_race(job), encode_race)
    return (*_build_network(job), encode_steps)


def _build_network(job: dict) -> tuple[Network, Iterator[TrainStep]]:
    if job.get("activation") not in ACTIVATIONS:
        raise ValueError("unknown activation")
    net = Network(job["sizes"], 0, job["activation"])
    x, y = _job_data(job, net.parameters, required=True)
    gen = train(net, x, y, int(job["iterations"]), float(job["aggression"]),
                float(job["noise"]), seed=int(job["seed"]),
                snapshot_every=int(job["snapshot_every"]),
                start_iteration=int(job["start_iteration"]))
    return net, gen


class _Commands(threading.Thread):
    """Reads the command lines; runs are queued, controls apply to the newest run."""

    def __init__(self, stream: BinaryIO):
        super().__init__(daemon=True)
        self.stream = stream
        self.runs: queue.Queue[tuple[int, dict, runner.Control, float] | None] = queue.Queue()
        self.control: runner.Control | None = None

    def run(self) -> None:
        for line in self.stream:
            try:
                command = json.loads(line)
                self._apply(command)
            except (ValueError, KeyError, TypeError) as exc:
                sys.stderr.write(f"training process: bad command ignored ({exc})\n")
        if self.control is not None:
            self.control.update(cancelled=True)
        self.runs.put(None)

    def _apply(self, command: dict[str, Any]) -> None:
        op = command["op"]
        if op == "start":
            if self.control is not None:
                self.control.update(cancelled=True)
            rate = command.get("rate")
            self.control = runner.Control(bool(command.get("paused")),
                                          float(rate) if rate else None)
            self.runs.put((int(command["run"]), command["job"], self.control,
                           float(command.get("interval", 1 / 30))))
            return
        ctl = self.control
        if ctl is None:
            return
        if op == "pause":
            ctl.update(paused=True)
        elif op == "resume":
            ctl.update(paused=False, steps_left=0)
        elif op == "step":
            ctl.add_steps(max(int(command["n"]), 0))
        elif op == "rate":
            value = command.get("value")
            ctl.update(rate=float(value) if value else None)
        elif op == "cancel":
            ctl.update(cancelled=True)
        else:
            raise ValueError(f"unknown op {op!r}")


def serve(commands_in: BinaryIO, frames_out: BinaryIO) -> None:
    """Run jobs from ``commands_in`` one after another until it ends."""
    commands = _Commands(commands_in)
    commands.start()
    write_lock = threading.Lock()

    def send(kind: bytes, run: int, payload: bytes) -> None:
        with write_lock:
            frames_out.write(encode_frame(kind, run, payload))
            frames_out.flush()

    while (item := commands.runs.get()) is not None:
        run_id, job, ctl, interval = item
        try:
            net, gen, encode = _build(job)
        except (ValueError, KeyError, TypeError) as exc:
            send(b"D", run_id, json.dumps(["error", f"a bad training job: {exc}"]).encode())
            continue

        def say_state(state: str, run_id=run_id, net=net) -> None:
            if state == "paused":
                send(b"M", run_id, net.parameters.tobytes())
            send(b"S", run_id, state.encode())

        kind, message = runner.run(gen, ctl, interval,
                                   lambda records, r=run_id, e=encode: send(b"B", r,
                                                                            e(records)),
                                   say_state)
        # train() never applies a bad update, so this is the last good network.
        send(b"M", run_id, net.parameters.tobytes())
        send(b"D", run_id, json.dumps([kind, message]).encode())


def main() -> int:
    # Frames own the real stdout; anything printed by mistake goes to stderr instead.
    frames_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        serve(sys.stdin.buffer, frames_out)
    except BrokenPipeError:  # the GUI has gone
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
