"""Theory verifier: check theorems of machine-learning theory papers symbolically and by simulation.

The engine knows no paper: specs live in ``theorems/`` (or plugins), simulations in ``checks/``.
Its rooms, each importing only the rooms listed before it: ``spec`` (the vocabulary of results,
claims and figures), ``judging`` (symbolic decisions, acceptance tests, verdicts, propagation),
``running`` (registry, runner, store, batching, compute, executors), ``presentation`` (terminal,
HTML, plots, notebook; renders stored records and never imports ``running``) and ``interfaces``
(CLI, Python API, pytest plugin, scaffold).

Importing the package loads only the spec vocabulary (what ``theorems/`` modules use); ``run``,
``RunResult`` and the notebook renderer are imported on first use, so the ``verify`` command starts fast.
"""
from __future__ import annotations

import importlib
from typing import Any

from verifier.judging.verdicts import Verdict
from verifier.spec.claims import (
                                  Approx,
                                  Bound,
                                  Duration,
                                  Exponent,
                                  Identity,
                                  Implication,
                                  Limit,
                                  Order,
                                  Ordering,
                                  Probability,
                                  Rate,
)
from verifier.spec.derive import DeriveError, derive
from verifier.spec.figures import Histogram, LogLog, Sweep, Trajectory
from verifier.spec.provenance import Origin, Provenance
from verifier.spec.readings import Reading
from verifier.spec.results import Axis, Kind, Paper, Parameter, Result

_LAZY = {"run": "verifier.interfaces.api", "RunResult": "verifier.interfaces.api", "builtin": "verifier.interfaces.api",
         "notebook": "verifier.presentation.notebook"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name])
    return module if name == "notebook" else getattr(module, name)


def _result_html(result: Result) -> str:
    """Jupyter's display of a spec, drawn by the notebook renderer (imported on first display)."""
    from verifier.presentation.notebook import result_html

    return result_html(result)


Result.html_renderer = _result_html

__all__ = ["Approx", "Axis", "Bound", "DeriveError", "Duration", "Exponent", "Histogram", "Identity", "Implication", "Kind", "Limit",
           "LogLog", "Order", "Ordering", "Origin", "Paper", "Parameter", "Probability", "Provenance", "Rate", "Reading", "Result", "RunResult", "Sweep",
           "Trajectory", "Verdict", "builtin", "derive", "run"]
