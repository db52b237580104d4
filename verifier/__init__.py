"""Theory verifier: check theorems of machine-learning theory papers symbolically and by simulation.

The engine knows no paper: specs live in ``theorems/`` (or plugins), simulations in ``checks/``.
"""
from verifier.api import RunResult, run
from verifier.claims import (Approx, Bound, Duration, Exponent, Identity, Implication, Limit, Ordering, Probability,
                             Rate)
from verifier.spec import Kind, Paper, Parameter, Result
from verifier.verdicts import Verdict

__all__ = ["Approx", "Bound", "Duration", "Exponent", "Identity", "Implication", "Kind", "Limit", "Ordering", "Paper",
           "Parameter", "Probability", "Rate", "Result", "RunResult", "Verdict", "run"]
