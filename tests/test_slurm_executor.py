"""``--executor slurm`` through submitit's local executor (the same code path as a cluster, without one):
the measurements equal the in-process executor's on the same seeds, and a task that is preempted or
killed mid-run is requeued or resubmitted, redoes only its unfinished runs and reproduces them."""
import importlib.util
import json
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("submitit", reason="submitit is the optional extra theory-verifier[slurm]")

from verifier.interfaces.cli import main
from verifier.running import registry as reg
from verifier.running import seeds as seeding
from verifier.running.executors import Job, run_job
from verifier.running.slurm_executor import SlurmExecutor, SlurmOptions, split

PLUGIN = textwrap.dedent('''
    import os
    import pathlib
    import signal
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="slurmtoy", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")
    FOLDER = pathlib.Path({folder!r})

    def gaussian_mean(params, replicas, seeds, device):
        """Replica means of 200 N(mu, 1) draws, each replica from its own seed."""
        return {{"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}}

    def counted(params, replicas, seeds, device):
        """gaussian_mean, writing down each call (which runs a requeued task redoes)."""
        with open(FOLDER / "calls.txt", "a") as calls:
            calls.write(f"{{params['mu']}}\\n")
        return gaussian_mean(params, replicas, seeds, device)

    def interrupted(signum, params, replicas, seeds, device):
        """gaussian_mean; the first call (no marker yet) sends its own process ``signum``."""
        marker = FOLDER / f"signalled-{{signum}}"
        if not marker.exists():
            marker.write_text("once")
            os.kill(os.getpid(), signum)
        return gaussian_mean(params, replicas, seeds, device)

    def killed(params, replicas, seeds, device):
        return interrupted(signal.SIGKILL, params, replicas, seeds, device)

    def preempted(params, replicas, seeds, device):
        return interrupted(signal.SIGUSR2, params, replicas, seeds, device)

    def broken(params, replicas, seeds, device):
        raise ValueError(f"no measurement at mu={{params['mu']}}")

    def result(slug, check):
        return Result(id=f"slurmtoy/{{slug}}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={{"quick": {{"mu": 1.0}}, "full": {{"mu": 1.0}}}},
                      replicas={{"quick": 16, "full": 16}}, measures={{"x": "sample mean"}}, check=check,
                      claims=(Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),))

    RESULTS = [result("lemma-a", gaussian_mean), result("lemma-counted", counted), result("lemma-killed", killed),
               result("lemma-preempted", preempted), result("lemma-broken", broken)]
''')


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "slurmtoy.py"
    path.write_text(PLUGIN.format(folder=str(tmp_path)))
    return path


@pytest.fixture
def checks(plugin):
    """The plugin's check functions by slug; their module (verifier_plugin_*) is not importable by a task."""
    registry = reg.load([str(plugin)], autoload=False)
    return {rid.split("/")[1]: result.check for rid, result in registry.results.items() if rid.startswith("slurmtoy/")}


def job(check, mu: float, replicas: int = 8) -> Job:
    params = {"mu": mu}
    seeds = seeding.replica_seeds(f"{check.__module__}:{check.__name__}", params, 0, replicas)
    return Job(f"{check.__name__}-{mu}", check, params, seeds, "cpu")


def executor(tmp_path, **options) -> SlurmExecutor:
    return SlurmExecutor(SlurmOptions(cluster="local", folder=tmp_path / "slurm", **options))


def assert_same(outcomes, expected):
    assert len(outcomes) == len(expected)
    for got, want in zip(outcomes, expected):
        assert got.error is None and want.error is None, (got.error, want.error)
        np.testing.assert_array_equal(got.data["x"], want.data["x"])


def calls(tmp_path) -> list[str]:
    return (tmp_path / "calls.txt").read_text().split()


def test_split_deals_runs_round_robin_into_at_most_n_tasks():
    assert split(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert split([4, 9], 5) == [[4], [9]]
    assert split([1, 2, 3], 1) == [[1, 2, 3]]


def test_measurements_equal_the_in_process_executor_on_the_same_seeds(tmp_path, checks, monkeypatch):
    path = tmp_path / "vanished_checks.py"  # a module the driver has and a task cannot import
    path.write_text("def check(params, replicas, seeds, device):\n    return {}\n")
    spec = importlib.util.spec_from_file_location("vanished_checks", path)
    vanished = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vanished)
    monkeypatch.setitem(sys.modules, "vanished_checks", vanished)  # so its check is pickled by reference
    a0, a1, a2 = (job(checks["lemma-a"], mu) for mu in (0.0, 1.0, 2.0))
    jobs = [a0, a1, job(vanished.check, 5.0), job(checks["lemma-broken"], 3.0), job(checks["lemma-killed"], 4.0), a2]
    # six runs dealt into three array tasks: [a0, broken], [a1, killed], [vanished, a2]
    outcomes = executor(tmp_path, array_max=3, resubmissions=0).map(jobs)
    assert_same(outcomes[:2], [run_job(a0), run_job(a1)])
    assert [o.data["x"].shape for o in outcomes[:2]] == [(8,)] * 2
    assert abs(outcomes[1].data["x"].mean() - 1.0) < 0.1  # means of N(1, 1) samples
    # negative control: the comparison sees a different seed (and a different mean)
    assert not np.array_equal(outcomes[0].data["x"], run_job(job(checks["lemma-a"], 0.0, replicas=9)).data["x"][1:])
    assert not np.array_equal(outcomes[0].data["x"], outcomes[1].data["x"] - 1.0)
    error = outcomes[3].error  # a check's exception comes back as its run's outcome, as in-process
    assert isinstance(error, ValueError) and str(error) == "no measurement at mu=3.0" and outcomes[3].data is None
    # killed, and not resubmitted (resubmissions=0): that run alone is an error, naming the task's log
    assert outcomes[4].data is None and "ended without finishing it (killed?); log: " in str(outcomes[4].error)
    assert str(outcomes[4].error).endswith("_log.err")
    for failed in (outcomes[2], outcomes[5]):  # the task could not load its runs: both name the reason
        assert failed.data is None and "failed: ModuleNotFoundError: No module named 'vanished_checks'" \
            in str(failed.error)
    assert not any((tmp_path / "slurm" / "outcomes").iterdir())  # the tasks' outcome files are gathered and gone


def test_a_killed_task_is_resubmitted_with_its_unfinished_runs_and_reproduces_them(tmp_path, checks):
    jobs = [job(checks["lemma-counted"], 1.0), job(checks["lemma-killed"], 2.0), job(checks["lemma-counted"], 3.0)]
    outcomes = executor(tmp_path, array_max=1).map(jobs)  # one task: killed (SIGKILL) in its second run
    assert (tmp_path / "signalled-9").exists()
    assert calls(tmp_path) == ["1.0", "3.0"]  # the first run, saved before the kill, was not redone
    assert_same(outcomes, [run_job(j) for j in jobs])  # in-process now (the marker is set): same values


def test_a_preempted_task_is_requeued_by_its_checkpoint_and_redoes_only_unfinished_runs(tmp_path, checks):
    jobs = [job(checks["lemma-counted"], 1.0), job(checks["lemma-preempted"], 2.0)]
    outcomes = executor(tmp_path, array_max=1, resubmissions=0).map(jobs)  # only submitit's requeue may redo
    assert (tmp_path / "signalled-12").exists()
    assert calls(tmp_path) == ["1.0"]
    assert_same(outcomes, [run_job(j) for j in jobs])
    logs = "".join(p.read_text() for p in (tmp_path / "slurm").rglob("*_log.*"))
    assert "this job is preempted" in logs and "Calling checkpoint method" in logs


def test_cli_verify_theorem_with_executor_slurm_local(tmp_path, plugin, capsys):
    common = ["theorem", "slurmtoy/lemma-a", "--plugin", str(plugin), "--device", "cpu", "--no-autoload"]
    local, distributed = tmp_path / "local.json", tmp_path / "slurm.json"
    assert main([*common, "--json", str(local), "--store", str(tmp_path / "a.sqlite")]) == 0
    assert main([*common, "--json", str(distributed), "--store", str(tmp_path / "b.sqlite"), "--executor", "slurm",
                 "--slurm-cluster", "local", "--slurm-folder", str(tmp_path / "logs"), "--slurm-time", "5"]) == 0
    a, b = (json.loads(path.read_text())["results"][0] for path in (local, distributed))
    assert a["verdict"] == b["verdict"] == "PASS"
    assert a["claims"][0]["observed"] == b["claims"][0]["observed"]
    assert a["measurement_key"] == b["measurement_key"]
    from verifier.running.store import Store

    store = Store(tmp_path / "b.sqlite")
    assert store.load_measurements(b["measurement_key"])["x"].shape == (16,)
    assert list((tmp_path / "logs").glob("*_result.pkl"))  # it did run as a submitit task
    capsys.readouterr()


def test_cli_slurm_options_are_checked(tmp_path, plugin, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no srun here
    common = ["theorem", "slurmtoy/lemma-a", "--plugin", str(plugin), "--device", "cpu", "--no-autoload",
              "--store", str(tmp_path / "s.sqlite"), "--executor", "slurm"]
    assert main([*common, "--slurm-cluster", "slurm"]) == 2
    message = [line for line in capsys.readouterr().err.splitlines() if line.startswith("verify: error")]
    assert len(message) == 1 and "--slurm-cluster slurm" in message[0] and "srun" in message[0]
    for bad, needle in ((["--slurm-gpus", "-1"], "non-negative integer"), (["--slurm-array-max", "0"], "positive"),
                        (["--slurm-time", "ten"], "'ten'"), (["--slurm-cluster", "pbs"], "invalid choice")):
        with pytest.raises(SystemExit) as exit_:
            main([*common, *bad])
        assert exit_.value.code == 2 and needle in capsys.readouterr().err
