"""``--executor slurm``: the check runs of an invocation as one SLURM job array, through submitit.

Many short check runs are packed into each array task (a :class:`Chunk`). A task saves each run's
outcome to the log folder as soon as it finishes, so a task that is preempted or reaches its time
limit is requeued by submitit's checkpoint mechanism and redoes only its unfinished runs; a task
that is killed outright (out of memory, node failure) is resubmitted by the driver with those runs
alone. A run's seeds are part of its job, so a rerun reproduces its measurements exactly. Needs the
optional extra ``pip install theory-verifier[slurm]``; ``cluster="local"`` runs the same array as
processes on this machine (submitit's local executor).
"""
from __future__ import annotations

import os
import pickle
import shutil
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.running.executors import Job, Outcome, run_job

CLUSTERS = ("auto", "slurm", "local")


@dataclass(frozen=True)
class SlurmOptions:
    """What a cluster user sets (``--slurm-*``); ``gpus=None``: one per task when the run is on CUDA."""

    cluster: str = "auto"
    folder: Path = Path("slurm-logs")
    partition: str | None = None
    time_min: int = 60
    gpus: int | None = None
    cpus: int | None = None
    array_max: int = 100
    parallel: int = 20
    resubmissions: int = 2  # how often the driver resubmits runs whose task was killed


class _Preempted(BaseException):
    """Raised in a task by the preemption signal; not an ``Exception``, so ``run_job`` lets it through."""


def _raise_preempted(signum: int, frame: Any) -> None:
    raise _Preempted(signum)


def save(path: Path, outcome: Outcome) -> None:
    """Write an outcome atomically (a task killed while writing leaves no file)."""
    import cloudpickle

    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        data = cloudpickle.dumps(outcome)
    except Exception:  # noqa: BLE001 - an exception that does not pickle travels as its text
        data = cloudpickle.dumps(Outcome(None, outcome.seconds, outcome.notes,
                                         RuntimeError(f"{type(outcome.error).__name__}: {outcome.error}")))
    temporary.write_bytes(data)
    os.replace(temporary, path)


def load(path: Path) -> Any:
    """An outcome (or submitit's result) written by a task."""
    with path.open("rb") as handle:
        return pickle.load(handle)


class Chunk:
    """One array task: runs its (outcome file, job) pairs in order, skipping those already saved.

    submitit calls :meth:`checkpoint` when the task is preempted or times out and requeues the same
    call, which then finds the finished runs' files."""

    def __call__(self, entries: Sequence[tuple[Path, Job]]) -> int:
        from submitit import JobEnvironment

        preempt = JobEnvironment._usr_sig()
        requeue = signal.getsignal(preempt)  # submitit's handler: checkpoint, requeue, exit
        signal.signal(preempt, _raise_preempted)
        ran = 0
        try:
            for path, job in entries:
                if not path.exists():
                    save(path, run_job(job))
                    ran += 1
        except _Preempted as signalled:
            if not callable(requeue):
                raise
            requeue(signalled.args[0], None)
        finally:
            if requeue is not None:
                signal.signal(preempt, requeue)
        return ran

    def checkpoint(self, entries: Sequence[tuple[Path, Job]]) -> Any:
        from submitit.helpers import DelayedSubmission

        return DelayedSubmission(self, entries)


def split(indices: Sequence[int], parts: int) -> list[list[int]]:
    """At most ``parts`` non-empty groups, dealt round-robin (runs of one check spread over tasks)."""
    count = max(1, min(parts, len(indices)))
    return [list(indices[k::count]) for k in range(count) if indices[k::count]]


def _failure(task: Any) -> str | None:
    """The last line of the traceback a task ended with (submitit's result file), if it raised."""
    if not task.paths.result_pickle.exists():
        return None
    status, detail = load(task.paths.result_pickle)
    return str(detail).strip().splitlines()[-1] if status == "error" else None


class SlurmExecutor:
    """Runs jobs as a SLURM job array (or submitit's local executor) and returns their outcomes in order."""

    def __init__(self, options: SlurmOptions):
        try:
            import submitit
        except ImportError:
            raise RuntimeError("--executor slurm needs submitit: pip install 'theory-verifier[slurm]'") from None
        self.options = options
        self.folder = options.folder.resolve()
        cluster = None if options.cluster == "auto" else options.cluster
        try:
            self._executor = submitit.AutoExecutor(folder=self.folder, cluster=cluster)
        except RuntimeError as exc:  # e.g. no srun on this machine
            raise RuntimeError(f"--slurm-cluster {options.cluster}: {exc}") from None
        self.cluster = self._executor.cluster
        self._executor.update_parameters(name="verify", timeout_min=options.time_min, cpus_per_task=options.cpus,
                                         slurm_partition=options.partition,
                                         slurm_array_parallelism=options.parallel)

    def _tasks(self) -> int:
        """Array tasks per submission; the local executor starts all of them at once, so it also honours
        the cap on tasks in flight."""
        if self.cluster == "local":
            return min(self.options.array_max, self.options.parallel)
        return self.options.array_max

    def map(self, jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        import cloudpickle

        for job in jobs:  # plugin modules are not importable on workers: ship them by value
            module = getattr(job.check, "__module__", "")
            if module.startswith("verifier_plugin_") and module in sys.modules:
                cloudpickle.register_pickle_by_value(sys.modules[module])
        gpus = self.options.gpus if self.options.gpus is not None else int(any(j.device == "cuda" for j in jobs))
        self._executor.update_parameters(gpus_per_node=gpus)
        outcomes = self.folder / "outcomes" / uuid.uuid4().hex
        outcomes.mkdir(parents=True)
        paths = [outcomes / f"{index}.pkl" for index in range(len(jobs))]
        reasons: dict[int, str] = {}
        pending = list(range(len(jobs)))
        for _ in range(1 + self.options.resubmissions):
            groups = split(pending, self._tasks())
            tasks = self._executor.map_array(Chunk(), [[(paths[i], jobs[i]) for i in group] for group in groups])
            self._wait(tasks)
            pending = []
            for group, task in zip(groups, tasks):
                lost = [i for i in group if not paths[i].exists()]
                if lost and (failure := _failure(task)) is not None:  # raised: resubmitting would raise again
                    reasons.update((i, f"its array task {task.job_id} failed: {failure}; log: {task.paths.stderr}")
                                   for i in lost)
                elif lost:  # killed: resubmitted with its unfinished runs alone
                    reasons.update((i, (f"its array task {task.job_id} ended without finishing it (killed?); "
                                        f"log: {task.paths.stderr}")) for i in lost)
                    pending += lost
            if not pending:
                break
        finished = [load(path) if path.exists() else Outcome(None, 0.0, [], RuntimeError(reasons[index]))
                    for index, path in enumerate(paths)]
        shutil.rmtree(outcomes)
        return finished

    @staticmethod
    def _wait(tasks: Sequence[Any]) -> None:
        """Until every task has ended; an interrupt cancels those still queued or running."""
        try:
            while not all(task.done() for task in tasks):
                time.sleep(0.2)
        except BaseException:
            for task in tasks:
                if not task.done():
                    task.cancel(check=False)
            raise

    def close(self) -> None:
        """Nothing is held between invocations: the array has ended when ``map`` returns."""
