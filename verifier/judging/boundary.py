"""Where a result's verdict changes along one parameter (``verify boundary``): bisection over probes.

Each probe maps a parameter value to a verdict; which test decides that verdict is the probe's business
(today the fixed-replica acceptance test of a normal run, see :mod:`verifier.running.boundary`), so a
sequential test can be swapped in without touching the search. The search brackets the value where the
verdict stops being the one found at the lower end of the range: a probe with that verdict moves the
lower bracket up, any other verdict moves the upper bracket down. The probes are stochastic (each has
its own seeds), so the reported interval is the last pair of bracketing probes, not a guarantee.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Probe = Callable[[float], str]  # parameter value -> the verdict judged there


@dataclass
class Boundary:
    """The probes in the order they ran, and the bracket on the change of verdict (None when none)."""

    parameter: str
    low: float
    high: float
    probes: list[tuple[float, str]] = field(default_factory=list)
    bracket: tuple[float, float] | None = None
    below: str = ""  # the verdict at the lower bracket (the range's lower end's)
    above: str = ""  # the verdict at the upper bracket

    @property
    def changes(self) -> bool:
        return self.bracket is not None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changes": self.changes}


def bisect(probe: Probe, parameter: str, low: float, high: float, probes: int, integer: bool = False) -> Boundary:
    """Probe both ends, then bisect the bracket until ``probes`` probes ran (or, for an integer parameter,
    the bracket's ends are adjacent). No bracket when both ends give the same verdict."""
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"expected a finite range with low < high, got [{low}, {high}]")
    if probes < 2:
        raise ValueError(f"expected at least 2 probes (the two ends), got {probes}")
    found = Boundary(parameter, low, high)

    def run(value: float) -> str:
        verdict = probe(value)
        found.probes.append((value, verdict))
        return verdict

    found.below, found.above = run(low), run(high)
    if found.below == found.above:
        return found
    lo, hi = low, high
    while len(found.probes) < probes:
        middle = (lo + hi) // 2 if integer else (lo + hi) / 2
        if middle in (lo, hi):
            break
        verdict = run(middle)
        if verdict == found.below:
            lo = middle
        else:
            hi, found.above = middle, verdict
    found.bracket = (lo, hi)
    return found
