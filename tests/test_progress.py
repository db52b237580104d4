"""Issue #20: a run whose output is not a terminal is never silent while a check runs: one line per
finished result and a heartbeat while a result's check is still running."""
import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from verifier.interfaces import progress

PLUGIN = textwrap.dedent('''
    import time
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    def slow(params, replicas, seeds, device):
        time.sleep(float(params["seconds"]))
        return {"x": np.full(replicas, 0.5) + 0.01 * np.arange(replicas)}

    RESULTS = [Result(id="slow/lemma-1", kind=Kind.LEMMA, number="1", title="A slow check",
                      paper=Paper("slow", "Slow", "", ""), tag="FOUND", statement="x <= 1",
                      parameters=(Parameter("seconds", "how long the check sleeps", lower=0),),
                      profiles={"quick": {"seconds": 4.0}}, replicas={"quick": 8}, measures={"x": "a value"},
                      check=slow, claims=(Bound("x <= 1", quantity=sp.Symbol("x"), relation="<=", bound=1),))]
''')


def test_a_piped_run_prints_a_heartbeat_before_its_check_ends(tmp_path):
    plugin = tmp_path / "slow_plugin.py"
    plugin.write_text(PLUGIN)
    env = {**os.environ, "VERIFY_HEARTBEAT_SECONDS": "1"}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "verifier", "theorem", "slow/lemma-1", "--plugin", str(plugin),
                             "--no-autoload", "--device", "cpu", "--store", str(tmp_path / "s.sqlite")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=Path(__file__).resolve().parents[1])
    lines = []
    for line in proc.stderr:                       # read as the lines come, not after the end
        lines.append((time.monotonic() - started, line.rstrip()))
    proc.wait(timeout=120)
    proc.stdout.read()
    beats = [t for t, line in lines if "slow/lemma-1: still running" in line]
    finished = [t for t, line in lines if line.startswith("[1/1] slow/lemma-1: PASS")]
    assert proc.returncode == 0, lines
    assert beats and finished and beats[0] < finished[0] - 1.0, lines    # a heartbeat while the 4 s check ran


def test_the_heartbeat_stops_when_the_result_ends():
    stream = io.StringIO()
    show = progress.make(stream, heartbeat=0.05)
    show(0, 1, "toy/r", None)
    time.sleep(0.2)
    show(1, 1, "toy/r", {"verdict": "PASS", "seconds": 0.2})
    time.sleep(0.2)
    lines = stream.getvalue().splitlines()
    assert lines[-1] == "[1/1] toy/r: PASS (0.2 s)" and 1 <= sum("still running" in line for line in lines) <= 5


def test_a_fail_line_says_it_is_before_the_family_correction():
    """A FAIL printed as its result ends may become INCONCLUSIVE under the run's family correction, which
    only the final table applies (seen in `verify all`: the sigma0 sweep's line said FAIL, its row INCONCLUSIVE)."""
    stream = io.StringIO()
    show = progress.make(stream, heartbeat=60)
    for done, verdict in enumerate(("FAIL", "INCONCLUSIVE"), start=1):
        show(done - 1, 2, f"toy/r{done}", None)
        show(done, 2, f"toy/r{done}", {"verdict": verdict, "seconds": 0.1})
    assert stream.getvalue().splitlines() == ["[1/2] toy/r1: FAIL before the run's family correction (0.1 s)",
                                              "[2/2] toy/r2: INCONCLUSIVE (0.1 s)"]
