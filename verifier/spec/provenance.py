"""Where a statement comes from, as data (the notes' tags in ``../shared/papers/``).

The team's notes tag every item: FOUND (verbatim in the paper), FOUND (secondary) (a public
restatement or the authors' code, the paper being out of reach), or RECONSTRUCTED with a confidence
R-high / R-med / R-low (rebuilt from the text and the methods it builds on). A failing statement that
was FOUND is a finding about the paper; a failing RECONSTRUCTED one says our reading fails.

A spec declares :class:`Provenance` directly, or writes the notes' tag in ``Result.tag`` and lets
:func:`parse_tag` read it: the weakest part of a mixed tag wins ("statement FOUND, formulas R-low" is
RECONSTRUCTED, low), because a check reads the formulas as well as the statement.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Origin(str, enum.Enum):
    FOUND = "found"                    # verbatim or near-verbatim in the paper
    SECONDARY = "found-secondary"      # a restatement, the seed summary or the authors' code
    RECONSTRUCTED = "reconstructed"    # rebuilt by the notes; see the confidence
    UNDECLARED = "undeclared"          # the spec says nothing: treated as RECONSTRUCTED


CONFIDENCES = ("high", "med", "low")


@dataclass(frozen=True)
class Provenance:
    """The origin of a statement, the notes' confidence in a reconstruction, and the tag's words."""

    origin: Origin
    confidence: str | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.origin, Origin):
            object.__setattr__(self, "origin", Origin(self.origin))
        if self.confidence is not None and self.confidence not in CONFIDENCES:
            raise ValueError(f"provenance confidence must be one of {CONFIDENCES} or None, got {self.confidence!r}")

    @property
    def found(self) -> bool:
        """Whether the statement is the paper's (first- or second-hand): its failure is a finding."""
        return self.origin in (Origin.FOUND, Origin.SECONDARY)

    @property
    def label(self) -> str:
        """Short form for reports: FOUND, FOUND (secondary), RECONSTRUCTED (R-low), undeclared."""
        if self.origin is Origin.FOUND:
            return "FOUND"
        if self.origin is Origin.SECONDARY:
            return "FOUND (secondary)"
        if self.origin is Origin.RECONSTRUCTED:
            return f"RECONSTRUCTED (R-{self.confidence})" if self.confidence else "RECONSTRUCTED"
        return "undeclared"

    def to_dict(self) -> dict[str, str | bool | None]:
        return {"origin": self.origin.value, "confidence": self.confidence, "label": self.label,
                "found": self.found, "detail": self.detail}


UNDECLARED = Provenance(Origin.UNDECLARED)
_LEVEL = re.compile(r"\bR-(high|med|low)\b")


def parse_tag(tag: str) -> Provenance:
    """The provenance that a notes tag states; ValueError names a tag that says none of them."""
    text = tag.strip()
    if not text:
        return UNDECLARED
    levels = _LEVEL.findall(text)
    if levels or "RECONSTRUCTED" in text:
        weakest = max(levels, key=CONFIDENCES.index) if levels else None
        return Provenance(Origin.RECONSTRUCTED, weakest, text)
    if "FOUND" in text and ("secondary" in text or "seed" in text):
        return Provenance(Origin.SECONDARY, None, text)
    if "FOUND" in text:
        return Provenance(Origin.FOUND, None, text)
    raise ValueError(f"tag {tag!r} states no provenance: expected FOUND, FOUND (secondary), RECONSTRUCTED or R-high/med/low")
