"""Readings: what a finite-size word (o(1), w.h.p., O~, poly, polylog) stands for at a given size.

A :class:`Reading` is defined once and referenced by every result that uses it (``Result.readings``),
so a run prints it once. A reading may fix a constant as a named symbol that claims use in their
bounds (``symbol``, ``value``): the engine substitutes it when judging. Where the text admits other
values, ``alternatives`` lists them; ``verify ... --readings all`` judges the claims under each, on the
same measurements, side by side, and says whether the verdict depends on the reading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from verifier.spec.provenance import Provenance


@dataclass(frozen=True)
class Reading:
    """One finite-size reading: its name, the word it reads, what it means here, why, and its source."""

    name: str
    word: str
    means: str
    why: str = ""
    provenance: Provenance | None = None
    symbol: str | None = None
    value: float | None = None
    alternatives: Mapping[str, float] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What is wrong with this reading's declaration (empty when nothing)."""
        errors = [f"reading {self.name or '?'!r}: {name} is empty" for name in ("name", "word", "means")
                  if not getattr(self, name)]
        if (self.symbol is None) != (self.value is None):
            errors.append(f"reading {self.name!r}: a symbol needs a value and a value a symbol")
        if self.alternatives and self.symbol is None:
            errors.append(f"reading {self.name!r}: alternatives need a symbol whose value they replace")
        return errors

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "word": self.word, "means": self.means, "why": self.why,
                "provenance": self.provenance.to_dict() if self.provenance else None, "symbol": self.symbol,
                "value": self.value, "alternatives": dict(self.alternatives)}
