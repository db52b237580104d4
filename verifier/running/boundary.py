"""The probes of ``verify boundary``: each is a normal stored run of the result with the parameter
overridden (the same as ``verify theorem ID --param NAME=VALUE``), so rerunning a search serves its
probes' simulations from the store. The search itself is stored as a run of its own (no results; the
search in its details), which the HTML report renders."""
from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import Any

from verifier.judging.boundary import bisect
from verifier.running.environment import describe
from verifier.running.registry import Registry
from verifier.running.runner import Options, Runner
from verifier.running.store import Store


def search(registry: Registry, options: Options, store: Store | None, rid: str, parameter: str, low: float,
           high: float, probes: int, argv: list[str]) -> dict[str, Any]:
    """Bisect ``parameter`` of result ``rid`` over [low, high]: the search (``id``, the bisection's fields,
    ``runs``: each probe's run id, cache use and deciding intervals, in the order the probes ran, and
    ``search_id``), also stored in ``store`` as a run of its own."""
    integer = any(p.integer for p in registry.results[rid].parameters if p.name == parameter)
    runs: list[dict[str, Any]] = []
    started = time.time()

    def probe(value: float) -> str:
        value = int(value) if integer else value
        probe_options = replace(options, overrides={**options.overrides, parameter: value})
        record = Runner(registry, probe_options, store).run([rid], [*argv, "--param", f"{parameter}={value}"])
        if record.interrupted:
            raise KeyboardInterrupt
        item = next(r for r in record.results if r["id"] == rid)
        runs.append({"value": value, "verdict": item["verdict"], "run_id": record.run_id,
                     "cache_hit": bool(item.get("cache_hit")),
                     "claims": [{"label": c.get("label"), "verdict": c.get("verdict"), "statistic": c.get("statistic"),
                                 "estimate": c.get("estimate"), "ci": c.get("ci"), "relation": c.get("relation")}
                                for c in item.get("claims", [])]})
        return item["verdict"]

    found = {"id": rid, **bisect(probe, parameter, low, high, probes, integer).to_dict(), "runs": runs,
             "search_id": uuid.uuid4().hex[:12]}
    if store:
        options_record = {**vars(options), "overrides": dict(options.overrides)}
        store.save_boundary(found["search_id"], argv, describe(options.device),
                            {"options": options_record, "targets": [rid], "boundary": found}, started, time.time())
    return found
