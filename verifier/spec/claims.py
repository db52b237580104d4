"""Claims: what a result asserts, as data built from sympy expressions.

Empirical claims (:class:`Bound`, :class:`Approx`, :class:`Probability`, :class:`Rate`,
:class:`Duration`, :class:`Ordering`) are judged on measurements by :mod:`verifier.judging.evaluate`; each
has a *negative control*, a deliberately false variant judged on the same data, which must be
rejected for a PASS to be earned. Symbolic claims (:class:`Identity`, :class:`Implication`,
:class:`Limit`) are decided by sympy alone.

Symbols in a claim name either a spec parameter or a measured quantity (``Result.measures``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar, Mapping

import sympy as sp

from verifier.spec.provenance import Provenance

Expr = sp.Basic
RELATIONS = ("<=", ">=")


def _sym(value: object) -> sp.Basic:
    return value if isinstance(value, sp.Basic) else sp.sympify(value)


@dataclass(frozen=True)
class Claim:
    """Base class: a labelled assertion. ``empirical`` claims need a check."""

    label: str
    # where this claim's formula comes from, when it differs from its result's (e.g. a FOUND statement
    # read through a RECONSTRUCTED constant)
    provenance: Provenance | None = field(default=None, kw_only=True)
    # read one grid point of the measurements that declare the axis (Result.shapes): {axis name: index} (an
    # int) or {axis name: label} (a float, matched against the measurement named after the axis)
    at: Mapping[str, int | float] | None = field(default=None, kw_only=True)
    empirical: ClassVar[bool] = True

    def expressions(self) -> tuple[sp.Basic, ...]:
        """Every sympy expression the claim reads (used to validate its symbols)."""
        raise NotImplementedError

    def control(self) -> "Claim | None":
        """The deliberately false variant judged on the same data (None for symbolic claims)."""
        return None

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Bound(Claim):
    """The mean over replicas of ``quantity`` is ``<=`` or ``>=`` ``bound``.

    ``statistic="mean"`` judges a t-interval over replicas of ``quantity - bound``;
    ``statistic="proportion"`` treats ``quantity`` as an error rate over ``trials`` points per replica
    and judges a Clopper-Pearson interval of the pooled count (``bound`` must then be a constant).
    The control tightens the bound by ``control_factor`` (divides an upper bound, multiplies a lower
    one) unless ``explicit_control`` is given. With ``support`` declared, a default control that lies
    outside the range (``accuracy >= 1.5``), is not stricter than the claim (a negative bound), or lies
    farther than half-way to the range's end is moved, when judged, half-way from the bound to the
    range's end (``hi`` for ``>=``, ``lo`` for ``<=``). Without it, a lower bound's tightened control
    that lies beyond every measured value is moved to the measurement's mean plus ``control_margin``
    standard deviations of its replicas (:mod:`verifier.judging.controls`).
    """

    quantity: Expr = sp.S.Zero
    relation: str = "<="
    bound: Expr = sp.S.Zero
    statistic: str = "mean"
    trials: Expr | None = None
    control_factor: float = 2.0
    explicit_control: "Claim | None" = None
    control_margin: float = 2.0  # in replica standard deviations: where an impossible default control is moved
    # the range [lo, hi] every replica's value of ``quantity`` lies in, where it is known (an error rate:
    # (0, 1)); only then can ``verify --adaptive`` stop early on a mean (a betting test needs the range; a
    # pooled proportion's per-replica proportions lie in [0, 1] whatever it declares)
    support: tuple[float, float] | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", _sym(self.quantity))
        object.__setattr__(self, "bound", _sym(self.bound))
        if self.support is not None and not (len(self.support) == 2 and float(self.support[0]) < float(self.support[1])):
            raise ValueError(f"claim {self.label!r}: support must be (lo, hi) with lo < hi, got {self.support!r}")
        if self.relation not in RELATIONS:
            raise ValueError(f"claim {self.label!r}: relation must be one of {RELATIONS}, got {self.relation!r}")
        if self.statistic not in ("mean", "proportion"):
            raise ValueError(f"claim {self.label!r}: statistic must be 'mean' or 'proportion', got {self.statistic!r}")
        if self.statistic == "proportion" and self.trials is None:
            raise ValueError(f"claim {self.label!r}: statistic='proportion' needs trials")

    def expressions(self) -> tuple[sp.Basic, ...]:
        extra = (_sym(self.trials),) if self.trials is not None else ()
        return (self.quantity, self.bound, *extra)

    def control(self) -> Claim | None:
        if self.explicit_control is not None:
            return self.explicit_control
        if self.bound == 0:
            return None
        factor = sp.Float(self.control_factor)
        tightened = self.bound / factor if self.relation == "<=" else self.bound * factor
        return replace(self, label=f"control: {self.label}", bound=tightened, explicit_control=None)

    def describe(self) -> str:
        return f"E[{sp.sstr(self.quantity)}] {self.relation} {sp.sstr(self.bound)}"


@dataclass(frozen=True)
class Ordering(Claim):
    """``lesser`` is below ``greater`` in the mean over replicas (a paired comparison).

    The control scales ``lesser`` by ``control_factor``: the data must reject
    ``control_factor * lesser <= greater``.
    """

    lesser: Expr = sp.S.Zero
    greater: Expr = sp.S.Zero
    control_factor: float = 2.0
    explicit_control: "Claim | None" = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lesser", _sym(self.lesser))
        object.__setattr__(self, "greater", _sym(self.greater))

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.lesser, self.greater)

    def control(self) -> Claim | None:
        if self.explicit_control is not None:
            return self.explicit_control
        return replace(self, label=f"control: {self.label}",
                       lesser=self.lesser * sp.Float(self.control_factor), explicit_control=None)

    def describe(self) -> str:
        return f"E[{sp.sstr(self.lesser)}] <= E[{sp.sstr(self.greater)}]"


@dataclass(frozen=True)
class Approx(Claim):
    """``quantity`` equals ``target`` up to a relative tolerance: mean ratio in [1-rtol, 1+rtol].

    This is the finite-size reading of ``(1 +- o(1)) target``: ``rtol`` stands for the o(1).
    The control moves the target by ``control_factor``.
    """

    quantity: Expr = sp.S.Zero
    target: Expr = sp.S.One
    rtol: float = 0.1
    control_factor: float = 2.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", _sym(self.quantity))
        object.__setattr__(self, "target", _sym(self.target))

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.quantity, self.target)

    def control(self) -> Claim | None:
        return replace(self, label=f"control: {self.label}", target=self.target * sp.Float(self.control_factor))

    def describe(self) -> str:
        return f"E[{sp.sstr(self.quantity)}] = (1 +- {self.rtol:g}) * {sp.sstr(self.target)}"


@dataclass(frozen=True)
class Probability(Claim):
    """The probability of a 0/1 ``event`` (a measured array of outcomes) against ``value``.

    ``relation`` is ``"<="``, ``">="`` or ``"=="`` (within ``atol``); judged with a Clopper-Pearson
    interval. The control replaces ``value`` by ``control_value`` (a probability the data should
    reject); by default the value is moved half-way towards 1 (``>=``) or 0 (``<=``).
    """

    event: Expr = sp.S.Zero
    relation: str = ">="
    value: Expr = sp.S.Half
    atol: float = 0.0
    control_value: Expr | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "event", _sym(self.event))
        object.__setattr__(self, "value", _sym(self.value))
        if self.relation not in (*RELATIONS, "=="):
            raise ValueError(f"claim {self.label!r}: relation must be <=, >= or ==, got {self.relation!r}")
        if self.relation == "==" and self.control_value is None:
            raise ValueError(f"claim {self.label!r}: a '==' probability needs an explicit control_value")

    def expressions(self) -> tuple[sp.Basic, ...]:
        extra = (_sym(self.control_value),) if self.control_value is not None else ()
        return (self.event, self.value, *extra)

    def control(self) -> Claim | None:
        if self.control_value is not None:
            moved = _sym(self.control_value)
        elif self.relation == ">=":
            moved = (1 + self.value) / 2
        else:
            moved = self.value / 2
        return replace(self, label=f"control: {self.label}", value=moved, control_value=moved)

    def describe(self) -> str:
        tol = f" +- {self.atol:g}" if self.relation == "==" else ""
        return f"P[{sp.sstr(self.event)}] {self.relation} {sp.sstr(self.value)}{tol}"


RATE_DIRECTIONS = ("exact", "at_most", "at_least")


@dataclass(frozen=True)
class Rate(Claim):
    """``quantity`` scales like ``over ** exponent``, judged on the log-log slope's interval.

    ``direction`` says what the paper states: ``"exact"`` (a Theta: the slope lies within
    ``exponent +- tol``; the control shifts the exponent by ``control_shift``), ``"at_most"`` (an O(.):
    grows no faster / decays at least as fast, slope <= exponent + tol, so any faster decay passes; the
    control tightens it to exponent - |control_shift|) or ``"at_least"`` (an Omega(.): slope >=
    exponent - tol; the control asks for exponent + |control_shift|). With ``within_replica`` the fit
    allows each replica its own constant factor (replica fixed effects)."""

    quantity: Expr = sp.S.Zero
    over: Expr = sp.S.One
    exponent: Expr = sp.S.One
    tol: float = 0.1
    control_shift: float = 0.5
    within_replica: bool = False  # each replica (row of a 2-D grid) keeps its own constant factor
    direction: str = "exact"  # "exact" (Theta), "at_most" (O: no faster growth), "at_least" (Omega)

    def __post_init__(self) -> None:
        for name in ("quantity", "over", "exponent"):
            object.__setattr__(self, name, _sym(getattr(self, name)))
        if self.direction not in RATE_DIRECTIONS:
            raise ValueError(f"Rate {self.label!r}: direction must be one of {', '.join(RATE_DIRECTIONS)}, "
                             f"not {self.direction!r}")

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.quantity, self.over, self.exponent)

    def control(self) -> Claim | None:
        shift = {"exact": self.control_shift, "at_most": -abs(self.control_shift),
                 "at_least": abs(self.control_shift)}[self.direction]
        return replace(self, label=f"control: {self.label}", exponent=self.exponent + sp.Float(shift))

    def describe(self) -> str:
        base = f"{sp.sstr(self.quantity)} ~ {sp.sstr(self.over)}^a"
        if self.direction == "at_most":
            return f"{base}, a <= {sp.sstr(self.exponent)} + {self.tol:g}"
        if self.direction == "at_least":
            return f"{base}, a >= {sp.sstr(self.exponent)} - {self.tol:g}"
        return f"{sp.sstr(self.quantity)} ~ {sp.sstr(self.over)}^({sp.sstr(self.exponent)} +- {self.tol:g})"


NOTATIONS = {"O": "upper", "O~": "upper", "o": "vanishing", "Omega": "lower", "Omega~": "lower",
             "Theta": "both", "Theta~": "both"}


@dataclass(frozen=True)
class Order(Claim):
    """``quantity = <notation>(order)`` with no constant stated: judged by its *implied constant*
    C = quantity / order (per replica) and, along a size ladder (``size``: the parameter the order is
    in, two or more values on a grid axis), by the trend of C: the slope of log C against log size.

    An O / O~ claim FAILs when C grows along the ladder (slope above ``tol``), an Omega claim when it
    shrinks, a Theta claim either way, and o(1) (order 1) when the quantity does not decay (slope >= 0).
    Unless ``tol`` is given, the slope tolerance is 0.1 for O / Omega / Theta and, for the ~ notations,
    0.1 plus what a factor ``(ln size)^polylog_degree`` adds to the slope on the ladder's own sizes
    (``polylog_degree`` times the least-squares slope of ln ln size on ln size: 0.55 per degree on k in
    [4, 10], 0.29 on [10, 160]); the degree may be a symbol a :class:`~verifier.spec.readings.Reading`
    sets, so that other degrees are judged beside it. At a single size the claim is INCONCLUSIVE with C and its
    interval printed: a constant the paper never stated is never exceeded. The control claims one
    power of ``size`` more (an order that is too good), which the ladder must reject. A paper that
    states its constant is judged with :class:`Bound` instead."""

    quantity: Expr = sp.S.Zero
    order: Expr = sp.S.One
    notation: str = "O"
    size: Expr | None = None
    tol: float | None = None
    control_power: float = 1.0
    polylog_degree: Expr = sp.S.One

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", _sym(self.quantity))
        object.__setattr__(self, "order", _sym(self.order))
        object.__setattr__(self, "polylog_degree", _sym(self.polylog_degree))
        if self.size is not None:
            object.__setattr__(self, "size", _sym(self.size))
        if self.notation not in NOTATIONS:
            raise ValueError(f"Order {self.label!r}: notation must be one of {', '.join(NOTATIONS)}, got {self.notation!r}")

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.quantity, self.order, self.polylog_degree, *(() if self.size is None else (self.size,)))

    def control(self) -> Claim | None:
        if self.size is None:
            return replace(self, label=f"control: {self.label}", order=self.order / 2)
        side = NOTATIONS[self.notation]
        power = -self.control_power if side in ("upper", "vanishing", "both") else self.control_power
        return replace(self, label=f"control: {self.label}", order=self.order * self.size ** sp.Float(power))

    def describe(self) -> str:
        ladder = f" along {sp.sstr(self.size)}" if self.size is not None else ""
        return f"{sp.sstr(self.quantity)} = {self.notation}({sp.sstr(self.order)}){ladder}"


@dataclass(frozen=True)
class Duration(Claim):
    """A measured time matches a predicted one: the geometric-mean ratio measured/predicted lies in
    ``[1/(1+rtol), 1+rtol]``. The control multiplies the prediction by ``control_factor``."""

    measured: Expr = sp.S.Zero
    predicted: Expr = sp.S.One
    rtol: float = 0.25
    control_factor: float = 2.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "measured", _sym(self.measured))
        object.__setattr__(self, "predicted", _sym(self.predicted))

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.measured, self.predicted)

    def control(self) -> Claim | None:
        return replace(self, label=f"control: {self.label}", predicted=self.predicted * sp.Float(self.control_factor))

    def describe(self) -> str:
        return f"{sp.sstr(self.measured)} / {sp.sstr(self.predicted)} in [1/(1+{self.rtol:g}), 1+{self.rtol:g}]"


@dataclass(frozen=True)
class Identity(Claim):
    """``lhs == rhs`` identically (sympy simplifies the difference to zero)."""

    lhs: Expr = sp.S.Zero
    rhs: Expr = sp.S.Zero
    empirical: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "lhs", _sym(self.lhs))
        object.__setattr__(self, "rhs", _sym(self.rhs))

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (self.lhs, self.rhs)

    def describe(self) -> str:
        return f"{sp.sstr(self.lhs)} == {sp.sstr(self.rhs)}"


@dataclass(frozen=True)
class Limit(Claim):
    """``limit(expr, var -> point, direction) == value``."""

    expr: Expr = sp.S.Zero
    var: sp.Symbol = sp.Symbol("x")
    point: Expr = sp.S.Zero
    value: Expr = sp.S.Zero
    direction: str = "+-"
    empirical: ClassVar[bool] = False

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (_sym(self.expr), _sym(self.point), _sym(self.value))

    def describe(self) -> str:
        return f"lim[{self.var} -> {sp.sstr(self.point)}{self.direction if self.direction != '+-' else ''}] {sp.sstr(self.expr)} == {sp.sstr(self.value)}"


@dataclass(frozen=True)
class Exponent(Claim):
    """``expr`` grows like ``var ** value`` as ``var -> oo`` (limit of log expr / log var); the
    symbolic reading of a stated order such as Theta(k^2 / eta)."""

    expr: Expr = sp.S.One
    var: sp.Symbol = sp.Symbol("k", positive=True)
    value: Expr = sp.S.Zero
    empirical: ClassVar[bool] = False

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (_sym(self.expr), _sym(self.value))

    def describe(self) -> str:
        return f"{sp.sstr(self.expr)} = Theta({self.var}^{sp.sstr(self.value)}) as {self.var} -> oo"


@dataclass(frozen=True)
class Implication(Claim):
    """Premises ``a_i >= b_i`` imply ``conclusion`` (``c >= d``, or ``sympy.false`` for "the premises
    are contradictory"), proved by a certificate: non-negative ``multipliers`` lambda_i such that
    ``(c - d) - sum lambda_i (a_i - b_i)`` is provably non-negative (or, for a contradiction,
    ``sum lambda_i (a_i - b_i)`` is provably negative). Symbols in ``positive`` are taken > 0.
    """

    premises: tuple[sp.Basic, ...] = ()
    conclusion: sp.Basic = sp.true
    multipliers: tuple[sp.Basic, ...] = ()
    positive: tuple[str, ...] = ()
    empirical: ClassVar[bool] = False

    def expressions(self) -> tuple[sp.Basic, ...]:
        return (*self.premises, self.conclusion, *map(_sym, self.multipliers))

    def describe(self) -> str:
        premises = ", ".join(sp.sstr(p) for p in self.premises)
        return f"{premises}  =>  {sp.sstr(self.conclusion)}"
