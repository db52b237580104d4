"""Readings: what a finite-size word (o(1), w.h.p., O~, poly, polylog) stands for at a given size.

A :class:`Reading` is defined once and referenced by every result that uses it (``Result.readings``),
so a run prints it once. A reading may fix a constant as a named symbol that claims use in their
bounds (``symbol``, ``value``): the engine substitutes it when judging. It may instead choose an
estimator: ``aliases`` names, for symbols the claims use, the measurements that stand for them. Where
the text admits other values or estimators, ``alternatives`` / ``alternative_aliases`` list them; ``verify ... --readings all`` judges the claims under each, on the
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
    aliases: Mapping[str, str] = field(default_factory=dict)  # symbol -> the measurement it reads
    alternative_aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # label -> aliases

    def problems(self) -> list[str]:
        """What is wrong with this reading's declaration (empty when nothing)."""
        errors = [f"reading {self.name or '?'!r}: {name} is empty" for name in ("name", "word", "means")
                  if not getattr(self, name)]
        if (self.symbol is None) != (self.value is None):
            errors.append(f"reading {self.name!r}: a symbol needs a value and a value a symbol")
        if self.alternatives and self.symbol is None:
            errors.append(f"reading {self.name!r}: alternatives need a symbol whose value they replace")
        for label, aliases in self.alternative_aliases.items():
            if set(aliases) != set(self.aliases):
                errors.append(f"reading {self.name!r}: alternative {label!r} must re-map exactly the symbols "
                              f"{sorted(self.aliases)}, got {sorted(aliases)}")
        return errors

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "word": self.word, "means": self.means, "why": self.why,
                "provenance": self.provenance.to_dict() if self.provenance else None, "symbol": self.symbol,
                "value": self.value, "alternatives": dict(self.alternatives), "aliases": dict(self.aliases),
                "alternative_aliases": {k: dict(v) for k, v in self.alternative_aliases.items()}}
