"""``--seeds K``: the same run under K master seeds (base, base + 1, ...), each stored as its own run,
every record annotated with the verdicts of all K (:mod:`verifier.judging.stability`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from verifier.judging.stability import stability
from verifier.running import executors
from verifier.running.registry import Registry
from verifier.running.runner import Options, Runner, RunRecord
from verifier.running.store import Store


def run_seeds(registry: Registry, options: Options, store: Store | None, targets: list[str], argv: list[str],
              count: int, progress: Callable[[int, int, str, dict[str, Any] | None], None] = lambda *a: None,
              run_many: executors.MapFunction | None = None) -> list[RunRecord]:
    """One run per seed, returned in seed order (the base seed's first); each record of each run gains
    ``stability``. The base seed runs last, so it is the store's latest run (``verify findings``, ``verify
    next``). Stops after an interrupted run."""
    if count < 1:
        raise ValueError(f"seeds must be a positive integer, got {count!r}")
    runs: list[RunRecord] = []
    for offset in [*range(1, count), 0]:
        runs.append(Runner(registry, replace(options, seed=options.seed + offset), store).run(
            targets, argv, progress, run_many))
        if runs[-1].interrupted:
            break
    runs.sort(key=lambda run: run.options.seed)
    seeds = [run.options.seed for run in runs]
    by_seed = [{item["id"]: item["verdict"] for item in run.results} for run in runs]
    for run in reversed(runs):  # the base seed's records saved last: the store's latest for each result
        for item in run.results:
            item["stability"] = stability(seeds, [verdicts.get(item["id"], "not run") for verdicts in by_seed])
            if store:
                store.save_result(run.run_id, item)
    return runs
