"""The compute policy (``--precision``, ``--threads``, ``--max-batch``): what checks see, that chunked
batches give the same measurements, and that float32 and float64 runs of the late-fusion network agree."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from checks import modality_competition as mc
from checks._params import one_cpu_thread, per_replica
from checks.deep_linear_fusion import phase_durations
from verifier.interfaces.cli import main
from verifier.running import batching, compute
from verifier.running.runner import Options

TINY = dict(mc.REFERENCE_PARAMS)
TINY.update(k=4, m=8, d=60, n=30, n_test=100, steps=300, record_every=50)


def test_dtype_follows_the_policy_and_check_defaults():
    assert compute.dtype_for("cpu") is torch.float64
    assert compute.dtype_for("cpu", cpu_default="float32") is torch.float32
    with compute.policy("float32"):
        assert compute.precision() == "float32"
        assert compute.dtype_for("cpu") is torch.float32
    with compute.policy("float64"):
        assert compute.dtype_for("cuda", cuda_default="float32") is torch.float64
    assert compute.precision() == "auto"


def test_threads_are_applied_and_restored_and_win_over_one_cpu_thread():
    before = torch.get_num_threads()
    with compute.policy("auto", threads=1):
        assert torch.get_num_threads() == 1 and compute.requested_threads() == 1
    assert torch.get_num_threads() == before and compute.requested_threads() is None
    with compute.policy("auto", threads=2):
        with one_cpu_thread("cpu"):
            assert torch.get_num_threads() == 2          # the user's explicit choice is kept
    with one_cpu_thread("cpu"):
        assert torch.get_num_threads() == 1


def test_bad_policy_values_are_refused_with_the_value():
    with pytest.raises(ValueError, match="float16"):
        with compute.policy("float16"):
            pass
    with pytest.raises(ValueError, match="precision.*'half'"):
        Options(precision="half")
    with pytest.raises(ValueError, match="max_batch.*0"):
        Options(max_batch=0)


def test_fixed_precision_checks_say_so():
    note = compute.honoured(phase_durations, "float32")
    assert note is not None and "computes in float64" in note and "overhead" in note
    assert compute.honoured(phase_durations, "float64") is None
    assert compute.honoured(phase_durations, "auto") is None
    assert compute.honoured(mc.joint_vs_unimodal, "float32") is None


def test_chunked_batches_equal_one_batch():
    seeds = [3, 5, 7, 11, 13]
    notes: list[str] = []
    whole = batching.run_check(mc.joint_vs_unimodal, TINY, seeds, "cpu", notes)
    chunked = batching.run_check(mc.joint_vs_unimodal, TINY, seeds, "cpu", notes, max_batch=2)
    assert notes == [] and whole.keys() == chunked.keys()
    for key in whole:
        np.testing.assert_allclose(chunked[key], whole[key], rtol=1e-9, atol=1e-12, err_msg=key)


def test_float32_and_float64_late_fusion_agree():
    """Every decision (errors, crossings, event indicators) identical, continuous quantities within 1e-4
    relative; this caught trajectories recorded by reference in float32 (the CUDA default)."""
    seeds = [21, 22, 23]
    with compute.policy("float64"):
        exact = mc.joint_vs_unimodal(TINY, 3, seeds, "cpu")
    with compute.policy("float32"):
        single = mc.joint_vs_unimodal(TINY, 3, seeds, "cpu")
    for key in ("test_err_joint", "test_err_uni1", "test_err_uni2", "train_err_joint", "T_cross", "p_learned1",
                "won1_events"):
        np.testing.assert_array_equal(single[key], exact[key], err_msg=key)
    for key in ("psi_cum_traj", "gamma_traj", "phi_traj", "T_pred", "final_train_loss_joint"):
        np.testing.assert_allclose(single[key], exact[key], rtol=1e-4, atol=1e-6, err_msg=key)


def test_cli_records_precision_and_keys_the_cache_by_it(tmp_path, capsys):
    store = str(tmp_path / "s.sqlite")
    base = ["theorem", "huang2022/lemma-a.3", "--device", "cpu", "--store", store, "--quiet", "--replicas", "4",
            "--param", "classes=200"]
    main(base + ["--json", str(tmp_path / "a.json"), "--threads", "1", "--max-batch", "2"])
    main(base + ["--json", str(tmp_path / "b.json"), "--precision", "float32"])
    capsys.readouterr()
    first = json.loads((tmp_path / "a.json").read_text())["results"][-1]
    second = json.loads((tmp_path / "b.json").read_text())["results"][-1]
    assert first["precision"] == "auto" and second["precision"] == "float32"
    assert first["measurement_key"] != second["measurement_key"] and not second["cache_hit"]
    assert any("--precision float32 not applied" in note for note in second["check_notes"])
    assert "--precision float32" in second["reproduce"]
    with pytest.raises(SystemExit) as exit_info:
        main(["theorem", "huang2022/lemma-a.3", "--precision", "half"])
    assert exit_info.value.code == 2 and "invalid choice: 'half'" in capsys.readouterr().err


def test_specs_can_bound_the_batch_per_profile_and_the_user_wins():
    from verifier.running import registry
    from verifier.running.runner import Runner

    loaded = registry.load(autoload=False)
    result = loaded.results["huang2022/lemma-a.14"]
    full = result.parameter_values("full")
    assert Runner(loaded, Options(profile="full"), None).job(result, full)[0].max_batch == 256
    assert Runner(loaded, Options(profile="full", max_batch=8), None).job(result, full)[0].max_batch == 8
    assert Runner(loaded, Options(profile="quick"), None).job(result, result.parameter_values("quick"))[0].max_batch is None
    broken = registry.validate(replace(result, max_batch={"full": 0}))
    assert ("max_batch['full']", "expected a positive integer, got 0") in broken



def test_every_probability_has_at_least_1000_replicas_in_the_full_profile():
    """Issue 8: the full profile puts >= 1000 replicas behind each probability claim."""
    from verifier.running import registry
    from verifier.spec.claims import Probability

    short = {rid: r.replicas["full"] for rid, r in registry.load(autoload=False).results.items()
             if any(isinstance(c, Probability) for c in r.claims) and r.replicas.get("full", 0) < 1000}
    assert short == {}


def test_batches_with_trajectories_of_different_lengths_merge():
    """A batch that converged sooner recorded a shorter trajectory: keep the longer time grid, hold the
    shorter batch's last values (what the check does for early replicas within one batch)."""
    first = {"time_grid": np.arange(3.0), "traj": np.array([[1.0, 2.0, 3.0]]), "grid": np.array([5.0, 6.0])}
    second = {"time_grid": np.arange(5.0), "traj": np.array([[1.0, 1.5, 2.0, 2.5, 4.0]]), "grid": np.array([5.0, 6.0])}
    merged = batching.merge(first, second, 1, 1)
    np.testing.assert_array_equal(merged["time_grid"], np.arange(5.0))
    np.testing.assert_array_equal(merged["traj"], [[1, 2, 3, 3, 3], [1, 1.5, 2, 2.5, 4]])
    np.testing.assert_array_equal(merged["grid"], [5.0, 6.0])


def test_per_replica_draws_on_threads_equal_the_serial_loop(monkeypatch):
    """Each replica's generator is its own: drawn on a pool of threads, replica i is the serial loop's,
    in seed order; ``--threads 1`` (or one seed) keeps the draws in the calling thread."""
    import threading

    seeds = [11, 3, 7, 5, 2, 13]
    callers: list[str] = []

    def draw(index: int, seed: int) -> torch.Tensor:
        assert seeds[index] == seed
        callers.append(threading.current_thread().name)
        return torch.randn(50, 40, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)

    serial = [torch.randn(50, 40, generator=torch.Generator().manual_seed(s), dtype=torch.float64) for s in seeds]
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    threaded = per_replica(draw, seeds)
    assert all(torch.equal(a, b) for a, b in zip(threaded, serial)) and len(threaded) == len(seeds)
    assert all(name.startswith("draw") for name in callers)
    callers.clear()
    with compute.policy("auto", 1):
        assert all(torch.equal(a, b) for a, b in zip(per_replica(draw, seeds), serial))
    assert callers == [threading.current_thread().name] * len(seeds)


def _events_check(params, replicas, seeds, device):
    """One 0/1 event per replica that fired (every replica here): equal halves for any split."""
    return {"events": np.ones(replicas), "grid": np.array([1.0, 2.0])}


_events_check.shapes = {"events": ("events",), "grid": ("points",)}


def test_equal_event_arrays_of_two_batches_are_both_kept_when_declared():
    """Issue #21: two batches whose flat event arrays happen to be equal were merged into one copy
    (a14_*_events lost 35 of 267 values under --max-batch 4). Declared, they are concatenated; an array
    declared without a replica axis is kept once and must agree between batches."""
    notes: list[str] = []
    whole = batching.run_check(_events_check, {}, [1, 2, 3, 4, 5, 6], "cpu", notes, declared=_events_check.shapes)
    chunked = batching.run_check(_events_check, {}, [1, 2, 3, 4, 5, 6], "cpu", notes, max_batch=2,
                                 declared=_events_check.shapes)
    assert chunked["events"].size == whole["events"].size == 6
    np.testing.assert_array_equal(chunked["grid"], [1.0, 2.0])
    guessed = batching.merge({"events": np.ones(3)}, {"events": np.ones(3)}, 2, 2)     # undeclared: the old guess
    assert guessed["events"].size == 3
    with pytest.raises(ValueError, match="'grid' is declared without a replica axis"):
        batching.merge({"grid": np.array([1.0])}, {"grid": np.array([2.0])}, 1, 1, {"grid": ("points",)})


def test_the_modality_competition_check_declares_its_flat_event_arrays():
    from theorems.huang2022 import RESULTS
    from verifier.running.runner import declared_shapes

    lemma = next(r for r in RESULTS if r.id == "huang2022/lemma-a.14")
    assert declared_shapes(lemma)["a14_phase1_events"] == ("events",)
    assert set(mc.joint_vs_unimodal.shapes) == set(mc.FLAT_EVENT_KEYS)


def test_auto_device_without_gpu_driver_needs_no_torch(monkeypatch) -> None:
    """Issue 21: on Linux without a GPU driver's device node, ``--device auto`` is the CPU without importing
    torch (a run answered from the store then starts without it); with a driver node, torch decides."""
    import sys

    from verifier.running import environment

    monkeypatch.setattr(environment.sys, "platform", "linux")
    monkeypatch.setattr(environment.os.path, "exists", lambda path: False)
    monkeypatch.setitem(sys.modules, "torch", None)                 # importing torch would now raise
    assert environment.resolve_device("auto") == "cpu"
    monkeypatch.setattr(environment.os.path, "exists", lambda path: path == "/dev/nvidiactl")
    with pytest.raises(ImportError):
        environment.resolve_device("auto")
