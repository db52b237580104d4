"""Stability of a verdict across master seeds (``--seeds K``): a verdict that flips with the seed is
reported "unstable" wherever the verdict is shown."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def stability(seeds: Sequence[int], verdicts: Sequence[str]) -> dict[str, Any]:
    """The verdict under each seed, and whether they all agree."""
    if len(seeds) != len(verdicts) or not seeds:
        raise ValueError(f"need one verdict per seed, got {len(verdicts)} verdicts for seeds {list(seeds)}")
    return {"seeds": list(seeds), "verdicts": list(verdicts), "stable": len(set(verdicts)) == 1}


def unstable(record: Mapping[str, Any]) -> bool:
    """Whether a stored record was judged under several seeds and its verdict flipped."""
    return not (record.get("stability") or {}).get("stable", True)


def describe(record: Mapping[str, Any]) -> str:
    """'seed 0 PASS, seed 1 FAIL' for a record judged under several seeds ('' otherwise)."""
    info = record.get("stability") or {}
    return ", ".join(f"seed {s} {v}" for s, v in zip(info.get("seeds", []), info.get("verdicts", [])))
