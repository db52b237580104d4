"""Symbolic decisions kept on disk between runs.

A symbolic claim's outcome (sympy's ``simplify``, ``limit``, the implication certificates) depends only
on the claim and on the deciding code, yet it cost about 1.5 s of every run of huang2022's corollary 5.3
(issue 21). The outcome is stored under a digest of the claim's fields (sympy expressions by ``srepr``,
so symbols' assumptions count), the sympy version and the source of the deciding modules; any change to
one of them is a new entry. Entries live in ``<cache_dir>/symbolic`` (see
:func:`verifier.running.spec_index.cache_dir`); an unreadable or unwritable cache only costs the time.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
from functools import lru_cache
from pathlib import Path

import sympy as sp

from verifier.judging import evaluate, symbolic
from verifier.judging.evaluate import ClaimOutcome, judge_symbolic
from verifier.running.spec_index import cache_dir, write_cache_entry
from verifier.spec.claims import Claim

FORMAT = 1


@lru_cache(maxsize=1)
def _code_version() -> str:
    """Digest of what decides: the deciding modules' source and sympy's version."""
    digest = hashlib.sha256(f"{FORMAT} {importlib.metadata.version('sympy')}".encode())
    for module in (symbolic, evaluate):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _field_text(value: object) -> str:
    if isinstance(value, (sp.Basic, tuple, list)):
        return sp.srepr(value)
    return repr(value)


def claim_key(claim: Claim) -> str:
    """Digest of the claim (its type and every field) and of the deciding code."""
    fields = {f.name: _field_text(getattr(claim, f.name)) for f in dataclasses.fields(claim)}
    text = json.dumps({"type": type(claim).__name__, "fields": fields, "code": _code_version()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _read(path: Path) -> ClaimOutcome | None:
    try:
        return ClaimOutcome(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def judge_symbolic_cached(claim: Claim) -> ClaimOutcome:
    """:func:`verifier.judging.evaluate.judge_symbolic`, answered from the disk cache when this claim was
    decided before by the same code."""
    path = cache_dir() / "symbolic" / f"{claim_key(claim)}.json"
    cached = _read(path)
    if cached is not None:
        return cached
    outcome = judge_symbolic(claim)
    write_cache_entry(path, json.dumps(outcome.to_dict()))
    return outcome
