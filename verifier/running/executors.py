"""Where check runs execute: in this process (default), in local processes, or as Ray tasks on a cluster.

An executor receives every independent check run of a ``verify`` invocation before any result is
judged (``map``), so they can run in parallel; the driver gathers their measurements into its own
store. ``--executor ray`` needs the optional extra ``pip install theory-verifier[ray]``.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from verifier.running import batching, compute
from verifier.running.check_code import load_check


@dataclass(frozen=True)
class Job:
    """One check run: what to call, on which parameters and seeds, where."""

    key: str
    check: Any  # "module:function" or a plugin's function
    params: Mapping[str, float]
    seeds: Sequence[int]
    device: str
    cpu_fallback: bool = False
    precision: str = "auto"
    threads: int | None = None
    max_batch: int | None = None
    shapes: Mapping[str, Sequence[Any]] = field(default_factory=dict)  # declared axes: how batches merge


@dataclass
class Outcome:
    """A finished job: its measurements, seconds, notes, or the exception it raised."""

    data: dict[str, np.ndarray] | None
    seconds: float
    notes: list[str] = field(default_factory=list)
    error: BaseException | None = None


def run_job(job: Job) -> Outcome:
    """Execute one job (in this process or on a worker)."""
    notes: list[str] = []
    start = time.perf_counter()
    try:
        check = load_check(job.check)
        if (unapplied := compute.honoured(check, job.precision)) is not None:
            notes.append(unapplied)
        with compute.policy(job.precision, job.threads):
            data = batching.run_check(check, job.params, job.seeds, job.device, notes, job.cpu_fallback,
                                      job.max_batch, job.shapes)
    except SystemExit as exit_:  # a plugin's check that calls sys.exit() must not end the run silently
        error = RuntimeError(f"the check called sys.exit({exit_.code!r})")
        return Outcome(None, time.perf_counter() - start, notes, error)
    except Exception as exc:  # reported as the result's ERROR by the driver
        return Outcome(None, time.perf_counter() - start, notes, exc)
    return Outcome(data, time.perf_counter() - start, notes)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an executor's ``map``: ``outcomes`` holds the runs finished by then (None: not run),
    for the driver to keep before it stops."""

    def __init__(self, outcomes: list[Outcome | None]):
        super().__init__()
        self.outcomes = outcomes


class RayExecutor:
    """Runs jobs as Ray tasks (``address=None`` starts a local Ray instance)."""

    def __init__(self, address: str | None = None):
        try:
            import ray
        except ImportError:
            raise RuntimeError("--executor ray needs Ray: pip install 'theory-verifier[ray]'") from None
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        self._task = ray.remote(run_job)

    def map(self, jobs: Sequence[Job]) -> list[Outcome]:
        for job in jobs:  # plugin modules are not importable on workers: ship them by value
            module = getattr(job.check, "__module__", "")
            if module.startswith("verifier_plugin_") and module in sys.modules:
                self._ray.cloudpickle.register_pickle_by_value(sys.modules[module])
        return self._ray.get([self._task.remote(job) for job in jobs])

    def close(self) -> None:
        self._ray.shutdown()


def make(name: str, address: str | None) -> RayExecutor | None:
    """The executor named on the command line (None: in this process); the local processes' and SLURM's
    are made by the CLI from their own options."""
    if name == "local":
        return None
    if name == "ray":
        return RayExecutor(address)
    raise ValueError(f"--executor must be local or ray, got {name!r}")


MapFunction = Callable[[Sequence[Job]], list[Outcome]]
