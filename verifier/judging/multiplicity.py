"""The family correction of one run: every empirical claim it judged is one test of "does it fail?".

Judged one by one at alpha = 0.05, a run of 360 claims raises about 18 false FAILs by chance alone.
Each claim's ``p_fail`` (the test dual to its interval, :mod:`verifier.judging.acceptance`) is adjusted
over the run's family: Holm by default (family-wise error at alpha, valid under any dependence between
claims), Bonferroni, Benjamini-Hochberg (false discovery rate), or none. The adjusted p-values are
computed here in numpy (importing statsmodels cost 0.7 s of every run); ``tests/test_multiplicity.py``
checks them against statsmodels' ``multipletests``. A claim FAILs only when its adjusted p-value is
below its alpha; one that failed unadjusted and no longer does becomes INCONCLUSIVE, and the run says so.

A PASS needs no correction: a result passes only when every one of its claims passes, an
intersection-union test whose level is that of each claim (Berger 1982); its p-value is the largest of
its claims' ``p_pass``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

CORRECTIONS = ("holm", "bonferroni", "bh", "none")


def adjust(p_values: Sequence[float], method: str) -> list[float]:
    """The adjusted p-values of a family (the same numbers for ``none``), capped at 1."""
    if method not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, got {method!r}")
    p = np.asarray(p_values, dtype=float)
    if method == "none" or p.size == 0:
        return [float(v) for v in p]
    m = p.size
    if method == "bonferroni":
        return [float(v) for v in np.minimum(p * m, 1.0)]
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":   # step-down: max over j <= i of (m - j) p_(j), 0-based
        stepped = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:                  # Benjamini-Hochberg step-up: min over j >= i of m p_(j) / (j + 1)
        stepped = np.minimum.accumulate((m * ranked / np.arange(1, m + 1))[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return [float(v) for v in adjusted]


def intersection_union(p_pass: Sequence[float | None]) -> float | None:
    """p-value of "every claim holds" from the claims' own: the largest (None when none was tested)."""
    tested = [p for p in p_pass if p is not None]
    return max(tested) if tested else None
