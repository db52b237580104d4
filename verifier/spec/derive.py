"""Derive a spec from another: the same result at other parameter values, or with a claim changed.

A plugin author who wants a built-in theorem at their own parameters writes
``derive(base, id="me2026/theorem-1-wide", paper=ME, parameters={"width": 512})`` instead of copying
the base's parameters, profiles, measurements and check. Every name is validated against the base
(an unknown one is an error naming it and its close matches) and the derived result records what it
was derived from (``Result.derived_from``, ``Result.derivation``).
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from verifier.spec.claims import Claim
from verifier.spec.results import Result

# fields a derivation sets itself, or that only the engine fills in
_OWN = {"parameters", "profiles", "derived_from", "derivation", "id"}


class DeriveError(ValueError):
    """A derivation naming something the base result does not have, or an inadmissible value."""


def _close(name: str, known: Iterable[str]) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return f"{hint}(known: {', '.join(known) or 'none'})"


def _checked(base: Result, name: str, value: float, profile: str) -> float:
    parameter = next(p for p in base.parameters if p.name == name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DeriveError(f"derive from {base.id}: parameter {name!r} = {value!r}: expected a number")
    if parameter.integer and float(value) != int(value):
        raise DeriveError(f"derive from {base.id}: parameter {name!r} = {value!r}: expected an integer")
    if (parameter.lower is not None and value < parameter.lower) or (parameter.upper is not None and value > parameter.upper):
        raise DeriveError(f"derive from {base.id}: parameter {name!r} = {value!r} ({profile} profile) is outside its "
                          f"declared range [{parameter.lower}, {parameter.upper}]")
    return int(value) if parameter.integer else value


def _profiles(base: Result, values: Mapping[str, float | Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """The base's profiles with ``values`` set: a number sets every profile, a mapping the profiles it names."""
    declared = {p.name for p in base.parameters}
    profiles = {profile: dict(given) for profile, given in base.profiles.items()}
    for name, value in values.items():
        if name not in declared:
            raise DeriveError(f"derive from {base.id}: unknown parameter {name!r}; {_close(name, declared)}")
        per_profile = value if isinstance(value, Mapping) else {profile: value for profile in profiles}
        for profile, given in per_profile.items():
            if profile not in profiles:
                raise DeriveError(f"derive from {base.id}: parameter {name!r}: unknown profile {profile!r}; "
                                  f"{_close(profile, profiles)}")
            profiles[profile][name] = _checked(base, name, given, profile)
    return profiles


def derive(base: Result, *, id: str, parameters: Mapping[str, float | Mapping[str, float]] | None = None,
           claims: Iterable[Claim] | None = None, **changes: Any) -> Result:
    """A new result that is ``base`` with ``parameters`` set (name -> a value for every profile, or
    name -> {profile: value}), ``claims`` replaced when given, and any other :class:`Result` field in
    ``changes`` (``paper``, ``title``, ``number``, ``statement``, ``replicas``, ``uses``, ``tag``...).

    Its own check, measurements, shapes, readings and assumptions are the base's, so a derived result at
    the base's own values shares the base's simulation. DeriveError names an unknown parameter, profile
    or field with its close matches, and a value outside a parameter's declared range."""
    fields = {f.name for f in dataclasses.fields(Result)}
    for name in changes:
        if name not in fields or name in _OWN:
            raise DeriveError(f"derive from {base.id}: {name!r} is not a field a derivation can set; "
                              f"{_close(name, fields - _OWN)}")
    values = dict(parameters or {})
    profiles = _profiles(base, values)
    paper = changes.get("paper", base.paper)
    if paper is not None and not id.startswith(f"{paper.key}/"):
        raise DeriveError(f"derive from {base.id}: id {id!r} must start with '{paper.key}/' (its paper's key); "
                          "pass paper=YOUR_PAPER to derive into another paper")
    described = [f"{name} = {value}" for name, value in values.items()]
    if claims is not None:
        claims = tuple(claims)
        described.append("claims: " + "; ".join(claim.label for claim in claims))
    described += [f"{name} changed" for name in changes if name != "paper"]
    return dataclasses.replace(base, id=id, profiles=profiles, derived_from=base.id,
                               derivation="; ".join(described) or "a copy",
                               **({"claims": claims} if claims is not None else {}), **changes)
