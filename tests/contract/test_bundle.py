"""The tutor as a school installs it without Python: ``scripts/bundle.sh`` builds a
one-folder bundle, which is copied to a fresh folder and run there with no Python
environment on the path: every tab drawn, and training in a process of its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # the build takes minutes (README: the fast command)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The bundle, built by the script as a user would run it, then moved: the copy in
    a folder of its own is all there is, and its environment has no Python in it."""
    base = tmp_path_factory.mktemp("bundle")
    built = subprocess.run(["bash", "scripts/bundle.sh", str(base / "dist")], cwd=ROOT,
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    folder = base / "school" / "mlcalc-gui"
    shutil.copytree(base / "dist" / "mlcalc-gui", folder, symlinks=True)
    shutil.rmtree(base / "dist")
    home = base / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    for name in ("DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR"):  # the test's own X server
        if name in os.environ:
            env[name] = os.environ[name]
    program = folder / ("mlcalc-gui.exe" if os.name == "nt" else "mlcalc-gui")
    assert program.is_file()
    return program, env, base


def test_the_bundle_draws_every_tab_from_a_folder_of_its_own(bundle, screenshot_names):
    program, env, base = bundle
    shots = base / "shots"
    start = time.perf_counter()
    run = subprocess.run([str(program), "--screenshot", str(shots), "--size", "1366x768"],
                         cwd=base, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert {p.name for p in shots.glob("*.png")} == screenshot_names
    from PySide6.QtGui import QImage

    for path in shots.glob("*.png"):
        image = QImage(str(path))
        assert image.width() == 1366 and image.height() == 768, path.name
        colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
        assert len(colours) > 200, f"{path.name}: a blank or nearly blank window"
    print(f"bundle: {len(screenshot_names)} views photographed in {seconds:.1f} s")


def test_the_bundle_trains_in_a_process_of_its_own(bundle):
    """The worker starts the bundle's own program as the training service (there is no
    python -m in a bundle): a course job trains there exactly as the core does."""
    from mlcalc_gui.core.network import Network, heart_curve, train
    from mlcalc_gui.core.runner import FrameReader
    from mlcalc_gui.core.training_process import decode_steps, job_spec

    program, env, base = bundle
    x, y = heart_curve(100)
    job = job_spec(Network(seed=0), x, y, 40, 7.0, 0.0, seed=0, snapshot_every=10)
    command = json.dumps({"op": "start", "run": 1, "job": job, "interval": 0.01}) + "\n"
    with subprocess.Popen([str(program), "--service", "mlcalc_gui.core.training_process"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=base, env=env) as service:
        try:
            service.stdin.write(command.encode())
            service.stdin.flush()
            reader, frames = FrameReader(), []
            while not any(kind == b"D" for kind, _, _ in frames):  # (its input stays open
                chunk = service.stdout.read1(65536)  # meanwhile: closing it cancels)
                assert chunk, service.stderr.read().decode()[-3000:]
                frames += reader.feed(chunk)
            service.stdin.close()  # which ends the service
            assert service.wait(60) == 0
        finally:
            if service.poll() is None:
                service.kill()
    records = [r for kind, _, payload in frames if kind == b"B" for r in decode_steps(payload)]
    done = [json.loads(payload) for kind, _, payload in frames if kind == b"D"]
    assert done == [["done", ""]]
    expected = list(train(Network(seed=0), x, y, 40, 7.0, 0.0, seed=0, snapshot_every=10))
    assert [r.iteration for r in records] == [r.iteration for r in expected]
    np.testing.assert_allclose([r.cost for r in records], [r.cost for r in expected],
                               rtol=1e-9)  # not chaotic in 40 noise-free steps


def test_the_bundle_runs_no_module_but_its_services(bundle):
    program, env, base = bundle
    refused = subprocess.run([str(program), "--service", "os"], cwd=base, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "no such service 'os'" in refused.stderr
