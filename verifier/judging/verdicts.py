"""The vocabulary of verdicts (design note) and how they combine."""
from __future__ import annotations

import enum


class Verdict(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    ERROR = "ERROR"
    BLOCKED = "BLOCKED"
    SYMBOLIC = "SYMBOLIC"

    @property
    def ok(self) -> bool:
        """Whether a result with this verdict supports the results that use it."""
        return self in (Verdict.PASS, Verdict.SYMBOLIC)


_SEVERITY = [Verdict.ERROR, Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.PASS, Verdict.SYMBOLIC]


def combine(verdicts: list[Verdict]) -> Verdict:
    """The verdict of a result from those of its claims: the most severe wins; a result whose
    claims are all symbolic is SYMBOLIC, one with any empirical PASS is PASS."""
    if not verdicts:
        return Verdict.INCONCLUSIVE
    for verdict in _SEVERITY[:3]:
        if verdict in verdicts:
            return verdict
    return Verdict.PASS if Verdict.PASS in verdicts else Verdict.SYMBOLIC
