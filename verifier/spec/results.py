"""Spec objects: papers, parameters and results (the design note's vocabulary).

A :class:`Result` is data: a statement in LaTeX, parameters with values per profile, assumptions and
claims as sympy expressions, the ids of the results its proof ``uses``, and the finite-size reading
under which an asymptotic statement is checked. It names its check by import path so that specs never
import torch.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping

import sympy as sp

from verifier.spec.claims import Claim
from verifier.spec.provenance import Provenance, parse_tag
from verifier.spec.readings import Reading


class Kind(str, enum.Enum):
    """What sort of numbered statement a result is."""

    DEFINITION = "definition"
    LEMMA = "lemma"
    THEOREM = "theorem"
    PROPOSITION = "proposition"
    COROLLARY = "corollary"
    CLAIM = "claim"
    FACT = "fact"
    PROPERTY = "property"
    HYPOTHESIS = "hypothesis"
    REMARK = "remark"
    EXAMPLE = "example"
    ALGORITHM = "algorithm"
    TABLE = "table"


PROFILES = ("quick", "full")


@dataclass(frozen=True)
class Paper:
    """Citation data of one paper; ``key`` prefixes the ids of its results."""

    key: str
    title: str
    authors: tuple[str, ...]
    year: int
    venue: str = ""
    arxiv: str = ""
    source: str = ""  # the team's notes this paper's specs were written from


@dataclass(frozen=True)
class Parameter:
    """A named quantity with a value per profile and an optional admissible range."""

    name: str
    description: str
    lower: float | None = None
    upper: float | None = None
    integer: bool = False

    @property
    def symbol(self) -> sp.Symbol:
        return sp.Symbol(self.name, positive=self.lower is not None and self.lower > 0)


@dataclass(frozen=True)
class Axis:
    """A grid axis of a measurement's declared shape (``Result.shapes``) whose columns are named, e.g.
    ``("replica", Axis("model", ("joint", "uni1", "uni2")))``: its length is the number of labels, and a
    claim selects a column by label, ``at={"model": "joint"}``, as well as by index."""

    name: str
    labels: tuple[str | float, ...]

    def __str__(self) -> str:
        return f"{self.name}[{', '.join(map(str, self.labels))}]"


@dataclass(frozen=True)
class Result:
    """One definition, lemma, theorem, proposition or corollary of a paper.

    ``id`` is ``"<paper key>/<slug>"``; the slug alone is the alias accepted on the command line when
    it is unique. ``claims`` are judged in order and all must hold. ``check`` is ``"module:function"``
    (see :mod:`checks`) or, in a plugin, the check function itself; it is required as soon as a claim
    is empirical.
    """

    # Every field has a default so that a spec missing one is reported by validation, naming the
    # result and the field, instead of failing its plugin's import.
    id: str = ""
    kind: Kind | None = None
    number: str = ""
    title: str = ""
    paper: Paper | None = None
    statement: str = ""
    reading: str = ""  # this result's own finite-size reading, in words
    readings: tuple[Reading, ...] = ()  # shared readings, defined once (verifier.spec.readings)
    parameters: tuple[Parameter, ...] = ()
    profiles: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    assumptions: tuple[sp.Basic, ...] = ()
    claims: tuple[Claim, ...] = ()
    measures: Mapping[str, str] = field(default_factory=dict)
    # optional, per measurement: its axes ("replica" first, then ints, parameter names, grid-axis names or
    # labelled grid axes, Axis); what the check returns is validated against it (verifier.judging.shapes)
    shapes: Mapping[str, tuple[str | int | Axis, ...]] = field(default_factory=dict)
    check: str | Callable[..., Mapping] | None = None
    replicas: Mapping[str, int] = field(default_factory=dict)
    uses: tuple[str, ...] = ()
    assumes: tuple[str, ...] = ()  # induction hypotheses it assumes: shown, but neither ordering nor blocking
    tag: str = ""  # the notes' tag in their words; read by parse_tag unless ``provenance`` is given
    provenance: Provenance | None = None
    alpha: float = 0.05
    plots: tuple[Any, ...] = ()  # presentation only: figure declarations of verifier.spec.figures, drawn by the HTML report
    # per profile, the most replicas one check call takes (memory); the run splits larger counts into
    # batches of this size with the same seeds (identical measurements). The user's --max-batch wins.
    max_batch: Mapping[str, int] = field(default_factory=dict)
    # set by verifier.spec.derive: the id of the result this one was derived from, and what was changed
    derived_from: str = ""
    derivation: str = ""
    html_renderer: ClassVar[Callable[["Result"], str] | None] = None

    @property
    def alias(self) -> str:
        return self.id.split("/", 1)[-1]

    @property
    def empirical(self) -> bool:
        return any(claim.empirical for claim in self.claims)

    @property
    def source(self) -> Provenance:
        """Where the statement comes from: ``provenance`` if declared, else read from ``tag``
        (ValueError for a tag that states none; validation reports it)."""
        return self.provenance if self.provenance is not None else parse_tag(self.tag)

    def _repr_html_(self) -> str | None:
        """Jupyter's rich display, drawn by the renderer that the presentation layer installs in
        ``Result.html_renderer`` (the spec vocabulary imports no presentation); None falls back to repr."""
        return None if Result.html_renderer is None else Result.html_renderer(self)

    def reading_values(self) -> dict[str, float]:
        """The constants its readings fix, by symbol name (substituted into claims when judging)."""
        return {r.symbol: float(r.value) for r in self.readings if r.symbol is not None and r.value is not None}

    def reading_aliases(self) -> dict[str, str]:
        """The measurements its readings choose as estimators, by the symbol claims use for them."""
        return {symbol: measure for r in self.readings for symbol, measure in r.aliases.items()}

    def parameter_values(self, profile: str) -> dict[str, float]:
        """The profile's parameter values (KeyError names the profile when the spec lacks it)."""
        if profile not in self.profiles:
            raise KeyError(f"{self.id} has no profile {profile!r} (it has: {', '.join(self.profiles) or 'none'})")
        return dict(self.profiles[profile])
