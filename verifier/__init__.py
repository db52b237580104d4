"""Theory verifier: check theorems of machine-learning theory papers symbolically and by simulation.

The engine knows no paper: specs live in ``theorems/`` (or plugins), simulations in ``checks/``.
Its rooms, each importing only the rooms listed before it: ``spec`` (the vocabulary of results,
claims and figures), ``judging`` (symbolic decisions, acceptance tests, verdicts, propagation),
``running`` (registry, runner, store, batching, compute, executors), ``presentation`` (terminal,
HTML, plots, notebook; renders stored records and never imports ``running``) and ``interfaces``
(CLI, Python API, pytest plugin, scaffold).
"""
from verifier.interfaces.api import RunResult, builtin, run
from verifier.judging.verdicts import Verdict
from verifier.presentation import notebook
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
from verifier.spec.results import Kind, Paper, Parameter, Result

notebook.install()

__all__ = ["Approx", "Bound", "DeriveError", "Duration", "Exponent", "Histogram", "Identity", "Implication", "Kind", "Limit",
           "LogLog", "Order", "Ordering", "Origin", "Paper", "Parameter", "Probability", "Provenance", "Rate", "Reading", "Result", "RunResult", "Sweep",
           "Trajectory", "Verdict", "builtin", "derive", "run"]
