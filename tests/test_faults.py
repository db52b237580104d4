"""Reliability through the real CLI (separate processes): bad input, broken plugins, numerical
faults, out-of-memory batches, interruption and concurrent writers."""
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

TOY = textwrap.dedent('''
    import time
    import numpy as np
    import sympy as sp
    from verifier import Bound, Identity, Kind, Paper, Parameter, Result

    PAPER = Paper(key="{key}", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        return {{"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}}

    def result(slug, claims, uses=(), check=gaussian_mean, profiles=None):
        return Result(id=f"{key}/{{slug}}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean", lower=0, upper=10), Parameter("k", "count", lower=1, integer=True)),
                      profiles=profiles or {{"quick": {{"mu": 1.0, "k": 3}}, "full": {{"mu": 1.0, "k": 3}}}},
                      replicas={{"quick": 16, "full": 16}}, measures={{"x": "sample mean"}}, check=check,
                      claims=claims, uses=uses)

    TRUE = (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),)
    RESULTS = [result("lemma-a", TRUE)]
''')


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return str(path)


def toy(folder, key="toy", extra=""):
    return write(folder, f"{key}.py", TOY.format(key=key) + textwrap.dedent(extra))


def verify(*argv, store, timeout=120):
    proc = subprocess.run([sys.executable, "-m", "verifier.interfaces.cli", *argv, "--store", str(store)],
                          capture_output=True, text=True, timeout=timeout)
    return proc


def assert_usage_error(proc, *needles):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    message = [line for line in proc.stderr.splitlines() if line.startswith("verify: error")]
    assert len(message) == 1, proc.stderr
    for needle in needles:
        assert needle in message[0]


@pytest.fixture
def store(tmp_path):
    return tmp_path / "store.sqlite"


def test_bad_input_is_one_line_exit_2(tmp_path, store):
    plugin = toy(tmp_path, extra='''
        RESULTS.append(result("lemma-quick-only", TRUE, profiles={"quick": {"mu": 1.0, "k": 3}}))
    ''')
    assert_usage_error(verify("theorem", "toy/lemma-b", "--plugin", plugin, store=store), "unknown result 'toy/lemma-b'",
                       "toy/lemma-a")
    assert_usage_error(verify("paper", "toyy", "--plugin", plugin, store=store), "unknown paper 'toyy'", "toy")
    assert_usage_error(verify("theorem", "lemma-a", "--plugin", plugin, "--param", "mu=abc", store=store), "mu=abc", "expected a number")
    assert_usage_error(verify("theorem", "lemma-a", "--plugin", plugin, "--param", "k=1.5", store=store), "expected an integer")
    assert_usage_error(verify("theorem", "lemma-a", "--plugin", plugin, "--param", "mu=11", store=store), "outside the declared range")
    assert_usage_error(verify("theorem", "lemma-a", "--plugin", plugin, "--param", "nu=1", store=store), "no selected result")
    assert_usage_error(verify("theorem", "lemma-quick-only", "--plugin", plugin, "--profile", "full", store=store),
                       "--profile full", "toy/lemma-quick-only")
    for bad in (["--replicas", "abc"], ["--device", "tpu"], ["--profile", "huge"], ["--seed", "x"]):
        proc = verify("theorem", "lemma-a", "--plugin", plugin, *bad, store=store)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and bad[1] in proc.stderr


def test_an_unusable_store_is_named_and_left_untouched(tmp_path):
    """A store written by an older version (fewer columns) or a file that is not SQLite: one line naming
    the file and what is wrong, and the file is not modified; a run goes on in memory, a command that
    reads the store exits 2."""
    plugin = toy(tmp_path)
    old = tmp_path / "old.sqlite"
    db = sqlite3.connect(old)
    db.execute("CREATE TABLE runs (run_id TEXT PRIMARY KEY, started REAL NOT NULL, finished REAL, "
               "status TEXT NOT NULL, argv TEXT NOT NULL, environment TEXT NOT NULL)")
    db.commit()
    db.close()
    before = old.read_bytes()
    proc = verify("theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--quiet", store=old)
    warning = [line for line in proc.stderr.splitlines() if line.startswith("verify: warning")]
    assert proc.returncode == 0 and proc.stdout.split() == ["PASS", "toy/lemma-a"] and len(warning) == 1
    for needle in (str(old), "'runs'", "details", "another version", "results are not kept"):
        assert needle in warning[0]
    assert_usage_error(verify("findings", "--plugin", plugin, store=old), str(old), "another version")
    assert old.read_bytes() == before
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    assert_usage_error(verify("graph", "toy/lemma-a", "--plugin", plugin, store=text), str(text), "not a usable results store")
    assert text.read_text() == "not a database"


def test_cuda_without_gpu_is_a_usage_error(tmp_path, store):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    proc = verify("theorem", "lemma-a", "--plugin", toy(tmp_path), "--device", "cuda", store=store)
    assert_usage_error(proc, "cuda", "is_available")


def test_broken_plugins_reported_others_run(tmp_path, store):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    toy(plugins, "good")
    write(plugins, "syntax.py", "def broken(:\n")
    write(plugins, "importer.py", "import no_such_module_anywhere\n")
    toy(plugins, "undefined", extra='''
        RESULTS.append(result("lemma-u", (Bound("uses nu", quantity=x, relation="<=", bound=sp.Symbol("nu")),)))
    ''')
    toy(plugins, "dangling", extra='''
        RESULTS.append(result("lemma-d", TRUE, uses=("dangling/nowhere",)))
    ''')
    toy(plugins, "cycle", extra='''
        RESULTS.append(result("lemma-c1", TRUE, uses=("cycle/lemma-c2",)))
        RESULTS.append(result("lemma-c2", TRUE, uses=("cycle/lemma-c1",)))
    ''')
    write(plugins, "duplicate.py", TOY.format(key="good"))
    toy(plugins, "fields", extra='''
        RESULTS.append(Result(id="fields/lemma-f", kind=Kind.LEMMA, number="f", title="f", paper=PAPER, statement="",
                              claims=TRUE))
        RESULTS.append(Result(id="fields/lemma-g", number="g", title="g", statement="x", claims=TRUE))
    ''')
    proc = verify("paper", "good", "--plugin", str(plugins), "--device", "cpu", store=store)
    assert proc.returncode == 0, proc.stderr
    warnings = proc.stderr
    assert "syntax.py" in warnings and "SyntaxError" in warnings
    assert "importer.py" in warnings and "ModuleNotFoundError" in warnings
    assert "undefined/lemma-u: claims: claim 'uses nu' uses nu" in warnings
    assert "dangling/lemma-d: uses: unknown result dangling/nowhere" in warnings
    assert "cycle/lemma-c1: uses: dependency cycle" in warnings
    assert "good/lemma-a: id: already defined by" in warnings  # whichever of the two files loads second
    assert "fields/lemma-f: statement: is empty" in warnings
    assert "fields/lemma-g: paper: is missing" in warnings and "fields/lemma-g: kind: must be a Kind" in warnings
    assert "good/lemma-a" in proc.stdout and "PASS" in proc.stdout


def test_non_finite_measurements_are_errors(tmp_path, store):
    plugin = toy(tmp_path, extra='''
        def nan_check(params, replicas, seeds, device):
            values = np.ones(replicas)
            values[3] = np.nan
            return {"x": values}

        def diverging(params, replicas, seeds, device):
            raise FloatingPointError("loss is inf at iteration 17, replica 2")

        RESULTS.append(result("lemma-nan", TRUE, check=nan_check))
        RESULTS.append(result("lemma-diverges", TRUE, check=diverging))
    ''')
    out = tmp_path / "run.json"
    proc = verify("paper", "toy", "--plugin", plugin, "--device", "cpu", "--json", str(out), store=store)
    assert proc.returncode == 1
    records = {r["id"]: r for r in json.loads(out.read_text())["results"]}
    nan = records["toy/lemma-nan"]
    assert nan["verdict"] == "ERROR" and "first at index 3" in nan["claims"][0]["detail"]
    diverging = records["toy/lemma-diverges"]
    assert diverging["verdict"] == "ERROR"
    assert "iteration 17, replica 2" in diverging["exception"]


def test_out_of_memory_halves_the_batch_with_identical_results(tmp_path, store):
    plugin = toy(tmp_path, extra='''
        class OutOfMemoryError(RuntimeError):
            """Stands in for torch.cuda.OutOfMemoryError (matched by name)."""

        def tight(params, replicas, seeds, device):
            if replicas > 4:
                raise OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            return gaussian_mean(params, replicas, seeds, device)

        RESULTS.append(result("lemma-tight", TRUE, check=tight))
    ''')
    out = tmp_path / "run.json"
    proc = verify("paper", "toy", "--plugin", plugin, "--device", "cpu", "--json", str(out), store=store)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = {r["id"]: r for r in json.loads(out.read_text())["results"]}
    tight, plain = records["toy/lemma-tight"], records["toy/lemma-a"]
    assert any("out of memory with 16 replicas" in note for note in tight["check_notes"])
    assert "out of memory with 16 replicas" in proc.stdout
    # The same seeds travel with their replicas: split and unsplit runs measure the same thing
    # (the two checks share seeds only if their names matched, so compare against a direct run).
    import numpy as np

    from verifier.running import seeds as seeding

    expected = np.mean([np.random.default_rng(s).normal(1.0, 1, 200).mean()
                        for s in seeding.replica_seeds(tight["check"], tight["parameters"], 0, 16)])
    assert tight["claims"][0]["observed"] == pytest.approx(expected, rel=1e-12)
    assert plain["claims"][0]["observed"] != tight["claims"][0]["observed"]


def test_interrupt_keeps_finished_results_and_rerun_hits_cache(tmp_path, store):
    marker = tmp_path / "first-done"
    plugin = toy(tmp_path, extra=f'''
        import pathlib

        def slow(params, replicas, seeds, device):
            pathlib.Path({str(marker)!r}).write_text("x")
            for _ in range(600):  # short sleeps: the interrupt is seen whichever thread the signal reaches
                time.sleep(0.1)
            return gaussian_mean(params, replicas, seeds, device)

        RESULTS.append(result("theorem-slow", TRUE, uses=("toy/lemma-a",), check=slow))
    ''')
    # Ctrl-C as in a terminal: a test run started in the background by a shell inherits SIGINT ignored,
    # and so would this child; give it the default disposition.
    proc = subprocess.Popen([sys.executable, "-m", "verifier.interfaces.cli", "paper", "toy", "--plugin", plugin, "--device", "cpu",
                             "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err  # Ctrl-C's conventional exit code
    with sqlite3.connect(store) as db:
        kept = dict(db.execute("SELECT result_id, verdict FROM results"))
        status = db.execute("SELECT status FROM runs").fetchall()
    assert kept == {"toy/lemma-a": "PASS"} and status == [("interrupted",)]
    rerun = verify("theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", store=store)
    assert "(cached)" in rerun.stdout


def test_concurrent_writers_lose_nothing(tmp_path, store):
    plugin = toy(tmp_path, extra='''
        for i in range(12):
            RESULTS.append(result(f"lemma-{i}", TRUE))
    ''')
    procs = [subprocess.Popen([sys.executable, "-m", "verifier.interfaces.cli", "paper", "toy", "--plugin", plugin, "--device",
                               "cpu", "--seed", str(seed), "--store", str(store)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in (1, 2, 3)]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        runs = db.execute("SELECT COUNT(*) FROM runs WHERE status = 'finished'").fetchone()[0]
        rows = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        measured = db.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]
    assert runs == 3 and rows == 3 * 13 and measured == 3  # the 13 results share one check run per seed
