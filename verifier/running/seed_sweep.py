"""``--seeds K``: the same run under K master seeds (base, base + 1, ...), each stored as its own run,
every record annotated with the verdicts of all K (:mod:`verifier.judging.stability`).

The command line, :func:`verifier.run` and the pytest plugin all run through :func:`sweep`: with one
seed it is a plain run."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from verifier.judging.stability import stability
from verifier.running import executors
from verifier.running.registry import Registry
from verifier.running.runner import Options, Runner, RunRecord
from verifier.running.store import Store


def seed_runners(registry: Registry, options: Options, store: Store | None, count: int) -> list[Runner]:
    """One runner per master seed ``options.seed``, ``options.seed + 1``, ..., in seed order (ValueError
    naming ``seeds`` unless ``count`` is a positive integer)."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"seeds must be a positive integer, got {count!r}")
    return [Runner(registry, replace(options, seed=options.seed + offset), store) for offset in range(count)]


def sweep(runners: Sequence[Runner], store: Store | None, targets: list[str], argv: list[str],
          progress: Callable[[int, int, str, dict[str, Any] | None], None] = lambda *a: None,
          run_many: executors.MapFunction | None = None) -> list[RunRecord]:
    """The targets run by each runner (one per master seed, as :func:`seed_runners` makes them), returned
    in seed order (the base seed's first). With several, each record of each run gains ``stability`` and
    the base seed runs last, so it is the store's latest run (``verify findings``, ``verify next``). Stops
    after an interrupted run."""
    runs: list[RunRecord] = []
    for runner in [*runners[1:], runners[0]]:
        runs.append(runner.run(targets, argv, progress, run_many))
        if runs[-1].interrupted:
            break
    runs.sort(key=lambda run: run.options.seed)
    if len(runners) > 1:
        _annotate(runs, store)
    return runs


def run_seeds(registry: Registry, options: Options, store: Store | None, targets: list[str], argv: list[str],
              count: int, progress: Callable[[int, int, str, dict[str, Any] | None], None] = lambda *a: None,
              run_many: executors.MapFunction | None = None) -> list[RunRecord]:
    """One run per seed (:func:`sweep` over :func:`seed_runners`), returned in seed order."""
    return sweep(seed_runners(registry, options, store, count), store, targets, argv, progress, run_many)


def _annotate(runs: list[RunRecord], store: Store | None) -> None:
    """Give every record of every run the verdicts under all seeds, and store it again with them."""
    seeds = [run.options.seed for run in runs]
    by_seed = [{item["id"]: item["verdict"] for item in run.results} for run in runs]
    for run in reversed(runs):  # the base seed's records saved last: the store's latest for each result
        for item in run.results:
            item["stability"] = stability(seeds, [verdicts.get(item["id"], "not run") for verdicts in by_seed])
            if store:
                store.save_result(run.run_id, item)
