"""Python entry point for notebooks and scripts: ``verifier.run("corollary-5.3", profile="quick")``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from verifier.judging.verdicts import Verdict
from verifier.presentation.notebook import records_html
from verifier.running import registry as reg
from verifier.running import seed_sweep
from verifier.running.environment import resolve_device
from verifier.running.runner import Options, RunRecord
from verifier.running.store import Store, default_path


@dataclass
class RunResult:
    """What :func:`run` returns: the records (plain dicts, as in the JSON report) and, per result,
    the measured arrays (numpy) its claims were judged on; ``runs`` holds the run of every master seed."""

    record: RunRecord
    measurements: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    runs: list[RunRecord] = field(default_factory=list)  # one per master seed (``seeds``), the base seed's first

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self.record.results}

    @property
    def verdict(self) -> Verdict:
        """The verdict of the result asked for (the last one run)."""
        return Verdict(self.record.results[-1]["verdict"])

    @property
    def ok(self) -> bool:
        return self.record.ok

    def to_dict(self) -> dict[str, Any]:
        return self.record.to_dict()

    def _repr_html_(self) -> str:
        return records_html(self.record.results)


def builtin(name: str):
    """The built-in result spec with this id or unique alias (a :class:`~verifier.spec.results.Result`), to
    derive a plugin's own result from (:func:`verifier.derive`); ResolveError with close matches otherwise."""
    registry = reg.load((), autoload=False)
    return registry.results[reg.resolve(registry, name)]


def run(name: str, profile: str = "quick", device: str = "auto", seed: int = 0, replicas: int | None = None,
        plugins: Iterable[str] = (), store: str | Path | None = None,
        params: Mapping[str, float] | None = None, precision: str = "auto", threads: int | None = None,
        max_batch: int | None = None, use_cache: bool = True, adaptive: bool = False, seeds: int = 1) -> RunResult:
    """Verify one result (id or alias) and everything it uses; returns a :class:`RunResult`.
    ``precision``, ``threads``, ``max_batch``, ``adaptive`` and ``seeds`` are the CLI's ``--precision``,
    ``--threads``, ``--max-batch``, ``--adaptive`` and ``--seeds K``: with ``seeds`` > 1 the result is run
    under the master seeds ``seed``, ``seed + 1``, ..., every record gains ``stability``, and
    :attr:`RunResult.record` and the measurements are the base seed's (every run is in ``RunResult.runs``)."""
    registry = reg.load(plugins)
    target = reg.resolve(registry, name)
    options = Options(profile=profile, device=resolve_device(device), seed=seed, replicas=replicas,
                      overrides=dict(params or {}), precision=precision, threads=threads, max_batch=max_batch,
                      use_cache=use_cache, adaptive=adaptive)
    database = Store(store or default_path())
    try:
        runners = seed_sweep.seed_runners(registry, options, database, seeds)
        runs = seed_sweep.sweep(runners, database, [target], argv=["verifier.run", name])
        base = runners[0]
        measured = {r["id"]: base.measurements_of(r["measurement_key"]) for r in runs[0].results
                    if r.get("measurement_key")}
    finally:
        database.close()
    return RunResult(runs[0], measured, runs)
