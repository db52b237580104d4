"""``--executor processes``: check runs in spawned local processes give the in-process measurements,
a plugin's function runs in the driver, a failing run is its own ERROR, and Ctrl-C keeps what finished."""
from dataclasses import replace

import numpy as np
import pytest

from verifier.interfaces.cli import main
from verifier.running import executors, registry
from verifier.running.process_executor import ProcessExecutor
from verifier.running.runner import Options, Runner


def _plugin_like(params, replicas, seeds, device):
    """A check given as a function (as a plugin's is), which a spawned worker could not import by name."""
    return {"seed": np.asarray(seeds, dtype=float) * params["scale"]}


def _jobs() -> list[executors.Job]:
    loaded = registry.load(autoload=False)
    runner = Runner(loaded, Options(profile="quick", device="cpu", threads=1), None)
    result = loaded.results["huang2021/table-4"]  # checks.linear_composite:overlap_table, 4 replicas, < 1 s
    built_in, _ = runner.job(result, result.parameter_values("quick"))
    broken = replace(built_in, key="broken", check="checks.no_such_module:check")
    plugin = replace(built_in, key="plugin", check=_plugin_like, params={"scale": 2.0}, shapes={})
    return [built_in, broken, plugin]


def test_worker_runs_equal_the_in_process_runs_and_errors_stay_per_run():
    jobs = _jobs()
    lines: list[str] = []
    outcomes = ProcessExecutor(jobs=2, report=lines.append).map(jobs)
    expected = executors.run_job(jobs[0])
    assert outcomes[0].error is None and expected.error is None
    assert outcomes[0].data.keys() == expected.data.keys()
    for name, value in expected.data.items():  # one intra-op thread on both sides: bitwise the same
        np.testing.assert_array_equal(outcomes[0].data[name], value, err_msg=name)
    assert isinstance(outcomes[1].error, RuntimeError) and "checks.no_such_module" in str(outcomes[1].error)
    np.testing.assert_array_equal(outcomes[2].data["seed"], 2.0 * np.asarray(jobs[2].seeds, dtype=float))
    assert len(lines) == 3 and lines[-1].startswith("check runs: 3/3 done")
    assert any("checks.linear_composite:overlap_table, 4 replicas" in line for line in lines)
    assert any("ERROR" in line for line in lines)


def test_interrupted_map_keeps_the_finished_runs_then_stops():
    loaded = registry.load(autoload=False)
    runner = Runner(loaded, Options(profile="quick", device="cpu"), None)
    order = runner.plan(["huang2021/theorem-1", "huang2021/table-4"])
    given: list[executors.Job] = []

    def interrupted_map(jobs):
        given.extend(jobs)
        finished = executors.Outcome({"x": np.zeros(3)}, 1.5)
        raise executors.Interrupted([finished] + [None] * (len(jobs) - 1))

    with pytest.raises(KeyboardInterrupt):
        runner.prefetch(order, interrupted_map)
    assert len(given) == 2  # the two distinct trainings of the plan
    assert runner._cached(given[0].key) and not runner._cached(given[1].key)
    np.testing.assert_array_equal(runner.measurements_of(given[0].key)["x"], np.zeros(3))


def _interrupting(params, replicas, seeds, device):
    raise KeyboardInterrupt


def test_ctrl_c_stops_the_workers_and_hands_back_what_finished():
    """Ctrl-C while the driver runs a plugin's check: the workers are stopped (none left running) and the
    driver gets :class:`executors.Interrupted` with the runs finished by then (here: none)."""
    import multiprocessing
    import time

    built_in, _, plugin = _jobs()
    with pytest.raises(executors.Interrupted) as stopped:
        ProcessExecutor(jobs=1).map([built_in, replace(plugin, check=_interrupting)])
    assert len(stopped.value.outcomes) == 2 and stopped.value.outcomes[1] is None
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not multiprocessing.active_children()


def test_how_many_workers():
    """--jobs wins; by default one per core on the CPU and one on CUDA (processes would share the device)."""
    import os

    built_in, _, plugin = _jobs()
    assert ProcessExecutor().workers([built_in, plugin]) == (os.cpu_count() or 1)
    assert ProcessExecutor().workers([built_in, replace(plugin, device="cuda")]) == 1
    assert ProcessExecutor(jobs=3).workers([replace(built_in, device="cuda")]) == 3


def test_jobs_needs_the_processes_executor(capsys):
    assert main(["paper", "huang2021", "--jobs", "2", "--device", "cpu"]) == 2
    assert "--jobs 2 is for --executor processes" in capsys.readouterr().err
    with pytest.raises(ValueError, match="--jobs must be a positive integer, got 0"):
        ProcessExecutor(jobs=0)


def test_the_command_line_runs_a_theorem_in_processes_as_in_process(tmp_path, capsys):
    """`verify theorem ... --executor processes` judges what the in-process run judges (Table 4 and the two
    results it uses, two trainings), from the same numbers, and says as each check run finishes."""
    import json

    common = ["theorem", "huang2021/table-4", "--device", "cpu", "--threads", "1"]
    for name, extra in (("local", []), ("processes", ["--executor", "processes", "--jobs", "2"])):
        assert main([*common, *extra, "--store", str(tmp_path / f"{name}.sqlite"),
                     "--json", str(tmp_path / f"{name}.json")]) == 0
    err = capsys.readouterr().err
    assert "check runs: 2/2 done" in err and "linear_composite:overlap_table, 4 replicas" in err  # its 2 trainings
    local, spawned = (json.loads((tmp_path / f"{name}.json").read_text())["results"] for name in ("local", "processes"))
    assert [r["verdict"] for r in spawned] == [r["verdict"] for r in local] == ["PASS"] * 3  # with what it uses
    assert [r["claims"] for r in spawned] == [r["claims"] for r in local] and len(local[-1]["claims"]) == 18


def test_started_workers_serve_every_map_and_a_pool_a_worker_died_in_is_replaced(tmp_path, monkeypatch):
    """`start` spawns the workers before the run is planned (the CLI's order); the maps after it reuse them;
    a worker that dies makes its run an ERROR and the next map gets a pool of its own."""
    (tmp_path / "toy_dying_check.py").write_text("import os\n\n\ndef check(params, replicas, seeds, device):\n"
                                                 "    os._exit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    built_in, _, _ = _jobs()
    executor = ProcessExecutor(jobs=1)
    executor.start("cpu")
    pool = executor._pool
    first = executor.map([built_in])
    assert first[0].error is None and executor._pool is pool
    dying = executor.map([replace(built_in, key="dying", check="toy_dying_check:check")])
    assert "its worker process failed" in str(dying[0].error) and executor._pool is None
    again = executor.map([built_in])
    for name, value in first[0].data.items():
        np.testing.assert_array_equal(again[0].data[name], value, err_msg=name)
    executor.close()
