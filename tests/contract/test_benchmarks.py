"""The benchmark suite runs end to end (--quick: its figures mean nothing, only that every
benchmark works) and writes every key.  Speed is never asserted here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import GOALS, LOADED
from benchmarks.reference import minimal_loop


@pytest.mark.slow
def test_quick_benchmarks_write_every_key(tmp_path):
    out = tmp_path / "bench.json"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
                            cwd=root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert set(GOALS) <= set(figures)
    for key in GOALS:
        value = figures[key]
        if key == "train_core_vs_torch" and value is None:
            assert "torch" in figures["details"]["torch_note"]
            continue
        assert isinstance(value, float) and value == value, key
    for key in LOADED:  # the latency figures again, with another process busy
        value = figures[f"{key}_loaded"]
        assert isinstance(value, float) and value == value, key
    assert set(figures["details"]["loop_latency_by_tab"]) >= {"Derivatives", "Gradients",
                                                              "Sandpit", "Backpropagation",
                                                              "Taylor", "Optimisation",
                                                              "Fitting", "a lesson"}
    assert "startup_ratio" in result.stdout and "figure" in result.stdout


def test_the_minimal_reference_is_the_same_algorithm():
    """Same seed, same noise draws, same initial weights: the reference ends where the
    core's train() ends (up to rounding), so the speed ratio compares like with like."""
    from mlcalc_gui.core.network import Network, heart_curve, train

    x, y = heart_curve(100)
    rng = __import__("numpy").random.default_rng(0)
    net = Network(seed=0)
    # The reference draws W1, W2, W3 then b1, b2, b3; lay the core's network out the same.
    for w in net.weights:
        w[...] = rng.standard_normal(w.shape) / 2
    for b in net.biases:
        b[...] = rng.standard_normal(b.shape) / 2
    # ...and the noise: the reference draws one xi per Jacobian in the order W3 b3 W2 b2
    # W1 b1, the core in W1 b1 W2 b2 W3 b3, so compare without noise.
    records = list(train(net, x, y, 200, aggression=7, noise=0))
    # The reference's cost is computed before its update, so after 200 passes it reports
    # the state after 199 updates: record 199.
    expected = records[199].cost
    assert abs(minimal_loop(200, seed=0, noise=0) - expected) < 1e-12 + 1e-9 * expected
    assert records[199].cost != records[200].cost
