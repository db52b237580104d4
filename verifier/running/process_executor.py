"""``--executor processes``: the independent check runs of an invocation in parallel local processes.

A ``verify paper`` or ``verify all`` on a machine with several cores runs its distinct trainings side
by side, ``--jobs N`` at a time (default: one per core; one on CUDA), with the standard library alone.
Workers are spawned (never forked: torch's thread pools do not survive a fork) and each takes
``cores // N`` intra-op threads unless the run sets ``--threads``; a check that pins itself to one
thread still does. A run's seeds are part of its job, so its measurements do not depend on which
worker ran it or in what order (a different thread count moves them by rounding only). The CLI starts
the workers (:meth:`ProcessExecutor.start`) before it plans the run, so that their start-up (a fresh
interpreter importing torch, 1.5-2 s) overlaps the driver's own; they serve every map of the invocation
(each master seed of ``--seeds``) until :meth:`ProcessExecutor.close`. Plugin checks
(loaded from a file path, which a spawned worker cannot import by name) run in the driver while the
workers run the rest. Ctrl-C stops the workers and hands
the runs already finished to the driver, which keeps them (:class:`Interrupted`).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Callable, Sequence

from verifier.running.check_code import check_name
from verifier.running.executors import Interrupted, Job, Outcome, run_job


def _set_threads(threads: int) -> None:
    """Worker initializer: torch's default intra-op threads in this worker."""
    import torch

    torch.set_num_threads(threads)


def _ready() -> None:
    """A warm-up task: what every run's worker imports, imported while the driver plans."""
    import verifier.running.executors  # noqa: F401 (torch itself comes with the initializer)


def _run(job: Job) -> Outcome:
    """:func:`run_job` with an error the driver can unpickle whatever the check raised."""
    outcome = run_job(job)
    if outcome.error is not None:
        outcome.error = RuntimeError(f"{type(outcome.error).__name__}: {outcome.error}")
    return outcome


class ProcessExecutor:
    """Runs jobs in at most ``jobs`` spawned processes; ``report`` gets one line per finished run."""

    def __init__(self, jobs: int | None = None, report: Callable[[str], None] | None = None):
        if jobs is not None and jobs < 1:
            raise ValueError(f"--jobs must be a positive integer, got {jobs}")
        self.requested = jobs
        self._report = report or (lambda line: None)
        self._pool: ProcessPoolExecutor | None = None
        self._started_workers = 0

    def workers(self, jobs: Sequence[Job]) -> int:
        """How many processes run ``jobs`` at once: ``--jobs``; by default one per core, or one for a run on
        CUDA (each process would hold its own CUDA context on the same device, and they would only take turns)."""
        return self._workers_on(any(str(job.device).startswith("cuda") for job in jobs))

    def _workers_on(self, on_gpu: bool) -> int:
        if self.requested is not None:
            return self.requested
        return 1 if on_gpu else os.cpu_count() or 1

    def start(self, device: str) -> None:
        """Spawn the workers for runs on ``device`` now (each imports torch and the runner), instead of at
        the first map; the maps of this executor then reuse them."""
        if self._pool is None:
            self._started_workers = self._workers_on(device.startswith("cuda"))
            self._pool = self._new_pool(self._started_workers)
            for _ in range(self._started_workers):
                self._pool.submit(_ready)

    @staticmethod
    def _new_pool(workers: int) -> ProcessPoolExecutor:
        threads = max(1, (os.cpu_count() or 1) // workers)
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_set_threads, initargs=(threads,))

    def map(self, jobs: Sequence[Job]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(jobs)
        portable = [i for i, job in enumerate(jobs) if isinstance(job.check, str)]
        in_driver = [i for i, job in enumerate(jobs) if not isinstance(job.check, str)]
        if not portable:
            return [run_job(job) for job in jobs]
        workers = self.workers(jobs)
        started = self._pool is not None and workers == self._started_workers
        pool = self._pool if started else self._new_pool(min(workers, len(portable)))
        futures: dict[Future[Outcome], int] = {pool.submit(_run, jobs[i]): i for i in portable}
        broken = False
        try:
            for i in in_driver:
                outcomes[i] = run_job(jobs[i])
                self._done(outcomes, jobs, i)
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    i = futures[future]
                    try:
                        outcomes[i] = future.result()
                    except Exception as exc:  # a worker that died (killed, out of memory): that run's ERROR
                        outcomes[i] = Outcome(None, 0.0, [], RuntimeError(f"its worker process failed: {exc}"))
                        broken = True
                    self._done(outcomes, jobs, i)
        except KeyboardInterrupt:  # stop the workers now (Python 3.14's terminate_workers does this publicly)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            if started:
                self._pool = None
            raise Interrupted(outcomes) from None
        if not started or broken:  # a pool a worker died in takes no more jobs: the next map starts its own
            pool.shutdown(wait=not broken)
            if started:
                self._pool = None
        return [outcome if outcome is not None else Outcome(None, 0.0, [], RuntimeError("not run"))
                for outcome in outcomes]

    def _done(self, outcomes: list[Outcome | None], jobs: Sequence[Job], i: int) -> None:
        outcome = outcomes[i]
        assert outcome is not None
        count = sum(o is not None for o in outcomes)
        name = check_name(jobs[i].check)
        state = "ERROR" if outcome.error is not None else f"{outcome.seconds:.1f} s"
        self._report(f"check runs: {count}/{len(jobs)} done ({name}, {len(jobs[i].seeds)} replicas, {state})")

    def close(self) -> None:
        """Stop the workers :meth:`start` spawned (a map's own pool is shut down when the map returns)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
