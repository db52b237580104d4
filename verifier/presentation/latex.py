"""Claims as LaTeX for the report (KaTeX typesets them in the browser), from the registry's specs."""
from __future__ import annotations

from typing import Any, Iterable

import sympy as sp


def _latex(expr: Any, measured: Iterable[str]) -> str:
    """sympy LaTeX with measured quantities set upright (``\\mathrm{test\\_err}``)."""
    expr = sp.sympify(expr)
    measured = set(measured)
    names = {s: r"\mathrm{" + s.name.replace("_", r"\_") + "}" for s in expr.free_symbols
             if isinstance(s, sp.Symbol) and (s.name in measured or len(s.name) > 1 and "_" in s.name and s.name.count("_") > 1)}
    return sp.latex(expr, symbol_names=names)


def symbol_latex(name: str) -> str:
    """A reading's symbol as LaTeX (``c_0`` -> ``c_{0}``, ``sigma0`` -> ``\\sigma_{0}``)."""
    try:
        return _latex(sp.Symbol(name), ())
    except Exception:  # noqa: BLE001 - a name sympy cannot set is shown upright
        return measure_latex(name)


def measure_latex(name: str) -> str:
    """A measured quantity's name, upright (``test_err`` -> ``\\mathrm{test\\_err}``)."""
    return r"\mathrm{" + "".join("\\" + ch if ch in "_#$%&{}" else ch for ch in name) + "}"


def claim_latex(claim: Any, measured: Iterable[str] = ()) -> str:
    """A LaTeX rendering of what a claim asserts (engine claim types; '' for an unknown type)."""
    from verifier.spec import claims as c

    L = lambda e: _latex(e, measured)  # noqa: E731
    rel = {"<=": r"\le", ">=": r"\ge", "==": "="}
    try:
        if isinstance(claim, c.Bound):
            left = rf"\mathbb{{E}}\big[{L(claim.quantity)}\big]"
            if claim.statistic == "proportion":
                left = rf"\overline{{{L(claim.quantity)}}}_{{\text{{pooled over }} {L(claim.trials)} \text{{ trials}}}}"
            return rf"{left} {rel[claim.relation]} {L(claim.bound)}"
        if isinstance(claim, c.Ordering):
            return rf"\mathbb{{E}}\big[{L(claim.lesser)}\big] \le \mathbb{{E}}\big[{L(claim.greater)}\big]"
        if isinstance(claim, c.Approx):
            return rf"\mathbb{{E}}\big[{L(claim.quantity)}\big] = (1 \pm {claim.rtol:g})\, {L(claim.target)}"
        if isinstance(claim, c.Probability):
            tol = rf" \pm {claim.atol:g}" if claim.relation == "==" else ""
            return rf"\Pr\big[{L(claim.event)}\big] {rel[claim.relation]} {L(claim.value)}{tol}"
        if isinstance(claim, c.Rate):
            return rf"{L(claim.quantity)} \sim \left({L(claim.over)}\right)^{{{L(claim.exponent)} \pm {claim.tol:g}}}"
        if isinstance(claim, c.Duration):
            return (rf"\frac{{{L(claim.measured)}}}{{{L(claim.predicted)}}} \in "
                    rf"\Big[\frac{{1}}{{1 + {claim.rtol:g}}},\ 1 + {claim.rtol:g}\Big]")
        if isinstance(claim, c.Identity):
            return rf"{L(claim.lhs)} = {L(claim.rhs)}"
        if isinstance(claim, c.Limit):
            direction = {"+": "^+", "-": "^-"}.get(claim.direction, "")
            return rf"\lim_{{{L(claim.var)} \to {L(claim.point)}{direction}}} {L(claim.expr)} = {L(claim.value)}"
        if isinstance(claim, c.Implication):
            premises = r" \;\wedge\; ".join(L(p) for p in claim.premises)
            conclusion = r"\text{contradiction}" if claim.conclusion is sp.false else L(claim.conclusion)
            return rf"{premises} \;\Longrightarrow\; {conclusion}"
    except Exception:  # a formula is a courtesy: never let it break the page
        return ""
    return ""
