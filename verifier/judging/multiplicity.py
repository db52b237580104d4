"""The family correction of one run: every empirical claim it judged is one test of "does it fail?".

Judged one by one at alpha = 0.05, a run of 360 claims raises about 18 false FAILs by chance alone.
Each claim's ``p_fail`` (the test dual to its interval, :mod:`verifier.judging.acceptance`) is adjusted
over the run's family with statsmodels' ``multipletests``: Holm by default (family-wise error at alpha,
valid under any dependence between claims), Bonferroni, Benjamini-Hochberg (false discovery rate), or
none. A claim FAILs only when its adjusted p-value is below its alpha; one that failed unadjusted and
no longer does becomes INCONCLUSIVE, and the run says so.

A PASS needs no correction: a result passes only when every one of its claims passes, an
intersection-union test whose level is that of each claim (Berger 1982); its p-value is the largest of
its claims' ``p_pass``.
"""
from __future__ import annotations

from typing import Sequence

CORRECTIONS = ("holm", "bonferroni", "bh", "none")
_STATSMODELS_METHOD = {"holm": "holm", "bonferroni": "bonferroni", "bh": "fdr_bh"}


def adjust(p_values: Sequence[float], method: str) -> list[float]:
    """The adjusted p-values of a family (the same numbers for ``none``)."""
    if method not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, got {method!r}")
    if method == "none" or not p_values:
        return [float(p) for p in p_values]
    from statsmodels.stats.multitest import multipletests

    return [float(p) for p in multipletests(list(p_values), method=_STATSMODELS_METHOD[method])[1]]


def intersection_union(p_pass: Sequence[float | None]) -> float | None:
    """p-value of "every claim holds" from the claims' own: the largest (None when none was tested)."""
    tested = [p for p in p_pass if p is not None]
    return max(tested) if tested else None
